import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * Channel state feedback the UE reports: 0xB14D LTE PHY PUCCH CSF and 0xB14E LTE PHY PUSCH CSF
 * (little-endian; MobileInsight lte_phy_pucch_csf.h, lte_phy_pusch_csf.h). Rank = rank index + 1.
 *
 *   0xB14D v43, v101, v102 (12 bytes):
 *     0 version | 1 u16: subframe bits 0–3, SFN 4–13, reporting mode bits 14–15 (low) | 3 u8: mode bit 0 (high),
 *     report type 1–4 | 4 u32: subbands 0–3, rank index bit 7 (v43; v101/102: alternative CQI table), CQI CW0
 *     10–13, CQI CW1 14–17, wideband PMI 18–21, carrier index 22–25, CSF Tx mode 26–29
 *     | v101/102: 8 u8 CSI-RS ports 0–3 | 9 u8: CSI measurement set bit 1, rank index bits 2–3
 *   0xB14E v22, v42 (36 bytes):
 *     0 version | 1 u16: subframe 0–3, SFN 4–13 (v42: reporting mode low bits 14–15) | 3 u8: v22 mode bits 1–3,
 *     rank index bit 4; v42 mode bit 0 (high), rank index bit 1, CSI measurement set bit 2 | 4 u32: subbands
 *     0–4, wideband CQI CW0 5–8, CW1 9–12, sub-band size 13–19, wideband PMI 20–23, multi-band PMI 24–27, CSF
 *     Tx mode 28–31 | 8 27 bytes | 35 u8: carrier index 0–3 (v42: CSI-RS ports 4–7)
 *
 * No real sample carries these codes: the layouts are MobileInsight's, checked against the fixtures only.
 */

export const LTE_PUCCH_CSF = 0xb14d;
export const LTE_PUSCH_CSF = 0xb14e;

function need(b: Uint8Array, n: number): void {
  if (b.length < n) throw new DiagDecodeError(b.length, `the layout needs ${n} bytes, the body has ${b.length}`);
}

function pucch(v43: boolean): DiagVersionDecoder {
  return (b) => {
    need(b, 12);
    const sf = u16(b, 1);
    const w = u32(b, 4);
    return {
      sfn: (sf >> 4) & 0x3ff,
      subframe: sf & 0xf,
      reporting_mode: ((u8(b, 3) & 1) << 2) | (sf >> 14),
      report_type: (u8(b, 3) >> 1) & 0xf,
      rank: (v43 ? (w >>> 7) & 1 : (u8(b, 9) >> 2) & 3) + 1,
      cqi_cw0: (w >>> 10) & 0xf,
      cqi_cw1: (w >>> 14) & 0xf,
      wideband_pmi: (w >>> 18) & 0xf,
      carrier_index: (w >>> 22) & 0xf,
      csf_tx_mode: (w >>> 26) & 0xf,
    };
  };
}

function pusch(v22: boolean): DiagVersionDecoder {
  return (b) => {
    need(b, 36);
    const sf = u16(b, 1);
    const m = u8(b, 3);
    const w = u32(b, 4);
    return {
      sfn: (sf >> 4) & 0x3ff,
      subframe: sf & 0xf,
      reporting_mode: v22 ? (m >> 1) & 7 : ((m & 1) << 2) | (sf >> 14),
      rank: (v22 ? (m >> 4) & 1 : (m >> 1) & 1) + 1,
      subbands: w & 0x1f,
      cqi_cw0: (w >>> 5) & 0xf,
      cqi_cw1: (w >>> 9) & 0xf,
      wideband_pmi: (w >>> 20) & 0xf,
      carrier_index: u8(b, 35) & 0xf,
      csf_tx_mode: (w >>> 28) & 0xf,
    };
  };
}

export const ltePucchCsf: DiagLogDecoder = {
  logCode: LTE_PUCCH_CSF,
  name: 'LTE PHY PUCCH CSF',
  version: (b) => b[0],
  versions: new Map([
    [43, pucch(true)],
    [101, pucch(false)],
    [102, pucch(false)],
  ]),
};

export const ltePuschCsf: DiagLogDecoder = {
  logCode: LTE_PUSCH_CSF,
  name: 'LTE PHY PUSCH CSF',
  version: (b) => b[0],
  versions: new Map([
    [22, pusch(true)],
    [42, pusch(false)],
  ]),
};
