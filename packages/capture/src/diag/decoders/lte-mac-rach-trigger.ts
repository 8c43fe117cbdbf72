import { DiagDecodeError, u16, u8, type DiagFields, type DiagLogDecoder } from './diag-decoder.js';
import { subPacketBounds, subPacketVersion } from './sub-packets.js';

/*
 * 0xB061 LTE MAC RACH Trigger (little-endian; MobileInsight dm_collector_c/log_packet.h LteMacRachTrigger_*
 * and _decode_lte_mac_rach_trigger_subpkt in log_packet.cpp; SCAT diagltelogparser.py routes the code to its
 * MAC sub-packet parser but reads no trigger field): packet version 1 with sub-packets (id u8 | version u8 |
 * size u16, header included). The version this decoder is keyed on is that of the RACH reason sub-packet
 * (id 5), the trigger itself; the RACH config sub-packet (id 3) is read when present.
 *
 *   id 5 v1: reason u8 | UE contention resolution identity 6 bytes | reserved u8 | preamble u8 | RA mask u8 |
 *            Msg3 size u8 | group chosen u8 | radio condition u8 (dB) | C-RNTI u16            (15 bytes)
 *   id 5 v2: sub id u8 | cell id u8 | reason u8 | identity 6 | contention u8 | preamble u8 | RA mask u8 |
 *            Msg3 size u8 | group chosen u8 | radio condition u8 | C-RNTI u16                (17 bytes)
 *   id 3 v2: preamble initial power u8 (x − 256 dBm, as MobileInsight reads it) | reserved u8 | power ramping
 *            step u8 (dB) | RA index ×2 | preamble trans max u8 | contention resolution timer u16 (ms) |
 *            Msg3 size group A u16 | power offset group B u8 | P-Max int16 (dBm) | …
 *   id 3 v4: sub id u8 | active cells u8 | per cell: cell id u8, then the v2 fields (first cell read)
 *   id 3 v5: preamble initial power u16 (−120 + 2·x dBm, preambleInitialReceivedTargetPower of TS 36.331,
 *            as MobileInsight's Android port reads it) | then the v2 fields from the ramping step on
 *
 * Reasons (MobileInsight's names): 0 connection request, 1 radio link failure, 2 UL data, 3 DL data, 4 handover.
 * The C-RNTI's byte order is not settled between the open decoders (MobileInsight prints the two bytes in
 * order, its Android port little-endian): read little-endian like every other u16 here. The config fields
 * after P-Max (PRACH configuration: its frequency-offset field is 3 bytes in one reading, 1 in another) are
 * not decoded. No public sample carries this code: checked on byte-built fixtures only.
 */

export const LTE_MAC_RACH_TRIGGER = 0xb061;
const REASON = 5;
const CONFIG = 3;
const REASONS: readonly string[] = ['connection_request', 'radio_link_failure', 'ul_data', 'dl_data', 'handover'];

function reasonDecoder(version: 1 | 2): (b: Uint8Array) => DiagFields {
  const size = version === 1 ? 15 : 17;
  return (b) => {
    const [s, end] = subPacketBounds(b, REASON);
    if (end - s < size)
      throw new DiagDecodeError(s, `RACH reason v${version} needs ${size} bytes, the sub-packet has ${end - s}`);
    const p = version === 2 ? s + 2 : s; // v2: sub id, cell id first
    const reason = u8(b, p);
    return {
      cell_index: version === 2 ? u8(b, s + 1) : 0,
      rach_reason: REASONS[reason] ?? `reason ${reason}`,
      // v1 has no contention field: MobileInsight states every v1 trigger contention based
      contention_based: version === 2 ? u8(b, p + 7) === 1 : true,
      preamble: u8(b, p + 8),
      msg3_size: u8(b, p + 10),
      preamble_group: u8(b, p + 11) === 1 ? 'B' : 'A',
      radio_condition_db: u8(b, p + 12),
      c_rnti: u16(b, p + 13),
      ...config(b),
    };
  };
}

/** The RACH config sub-packet's power and retry settings, or nulls when the packet has none of a known version. */
function config(b: Uint8Array): DiagFields {
  const v = subPacketVersion(b, CONFIG);
  const none = {
    rach_config_version: v ?? null,
    preamble_initial_power_dbm: null,
    power_ramping_step_db: null,
    preamble_trans_max: null,
    contention_resolution_timer_ms: null,
    pmax_dbm: null,
  };
  if (v !== 2 && v !== 4 && v !== 5) return none;
  const [s, end] = subPacketBounds(b, CONFIG);
  const p = v === 4 ? s + 3 : s; // v4: sub id, cell count, then the first cell's id
  if (v === 4 && u8(b, s + 1) === 0) return none;
  if (p + 13 > end) throw new DiagDecodeError(p, `RACH config v${v} needs 13 bytes, the sub-packet has ${end - p}`);
  const pmax = u16(b, p + 11);
  return {
    rach_config_version: v,
    preamble_initial_power_dbm: v === 5 ? -120 + 2 * u16(b, p) : u8(b, p) - 256,
    power_ramping_step_db: u8(b, p + 2),
    preamble_trans_max: u8(b, p + 5),
    contention_resolution_timer_ms: u16(b, p + 6),
    pmax_dbm: pmax >= 0x8000 ? pmax - 0x10000 : pmax,
  };
}

export const lteMacRachTrigger: DiagLogDecoder = {
  logCode: LTE_MAC_RACH_TRIGGER,
  name: 'LTE MAC RACH Trigger',
  version: (b) => subPacketVersion(b, REASON),
  versions: new Map([
    [1, reasonDecoder(1)],
    [2, reasonDecoder(2)],
  ]),
};
