import { DiagDecodeError, u16, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB18A LTE ML1 Radio Link Monitoring report, version 1 (little-endian; MobileInsight lte_ml1_rlm_report.h):
 *
 *   0 version u8 | 1 reserved u16 | 3 record count u8 | 4 records of 12 bytes:
 *     +0 u16: SFN bits 0–9, subframe bits 10–13 | +2 out-of-sync BLER u16 (× 100 / 32768 %)
 *     +4 in-sync BLER u16 (× 100 / 32768 %) | +6 u16: out-of-sync count bits 0–4, in-sync count bits 5–9
 *     +8 T310 timer status u8 (raw) | +9 reserved ×3
 *
 * Checked on the real logs: all 148 records (bler_sample, Nexus 6) are exactly 4 + 12 × count bytes; in
 * bler_sample the out-of-sync count climbs 1 … 20 while the T310 status is non-zero, just before the UE's
 * RRC re-establishment request. The meaning of each T310 status value is not documented: it is given raw.
 */

export const LTE_ML1_RLM_REPORT = 0xb18a;
const RECORD = 12;

const pct = (raw: number): number => Math.round((raw * 100 * 100) / 32768) / 100;

const v1: DiagVersionDecoder = (b) => {
  const count = u8(b, 3);
  if (b.length !== 4 + count * RECORD)
    throw new DiagDecodeError(3, `${count} records of ${RECORD} bytes do not make a ${b.length}-byte body`);
  const sfn: number[] = [];
  const subframe: number[] = [];
  const oosBler: number[] = [];
  const isBler: number[] = [];
  const oosCount: number[] = [];
  const isCount: number[] = [];
  const t310: number[] = [];
  for (let i = 0; i < count; i++) {
    const r = 4 + i * RECORD;
    const sf = u16(b, r);
    const counts = u16(b, r + 6);
    sfn.push(sf & 0x3ff);
    subframe.push((sf >> 10) & 0xf);
    oosBler.push(pct(u16(b, r + 2)));
    isBler.push(pct(u16(b, r + 4)));
    oosCount.push(counts & 31);
    isCount.push((counts >> 5) & 31);
    t310.push(u8(b, r + 8));
  }
  return {
    records: count,
    sfn,
    subframe,
    out_of_sync_bler_pct: oosBler,
    in_sync_bler_pct: isBler,
    out_of_sync_count: oosCount,
    in_sync_count: isCount,
    t310_status: t310,
  };
};

export const lteMl1RlmReport: DiagLogDecoder = {
  logCode: LTE_ML1_RLM_REPORT,
  name: 'LTE ML1 RLM Report',
  version: (b) => b[0],
  versions: new Map([[1, v1]]),
};
