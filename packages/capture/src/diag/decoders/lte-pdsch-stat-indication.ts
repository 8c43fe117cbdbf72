import { DiagDecodeError, u16, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';
import { rntiTypeName } from './lte-rnti-type.js';

/*
 * 0xB173 LTE PDSCH Stat Indication (little-endian; MobileInsight lte_pdsch_stat_indication.h, versions 5, 16
 * and 24). One record per PDSCH subframe, each with two transport-block slots (the second unused when only
 * one TB is present):
 *
 *   0 version u8 | 1 record count u8 | 2 reserved u16
 *   4 records:
 *     +0 u16: subframe bits 0–3, SFN bits 4–15 | +2 RBs u8 | +3 layers u8 | +4 TBs present u8 (1 or 2)
 *     +5 u8: serving cell index bits 0–2 (v16/v24: HSIC bits 3–6)
 *     +6 two TB slots of 6 bytes (v24: 8):
 *        u8: HARQ id bits 0–3, RV 4–5, NDI 6, CRC pass 7 | u8: RNTI type bits 0–3, TB index 4,
 *        discarded re-tx present 5, did recombining 6 | TB size u16 | MCS u8 | RBs u8 (v5: the same, the
 *        modulation implied by the MCS) | v24: modulation order u8 (2, 4, 6, 8 bits/symbol) | reserved u8
 *     then PMCH id u8 | area id u8
 *   record size: v5/v16 20 bytes, v24 24 bytes.
 *
 * The TB size unit is not named by MobileInsight; it is given raw (`tb_size`). A transport block received
 * for the first time has `did_recombining` 0 (no soft combining with an earlier copy) — the initial
 * transmissions a BLER counts. Fields are per transport block, flattened in record order. No real sample
 * carries this code: the layouts are MobileInsight's, checked against the fixtures only.
 */

export const LTE_PDSCH_STAT_INDICATION = 0xb173;

function decoderFor(tbBytes: number): DiagVersionDecoder {
  const recordBytes = 6 + 2 * tbBytes + 2;
  return (b) => {
    const n = u8(b, 1);
    if (b.length !== 4 + n * recordBytes)
      throw new DiagDecodeError(1, `${n} records of ${recordBytes} bytes do not make a ${b.length}-byte body`);
    const f = {
      records: n,
      sfn: [] as number[],
      subframe: [] as number[],
      cell_index: [] as number[],
      num_layers: [] as number[],
      harq_id: [] as number[],
      rv: [] as number[],
      ndi: [] as number[],
      crc_pass: [] as boolean[],
      rnti_type: [] as string[],
      tb_index: [] as number[],
      discarded_retx: [] as boolean[],
      did_recombining: [] as boolean[],
      tb_size: [] as number[],
      mcs: [] as number[],
      num_rb: [] as number[],
      ...(tbBytes === 8 ? { modulation_bits: [] as number[] } : {}),
    };
    for (let i = 0; i < n; i++) {
      const r = 4 + i * recordBytes;
      const tbs = u8(b, r + 4);
      if (tbs < 1 || tbs > 2) throw new DiagDecodeError(r + 4, `record ${i} claims ${tbs} transport blocks (1 or 2)`);
      const sf = u16(b, r);
      for (let t = 0; t < tbs; t++) {
        const o = r + 6 + t * tbBytes;
        const a = u8(b, o);
        const c = u8(b, o + 1);
        f.sfn.push(sf >> 4);
        f.subframe.push(sf & 0xf);
        f.cell_index.push(u8(b, r + 5) & 7);
        f.num_layers.push(u8(b, r + 3));
        f.harq_id.push(a & 0xf);
        f.rv.push((a >> 4) & 3);
        f.ndi.push((a >> 6) & 1);
        f.crc_pass.push((a & 0x80) !== 0);
        f.rnti_type.push(rntiTypeName(c & 0xf));
        f.tb_index.push((c >> 4) & 1);
        f.discarded_retx.push((c & 0x20) !== 0);
        f.did_recombining.push((c & 0x40) !== 0);
        f.tb_size.push(u16(b, o + 2));
        f.mcs.push(u8(b, o + 4));
        f.num_rb.push(u8(b, o + 5));
        f.modulation_bits?.push(u8(b, o + 6));
      }
    }
    return f;
  };
}

export const ltePdschStatIndication: DiagLogDecoder = {
  logCode: LTE_PDSCH_STAT_INDICATION,
  name: 'LTE PDSCH Stat Indication',
  version: (b) => b[0],
  versions: new Map([
    [5, decoderFor(6)],
    [16, decoderFor(6)],
    [24, decoderFor(8)],
  ]),
};
