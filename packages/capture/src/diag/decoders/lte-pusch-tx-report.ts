import { DiagDecodeError, u16, u32, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB139 LTE LL1 PUSCH Tx Report, version 102 (little-endian; MobileInsight lte_phy_pusch_tx_report.h,
 * LtePhyPuschTxReport_Payload_v102 / Record_v102):
 *
 *   0 version u8 | 1 u16: serving cell PCI bits 0–8, record count bits 9–13 | 3 rsvd | 4 dispatch SFN/SF u16 | 6 rsvd u16
 *   8 records of 68 bytes:
 *     +0 SFN/SF u16 (SFN bits 4–15, subframe bits 0–3)
 *     +2 u16: carrier index 0–1, ACK 2, CQI 3, RI 4, frequency hopping 5–6, re-tx index 7–11, RV 12–13, mirror hopping 14–15
 *     +4 u32: resource allocation type 0, start RB slot 0 bits 1–7, slot 1 bits 8–14, number of RBs bits 15–21
 *     +8 TB size u16 (bytes) | +10 coding rate u16 (/1024) | +12 ACK/RI bits | +16 ACK payload
 *     +20 u32: modulation code bits 0–1, digital gain bits 2–9 | +24 u32: PUSCH Tx power bits 0–6 | … | +60 Tx resampler
 *
 * Checked on the real log (mobileinsight-core/latency_sample: 1169 records, 1193 transmissions): every body
 * is exactly 8 + 68 × count bytes; TB size, RBs and coding rate agree.
 * - Modulation: code 1 = QPSK, 2 = 16QAM (MobileInsight's names: 0 BPSK … 3 64QAM). On the real log
 *   (8·TBS + 24 CRC bits) / (RBs × 144 REs × rate) gives Q_m = 2.0 for the code-1 records and 4.0 for most
 *   code-2 ones (the rest a little below 4, where UCI takes REs).
 * - Tx power: the 7-bit value in dBm. MobileInsight subtracts 128 in v102 (not in v23/v43), which gives
 *   −116…−100 dBm, below the −40 dBm minimum output power of TS 36.101 §6.3.2. The raw value follows the
 *   10·log10(M_PUSCH) term of TS 36.213 §5.1.1.1: mean 13.7 dBm on 1 RB, 16.8 on 2 (+3.1; +3.0 predicted),
 *   18.4 on 3 (+4.7; +4.8), 24.0 on 12 (+10.3; +10.8); range 12…28 dBm (one 28 dBm record, above the 23 dBm
 *   of power class 3: kept as logged).
 * - MCS: not in the record (the I_MCS would have to be inverted from TBS and RBs); not given.
 */

export const LTE_PUSCH_TX_REPORT = 0xb139;
const RECORD = 68;
/** Modulation code → name (MobileInsight's ValueNameModulation; QPSK and 16QAM checked on the real log). */
const MODULATIONS: readonly string[] = ['BPSK', 'QPSK', '16QAM', '64QAM'];

const v102: DiagVersionDecoder = (b) => {
  const head = u16(b, 1);
  const count = (head >> 9) & 31;
  if (b.length !== 8 + count * RECORD)
    throw new DiagDecodeError(1, `${count} records of ${RECORD} bytes do not make a ${b.length}-byte body`);
  const sfn: number[] = [];
  const subframe: number[] = [];
  const retx: number[] = [];
  const rv: number[] = [];
  const numRb: number[] = [];
  const startRb: number[] = [];
  const tb: number[] = [];
  const rate: number[] = [];
  const mod: number[] = [];
  const modulation: string[] = [];
  const txPower: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = 8 + i * RECORD;
    const sf = u16(b, r);
    const flags = u16(b, r + 2);
    const ra = u32(b, r + 4);
    sfn.push(sf >> 4);
    subframe.push(sf & 0xf);
    retx.push((flags >> 7) & 31);
    rv.push((flags >> 12) & 3);
    startRb.push((ra >>> 1) & 127);
    numRb.push((ra >>> 15) & 127);
    tb.push(u16(b, r + 8));
    rate.push(u16(b, r + 10) / 1024);
    const m = u32(b, r + 20) & 3;
    mod.push(m);
    modulation.push(MODULATIONS[m]!);
    txPower.push(u32(b, r + 24) & 127);
  }
  return {
    pci: head & 0x1ff,
    records: count,
    dispatch_sfn: u16(b, 4) >> 4,
    sfn,
    subframe,
    retx_index: retx,
    rv,
    start_rb: startRb,
    num_rb: numRb,
    tb_size_bytes: tb,
    coding_rate: rate,
    modulation_code: mod,
    modulation,
    pusch_tx_power_dbm: txPower,
  };
};

export const ltePuschTxReport: DiagLogDecoder = {
  logCode: LTE_PUSCH_TX_REPORT,
  name: 'LTE LL1 PUSCH Tx Report',
  version: (b) => b[0],
  versions: new Map([[102, v102]]),
};
