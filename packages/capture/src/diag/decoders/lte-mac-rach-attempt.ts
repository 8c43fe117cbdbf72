import { DiagDecodeError, u16, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';
import { subPacketBounds, subPacketVersion } from './sub-packets.js';

/*
 * 0xB062 LTE MAC RACH Attempt (little-endian; SCAT diagltelogparser.py parse_lte_mac_subpkt_v1 sub-packet 6,
 * MobileInsight LteMacRachAttempt_*): packet version 1 with sub-packets (id u8 | version u8 | size u16),
 * sub-packet 6 carries one attempt:
 *
 *   version 2: retx counter u8 | RACH result u8 | contention u8 | message bitmask u8 (1 Msg1, 2 Msg2, 4 Msg3)
 *   version 3: sub id u8 | cell index u8 | then the version-2 fields
 *   then at fixed offsets (whether or not the bitmask sets them, as SCAT reads them):
 *     Msg1 +0 preamble index u8 | preamble index mask u8 | preamble power offset (2 bytes, raw)
 *     Msg2 +4 backoff u16 (ms) | result u8 | TC-RNTI u16 | timing advance u16 (T_A of the RAR, 0…1282)
 *     Msg3 +11 grant raw (4 bytes) | grant u16 (bytes) | HARQ id u8 | MAC PDU (10 bytes)
 *
 * RACH result (MobileInsight's names): 0 success, 1 failure at Msg2 (no RAR), 4 aborted; 2 and 3 are the two
 * Msg4 failures QXDM names (contention timer expired / contention resolution not passed). Contention: 0 free,
 * 1 based. A message whose bit is clear gives null. No real sample carries this code: layouts checked on the
 * fixtures only.
 */

export const LTE_MAC_RACH_ATTEMPT = 0xb062;
const SUBPACKET = 6;

const RESULTS: readonly string[] = [
  'success',
  'msg2_failure',
  'msg4_ct_timer_expired',
  'msg4_contention_lost',
  'aborted',
];

function decoderFor(prefix: number): DiagVersionDecoder {
  return (b) => {
    const [s, end] = subPacketBounds(b, SUBPACKET);
    const p = s + prefix;
    const mask = u8(b, p + 3);
    const m = p + 4;
    const need = mask & 4 ? m + 11 + 7 : mask & 2 ? m + 11 : mask & 1 ? m + 4 : p + 4;
    if (need > end)
      throw new DiagDecodeError(p + 3, `messages ${mask & 7} need ${need - s} bytes, the sub-packet has ${end - s}`);
    const result = u8(b, p + 1);
    return {
      cell_index: prefix ? u8(b, s + 1) : 0,
      attempt: u8(b, p),
      rach_result: RESULTS[result] ?? `result ${result}`,
      contention_based: u8(b, p + 2) === 1,
      messages: mask & 7,
      preamble_index: mask & 1 ? u8(b, m) : null,
      backoff_ms: mask & 2 ? u16(b, m + 4) : null,
      tc_rnti: mask & 2 ? u16(b, m + 7) : null,
      timing_advance: mask & 2 ? u16(b, m + 9) : null,
      msg3_grant_bytes: mask & 4 ? u16(b, m + 15) : null,
      msg3_harq_id: mask & 4 ? u8(b, m + 17) : null,
    };
  };
}

export const lteMacRachAttempt: DiagLogDecoder = {
  logCode: LTE_MAC_RACH_ATTEMPT,
  name: 'LTE MAC RACH Attempt',
  version: (b) => subPacketVersion(b, SUBPACKET),
  versions: new Map([
    [2, decoderFor(0)],
    [3, decoderFor(2)],
  ]),
};
