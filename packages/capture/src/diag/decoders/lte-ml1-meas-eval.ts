import {
  DiagDecodeError,
  u16,
  u32,
  u8,
  type DiagFields,
  type DiagLogDecoder,
  type DiagVersionDecoder,
} from './diag-decoder.js';

/*
 * 0xB17F LTE ML1 Serving Cell Meas & Eval and 0xB180 LTE ML1 Neighbor Measurements (little-endian), as SCAT
 * (parse_lte_ml1_scell_meas / parse_lte_ml1_ncell_meas) reads them:
 *
 * 0xB17F v4: 0 ver | 1 RRC release | 2 rsvd u16 | 4 earfcn u16 | 6 pci u16 (9 bits PCI, 7 bits serving layer
 *            priority) | 8 meas RSRP u32 (bits 0–11) | 12 avg RSRP u32 (bits 0–11) | 16 RSRQ u32 (measured
 *            bits 0–9, average bits 20–29) | 20 RSSI u32 (bits 10–…) | 24 rxlev | 28 s_search
 * 0xB17F v5: the same with a u32 EARFCN and a u32 PCI word (every field from 8 on moves by 4).
 * 0xB180 v4: 0 ver | 1 RRC release | 2 rsvd | 4 earfcn u16 | 6 u16 (q_rxlevmin bits 0–5, cell count from bit 6)
 *            | 8 cells of 32 bytes; v5: earfcn u32 @4, the count word u32 @8, cells from 12.
 *            Cell: u32 @0 (PCI bits 0–8, RSSI bits 9–19, RSRP bits 20–31) | u32 @4 (avg RSRP bits 12–23)
 *            | u32 @8 (RSRQ bits 12–21) | u32 @12 (avg RSRQ bits 0–9) | …
 *
 * Checked on the real logs: the two 0xB17F v5 records of the Nexus 6 log give the PCI/EARFCN pairs and RSRP
 * levels that its 0xB193 records show at the same time. No 0xB180 record is in the shared samples: its layout
 * is SCAT's reading only.
 */

export const LTE_ML1_SCELL_MEAS_EVAL = 0xb17f;
export const LTE_ML1_NCELL_MEAS = 0xb180;

const rsrp = (raw: number): number => raw * 0.0625 - 180;
const rsrq = (raw: number): number => raw * 0.0625 - 30;
const rssi = (raw: number): number => raw * 0.0625 - 110;

function scellMeas(wide: boolean): DiagVersionDecoder {
  return (b) => {
    const x = wide ? 4 : 0;
    const need = 32 + x;
    if (b.length < need)
      throw new DiagDecodeError(b.length, `body of ${b.length} bytes is shorter than the ${need}-byte layout`);
    const pciWord = wide ? u32(b, 8) : u16(b, 6);
    const q = u32(b, 16 + x);
    return {
      rrc_release: u8(b, 1),
      earfcn: wide ? u32(b, 4) : u16(b, 4),
      pci: pciWord & 0x1ff,
      serving_layer_priority: (pciWord >> 9) & 0x7f,
      rsrp: rsrp(u32(b, 8 + x) & 0xfff),
      rsrp_avg: rsrp(u32(b, 12 + x) & 0xfff),
      rsrq: rsrq(q & 0x3ff),
      rsrq_avg: rsrq((q >>> 20) & 0x3ff),
      rssi: rssi((u32(b, 20 + x) >>> 10) & 0x7ff),
    };
  };
}

function ncellMeas(wide: boolean): DiagVersionDecoder {
  return (b) => {
    const countWord = wide ? u32(b, 8) : u16(b, 6);
    const cells = countWord >>> 6;
    const first = wide ? 12 : 8;
    if (first + cells * 32 > b.length)
      throw new DiagDecodeError(wide ? 8 : 6, `${cells} cells of 32 bytes do not fit a ${b.length}-byte body`);
    const f: DiagFields = { earfcn: wide ? u32(b, 4) : u16(b, 4) };
    const pci: number[] = [];
    const rp: number[] = [];
    const rq: number[] = [];
    const rs: number[] = [];
    for (let i = 0; i < cells; i++) {
      const c = first + i * 32;
      const w0 = u32(b, c);
      pci.push(w0 & 0x1ff);
      rs.push(rssi((w0 >>> 9) & 0x7ff));
      rp.push(rsrp((w0 >>> 20) & 0xfff));
      rq.push(rsrq((u32(b, c + 8) >>> 12) & 0x3ff));
    }
    return { ...f, pci, rsrp: rp, rsrq: rq, rssi: rs };
  };
}

export const lteMl1ScellMeasEval: DiagLogDecoder = {
  logCode: LTE_ML1_SCELL_MEAS_EVAL,
  name: 'LTE ML1 Serving Cell Meas and Eval',
  version: (b) => b[0],
  versions: new Map([
    [4, scellMeas(false)],
    [5, scellMeas(true)],
  ]),
};

export const lteMl1NcellMeas: DiagLogDecoder = {
  logCode: LTE_ML1_NCELL_MEAS,
  name: 'LTE ML1 Neighbor Measurements',
  version: (b) => b[0],
  versions: new Map([
    [4, ncellMeas(false)],
    [5, ncellMeas(true)],
  ]),
};
