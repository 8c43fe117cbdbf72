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

/**
 * The fields of a record, in the order the decoded record lists them (`l1t decode` prints them so). One object
 * per version refilled by each record, its neighbour arrays rewritten in place and cut to the record's count
 * (issue 13: 112 k records of an object and three arrays each on the 400 MB bench:diag input, as ab33e3d did
 * for 0xB193): a record's fields are valid until the next 0xB179 record of its version is decoded
 * (DiagDecodeResult.fields) — the DIAG analyzer does not read them, `l1t decode` prints each record first.
 */
class IntraFreqFields {
  serving_cell_index = 0;
  earfcn = 0;
  pci = 0;
  rsrp = 0;
  rsrq = 0;
  neighbour_pci: number[] = [];
  neighbour_rsrp: number[] = [];
  neighbour_rsrq: number[] = [];
  detected_cells = 0;
}

function decoderFor(v4: boolean): DiagVersionDecoder {
  const at = v4 ? 12 : 10; // serving PCI
  const first = v4 ? 28 : 24;
  const out = new IntraFreqFields();
  return (b) => {
    const n = u8(b, at + 12);
    const d = u8(b, at + 13);
    // The real records often carry 12 or 24 more bytes after the counted cells (not decoded).
    if (b.length < first + n * NEIGHBOUR + d * DETECTED)
      throw new DiagDecodeError(at + 12, `${n} neighbours and ${d} detected cells do not fit a ${b.length}-byte body`);
    const nPci = out.neighbour_pci;
    const nRsrp = out.neighbour_rsrp;
    const nRsrq = out.neighbour_rsrq;
    // written in place, pushed beyond the previous record's count, then cut: lengthening an array with
    // `length = n` made it holey and was slower than new arrays (in-process decode of the bench input's records)
    const had = nPci.length;
    for (let i = 0; i < n; i++) {
      const o = first + i * NEIGHBOUR;
      const p = u16(b, o) & 0x1ff;
      const r = rsrp(u16(b, o + 2));
      const q = rsrq(u16(b, o + 6));
      if (i < had) {
        nPci[i] = p;
        nRsrp[i] = r;
        nRsrq[i] = q;
      } else {
        nPci.push(p);
        nRsrp.push(r);
        nRsrq.push(q);
      }
    }
    if (had > n) {
      nPci.length = n;
      nRsrp.length = n;
      nRsrq.length = n;
    }
    out.serving_cell_index = u8(b, 4) & 7;
    out.earfcn = v4 ? u32(b, 8) : u16(b, 8);
    out.pci = u16(b, at) & 0x1ff;
    out.rsrp = rsrp(u16(b, at + 4));
    out.rsrq = rsrq(u16(b, at + 8));
    out.detected_cells = d;
    return out as unknown as DiagFields;
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
