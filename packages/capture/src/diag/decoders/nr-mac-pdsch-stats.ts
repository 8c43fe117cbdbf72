import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB888 NR5G MAC PDSCH Stats (little-endian; MobileInsight nr_mac_pdsch_stats.h, versions 2.0, 2.2, 3.0,
 * 3.2 — one record layout): per-carrier DL counters since the log began.
 *
 *   0 minor version u16 | 2 major version u16 (keyed major << 16 | minor) | 4 sleep, beam change, signal
 *   change, DL dynamic config change, DL config, UL config (u8 each) | 10 reserved u16 | 12 changed-fields
 *   mask u16 | 14 reserved u8 | 15 record count u8 | 16 12 reserved bytes | 28 records of 72 bytes:
 *     carrier id u32 | slots elapsed u32 | PDSCH decodes u32 | CRC pass TBs u32 | CRC fail TBs u32
 *     | retransmissions u32 | ACK sent as NACK u32 | HARQ failures u32 | CRC pass bytes u64 | CRC fail bytes u64
 *     | TB bytes u64 | padding bytes u64 | retransmitted bytes u64
 *
 * Byte counts are u64: given as numbers (exact below 2^53). No real sample carries this code: the layout is
 * MobileInsight's, checked against the fixtures only. The counters are cumulative, so a BLER is the
 * difference between two records (the pipeline's KPI windows do that).
 */

export const NR_MAC_PDSCH_STATS = 0xb888;
const HEADER = 28;
const RECORD = 72;

const u64 = (b: Uint8Array, o: number): number => u32(b, o) + u32(b, o + 4) * 2 ** 32;

const records: DiagVersionDecoder = (b) => {
  const n = u8(b, 15);
  if (b.length < HEADER + n * RECORD)
    throw new DiagDecodeError(15, `${n} records of ${RECORD} bytes do not fit a ${b.length}-byte body`);
  const f = {
    records: n,
    carrier_id: [] as number[],
    slots_elapsed: [] as number[],
    pdsch_decodes: [] as number[],
    crc_pass_tbs: [] as number[],
    crc_fail_tbs: [] as number[],
    retransmissions: [] as number[],
    ack_as_nack: [] as number[],
    harq_failures: [] as number[],
    crc_pass_bytes: [] as number[],
    crc_fail_bytes: [] as number[],
  };
  for (let i = 0; i < n; i++) {
    const r = HEADER + i * RECORD;
    f.carrier_id.push(u32(b, r));
    f.slots_elapsed.push(u32(b, r + 4));
    f.pdsch_decodes.push(u32(b, r + 8));
    f.crc_pass_tbs.push(u32(b, r + 12));
    f.crc_fail_tbs.push(u32(b, r + 16));
    f.retransmissions.push(u32(b, r + 20));
    f.ack_as_nack.push(u32(b, r + 24));
    f.harq_failures.push(u32(b, r + 28));
    f.crc_pass_bytes.push(u64(b, r + 32));
    f.crc_fail_bytes.push(u64(b, r + 40));
  }
  return f;
};

export const nrMacPdschStats: DiagLogDecoder = {
  logCode: NR_MAC_PDSCH_STATS,
  name: 'NR5G MAC PDSCH Stats',
  version: (b) => (b.length >= 4 ? (u16(b, 2) << 16) | u16(b, 0) : undefined),
  versions: new Map([
    [(2 << 16) | 0, records],
    [(2 << 16) | 2, records],
    [(3 << 16) | 0, records],
    [(3 << 16) | 2, records],
  ]),
};
