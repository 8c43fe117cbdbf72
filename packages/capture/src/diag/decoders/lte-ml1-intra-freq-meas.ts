import { DiagDecodeError, u16, u32, u8, type DiagLogDecoder, type DiagVersionDecoder } from './diag-decoder.js';

/*
 * 0xB179 LTE ML1 Connected Mode LTE Intra-Frequency Measurement Results (little-endian; MobileInsight
 * LtePhyCmlifmrFmt, versions 3 and 4):
 *
 *   0 version u8 | 1 3 reserved | 4 serving cell index u8 (bits 0–2) | 5 3 reserved
 *   v3: 8 E-ARFCN u16 | 10 serving PCI u16 | 12 sub-frame number u16 | 14 filtered RSRP u16 | 16 (again)
 *       | 18 filtered RSRQ u16 | 20 (again) | 22 neighbour cells u8 | 23 detected cells u8 | 24 neighbours
 *   v4: 8 E-ARFCN u32 | 12 PCI u16 | 14 sub-frame u16 | 16 RSRP | 18 (again) | 20 RSRQ | 22 (again)
 *       | 24 neighbours u8 | 25 detected u8 | 26 2 reserved | 28 neighbours
 *   neighbour (12 bytes): PCI u16 | RSRP u16 | (again) | RSRQ u16 | (again) | 2 reserved
 *   detected cell (16 bytes): PCI (v3 u32, v4 u16 + 2) | SSS correlation u32 | reference time u64
 *   then, in many real records, 12 or 24 more bytes MobileInsight does not read (zero in every real record)
 *   RSRP = 0.0625·x − 180 dBm, RSRQ = 0.0625·x − 30 dB (the 0xB193 scalings)
 *
 * Checked on the real logs (MECProj1: 5,376 v3 records in two Samsung logs, 248 v4 in the Nexus 6/6P logs):
 * every body holds header + 12 × neighbours + 16 × detected bytes (a shorter one is malformed); the serving PCI and E-ARFCN are those
 * 0xB193 reports in the same log (314 / 2300 T-Mobile, 185 / 700 AT&T) and the RSRP agrees with it.
 */

export const LTE_ML1_INTRA_FREQ_MEAS = 0xb179;
const NEIGHBOUR = 12;
const DETECTED = 16;

const rsrp = (x: number): number => x * 0.0625 - 180;
const rsrq = (x: number): number => x * 0.0625 - 30;

function decoderFor(v4: boolean): DiagVersionDecoder {
  const at = v4 ? 12 : 10; // serving PCI
  const first = v4 ? 28 : 24;
  return (b) => {
    const n = u8(b, at + 12);
    const d = u8(b, at + 13);
    // The real records often carry 12 or 24 more bytes after the counted cells (not decoded).
    if (b.length < first + n * NEIGHBOUR + d * DETECTED)
      throw new DiagDecodeError(at + 12, `${n} neighbours and ${d} detected cells do not fit a ${b.length}-byte body`);
    const nPci: number[] = [];
    const nRsrp: number[] = [];
    const nRsrq: number[] = [];
    for (let i = 0; i < n; i++) {
      const o = first + i * NEIGHBOUR;
      nPci.push(u16(b, o) & 0x1ff);
      nRsrp.push(rsrp(u16(b, o + 2)));
      nRsrq.push(rsrq(u16(b, o + 6)));
    }
    return {
      serving_cell_index: u8(b, 4) & 7,
      earfcn: v4 ? u32(b, 8) : u16(b, 8),
      pci: u16(b, at) & 0x1ff,
      rsrp: rsrp(u16(b, at + 4)),
      rsrq: rsrq(u16(b, at + 8)),
      neighbour_pci: nPci,
      neighbour_rsrp: nRsrp,
      neighbour_rsrq: nRsrq,
      detected_cells: d,
    };
  };
}

export const lteMl1IntraFreqMeas: DiagLogDecoder = {
  logCode: LTE_ML1_INTRA_FREQ_MEAS,
  name: 'LTE ML1 Connected Mode Intra-Frequency Measurement Results',
  version: (b) => b[0],
  versions: new Map([
    [3, decoderFor(false)],
    [4, decoderFor(true)],
  ]),
};
