import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB881 NR5G MAC UL TB Stats (little-endian; MobileInsight nr_mac_ul_tb_stats.h and consts.h
 * `NR_MAC_UL_TB_Stats = 0xB881`, versions 2.0 and 2.1; SCAT names it in a stub list without a layout).
 * reference/diag.md files 0xB881 under "UCI"; both open decoders name it UL TB stats.
 *
 *   0 minor version u16 | 2 major version u16 (keyed major << 16 | minor) | 4 sleep, beam change, signal
 *   change, DL dynamic config change, DL config, UL config / ML1 state change (u8 each) | 10 reserved u16
 *   | 12 log fields change mask u16 | 14 reserved u8 | 15 records u8 | 16 4 reserved bytes | 20 records:
 *   v2.0 (92 bytes): new-Tx bytes u64 | reTx bytes u64 | MCS sum u64 | PRB sum u64 | PHR sum u64
 *     | total power u32 | new-Tx TBs u32 | reTx TBs u32 | DTX u32 | RI count u32 | RI sum u32 | CQI count u32
 *     | CQI sum u32 | PHR count u32 | TPC accumulation u32 | UL-SCH scheduled u32 | UL-SCH not scheduled u32
 *     | Pcmax u16 | flush gap count u16
 *   v2.1 (96 bytes): the same five u64 | total power u64 | new-Tx TBs u32 | reTx TBs u32 | RI count | RI sum
 *     | CQI count | CQI sum | PHR count | TPC accumulation | UL-SCH scheduled | UL-SCH not scheduled (u32 each)
 *     | Pcmax u16 (MobileInsight labels it "dBm10") | flush gap count u16 | 4 reserved bytes
 *
 * The counts are exact; the power words (total power, PHR sum, Pcmax) are given raw: neither decoder says
 * their unit or scaling beyond MobileInsight's "dBm10" label on the 2.1 Pcmax, and no public log checks it,
 * so they do not feed `ul_power_limited`. u64 fields are numbers (exact below 2^53). No real sample
 * carries this code: fixtures only.
 */

export const NR_MAC_UL_TB_STATS = 0xb881;
const HEADER = 20;

const u64 = (b: Uint8Array, o: number): number => u32(b, o) + u32(b, o + 4) * 2 ** 32;

function decoderFor(v21: boolean): DiagVersionDecoder {
  const size = v21 ? 96 : 92;
  // new-Tx TBs: after the u32 total power (2.0) or the u64 one (2.1); both reach RI count at 56 (2.0 through DTX)
  const counts = v21 ? 48 : 44;
  return (b) => {
    if (b.length < HEADER) throw new DiagDecodeError(b.length, `the ${HEADER}-byte header needs more bytes`);
    const n = u8(b, 15);
    if (b.length < HEADER + n * size)
      throw new DiagDecodeError(15, `${n} records of ${size} bytes do not fit a ${b.length}-byte body`);
    const f = {
      records: n,
      new_tx_bytes: [] as number[],
      retx_bytes: [] as number[],
      new_tx_tbs: [] as number[],
      retx_tbs: [] as number[],
      phr_reports: [] as number[],
      phr_sum_raw: [] as number[],
      total_power_raw: [] as number[],
      ulsch_scheduled: [] as number[],
      ulsch_not_scheduled: [] as number[],
      pcmax_raw: [] as number[],
    };
    for (let i = 0; i < n; i++) {
      const r = HEADER + i * size;
      f.new_tx_bytes.push(u64(b, r));
      f.retx_bytes.push(u64(b, r + 8));
      f.phr_sum_raw.push(u64(b, r + 32));
      f.total_power_raw.push(v21 ? u64(b, r + 40) : u32(b, r + 40));
      f.new_tx_tbs.push(u32(b, r + counts));
      f.retx_tbs.push(u32(b, r + counts + 4));
      f.phr_reports.push(u32(b, r + 72));
      f.ulsch_scheduled.push(u32(b, r + 80));
      f.ulsch_not_scheduled.push(u32(b, r + 84));
      f.pcmax_raw.push(u16(b, r + 88));
    }
    return f;
  };
}

export const nrMacUlTbStats: DiagLogDecoder = {
  logCode: NR_MAC_UL_TB_STATS,
  name: 'NR5G MAC UL TB Stats',
  version: (b) => (b.length >= 4 ? (u16(b, 2) << 16) | u16(b, 0) : undefined),
  versions: new Map([
    [2 << 16, decoderFor(false)],
    [(2 << 16) | 1, decoderFor(true)],
  ]),
};
