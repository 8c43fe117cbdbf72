import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB97F NR5G ML1 Searcher Measurement Database Update (little-endian; MobileInsight
 * nr_ml1_search_meas_database_update.h, versions 2.7 and 2.9; SCAT does not decode it):
 *
 *   0 minor version u16 | 2 major version u16   (keyed as major << 16 | minor: 2.7 = 131079, 2.9 = 131081)
 *   v2.7: 4 carriers u8 | 5 serving SSB periodicity u8 | 6 reserved u16 | 8 frequency offset u32 | 12 timing offset u32
 *   v2.9: 4 reserved u32 | 8 carriers u8 | 9 SSB periodicity u8 | 10 reserved u16 | 12 frequency offset | 16 timing offset
 *   then per carrier (32 bytes): raster NR-ARFCN u32 | cells u8 | serving cell index u8 (v2.9: these two swapped)
 *     | serving PCI u16 | serving SSB u8 | 3 reserved | serving Rx2/3 RSRP u32 ×2 | serving Rx beams u16 ×2
 *     | RFIC u16 | reserved u16 | sub-arrays u16 ×2
 *     then per cell (16 bytes): PCI u16 | PBCH SFN u16 | beams u8 | 3 reserved | cell RSRP u32 | cell RSRQ u32
 *       then per beam (44 bytes): SSB index u16 | reserved u16 | Rx beam ids u16 ×2 | reserved u32
 *         | SSB reference timing u64 | Rx beam RSRP u32 ×2 | L3 filtered beam RSRP u32, RSRQ u32 | L2 RSRP, RSRQ
 *
 * RSRP/RSRQ words: bits 0–14 hold a negative Q8.7 value, dB(m) = raw / 128 − 256 (MobileInsight's reading:
 * integer part two's-complement in bits 7–14, fraction in bits 0–6); 0 means not measured (null).
 * Per cell (flattened over carriers): NR-ARFCN, PCI, whether it is its carrier's serving cell, cell RSRP
 * and RSRQ, and for the first (strongest listed) beam its SSB index and RSRP per receive chain. No real
 * sample carries this code: the layout is MobileInsight's, checked against the fixtures only.
 */

export const NR_ML1_SEARCHER_MEAS = 0xb97f;
const CARRIER = 32;
const CELL = 16;
const BEAM = 44;

/** A Q8.7 measurement word (null when 0). */
function q7(raw: number): number | null {
  const v = raw & 0x7fff;
  return v === 0 ? null : v / 128 - 256;
}

function decoderFor(v29: boolean): DiagVersionDecoder {
  const header = v29 ? 20 : 16;
  return (b) => {
    const carriers = u8(b, v29 ? 8 : 4);
    const f = {
      carriers,
      arfcn: [] as number[],
      pci: [] as number[],
      is_serving_cell: [] as boolean[],
      rsrp: [] as (number | null)[],
      rsrq: [] as (number | null)[],
      ssb_index: [] as (number | null)[],
      rsrp_rx: [] as (number | null)[][],
    };
    let p = header;
    for (let c = 0; c < carriers; c++) {
      if (p + CARRIER > b.length) throw new DiagDecodeError(p, `carrier ${c} runs past the body's ${b.length} bytes`);
      const arfcn = u32(b, p);
      const cells = u8(b, p + (v29 ? 5 : 4));
      const servingPci = u16(b, p + 6);
      p += CARRIER;
      for (let k = 0; k < cells; k++) {
        if (p + CELL > b.length) throw new DiagDecodeError(p, `cell ${k} of carrier ${c} runs past the body`);
        const pci = u16(b, p);
        const beams = u8(b, p + 4);
        f.arfcn.push(arfcn);
        f.pci.push(pci);
        f.is_serving_cell.push(pci === servingPci);
        f.rsrp.push(q7(u32(b, p + 8)));
        f.rsrq.push(q7(u32(b, p + 12)));
        p += CELL;
        if (p + beams * BEAM > b.length)
          throw new DiagDecodeError(p, `${beams} beams of cell ${k} run past the body's ${b.length} bytes`);
        f.ssb_index.push(beams > 0 ? u16(b, p) : null);
        f.rsrp_rx.push(beams > 0 ? [q7(u32(b, p + 20)), q7(u32(b, p + 24))] : []);
        p += beams * BEAM;
      }
    }
    if (p !== b.length) throw new DiagDecodeError(p, `${b.length - p} bytes left after the last carrier`);
    return f;
  };
}

export const nrMl1SearcherMeas: DiagLogDecoder = {
  logCode: NR_ML1_SEARCHER_MEAS,
  name: 'NR5G ML1 Searcher Measurement Database Update',
  version: (b) => (b.length >= 4 ? (u16(b, 2) << 16) | u16(b, 0) : undefined),
  versions: new Map([
    [(2 << 16) | 7, decoderFor(false)],
    [(2 << 16) | 9, decoderFor(true)],
  ]),
};
