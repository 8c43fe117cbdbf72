import type { FindingList } from '../decode/findings.js';
import { CplaneExtension, type CplaneSection } from './oran-message.js';

/*
 * C-plane section extensions (O-RAN WG4 CUS §7.7). Each starts with
 *   ef(1) | extType(7) | extLen(8, in 4-byte words, header included; 0 is reserved)
 * except extension 11 whose extLen is 16 bits. `ef` = 1 means another extension follows.
 * Decoded in full: 1 (beamforming weights), 4 (modulation compression), 5 (modulation compression
 * additional scaling), 6 (non-contiguous PRB allocation), 10 (multiple-port grouping), 11 (flexible
 * beamforming weights). Others: type and length.
 */

function ext(section: CplaneSection, i: number): CplaneExtension {
  let e = section.extensions[i];
  if (e === undefined) {
    e = new CplaneExtension();
    section.extensions.push(e);
  }
  return e;
}

/** Bytes of a bfwCompParam for a bfwCompMeth (CUS §7.7.1.3): 0 none, 1–3 one byte, 4 beamspace varies. */
function bfwParamBytes(meth: number): number {
  return meth === 1 || meth === 2 || meth === 3 ? 1 : 0;
}

/**
 * Decodes the extension chain at `offset` (bounded by `end`) into `section`. Returns the offset
 * after the last extension, or -1 when the chain is malformed (the caller stops the message).
 */
export function decodeExtensions(
  data: Uint8Array,
  offset: number,
  end: number,
  section: CplaneSection,
  numPrbc: number,
  findings: FindingList,
): number {
  let o = offset;
  let more = true;
  section.extensionCount = 0;
  while (more) {
    if (end - o < 2) {
      findings.add('oran_malformed', 'ext_len_overrun', o, 0);
      return -1;
    }
    const b0 = data[o]!;
    more = (b0 & 0x80) !== 0;
    const extType = b0 & 0x7f;
    let extLen = data[o + 1]!;
    let hdr = 2;
    // Extensions 11, 19 and 20 carry a 16-bit extLen (CUS §7.7.11.1, §7.7.19, §7.7.20).
    if (extType === 11 || extType === 19 || extType === 20) {
      if (end - o < 4) {
        findings.add('oran_malformed', 'ext_len_overrun', o, 0);
        return -1;
      }
      extLen = (data[o + 1]! << 8) | data[o + 2]!;
      hdr = 3;
    }
    if (extLen === 0) {
      findings.add('oran_malformed', 'ext_len_zero', o, extType);
      return -1;
    }
    const len = extLen * 4;
    if (o + len > end) {
      findings.add('oran_malformed', 'ext_len_overrun', o, extLen);
      return -1;
    }
    const e = ext(section, section.extensionCount++);
    e.reset();
    e.extType = extType;
    e.ef = more ? 1 : 0;
    e.extLen = extLen;
    e.offset = o;
    e.byteLength = len;
    decodeBody(data, o + hdr, o + len, e, numPrbc, findings);
    const expected = expectedExtLen(e);
    if (expected > 0 && expected !== extLen) findings.add('oran_malformed', 'ext_len_wrong', o, extLen);
    o += len;
  }
  return o;
}

/**
 * extLen the extension's own fields imply (CUS §7.7.4–§7.7.11), or 0 when it depends on M-plane
 * parameters (ext 1 weights, ext 11 with weights) or the type is not decoded in full.
 */
function expectedExtLen(e: CplaneExtension): number {
  switch (e.extType) {
    case 4:
      return 1;
    case 5:
      return e.extLen >= 2 && e.extLen <= 4 ? e.extLen : 2;
    case 6:
      return 2;
    case 10:
      return Math.ceil((3 + (e.beamGroupType === 2 ? 2 * e.numPortc : 0)) / 4);
    case 11:
      return e.disableBFWs === 1 ? Math.ceil((5 + 2 * e.numBundles) / 4) : 0;
    default:
      return 0;
  }
}

function decodeBody(
  d: Uint8Array,
  p: number,
  end: number,
  e: CplaneExtension,
  numPrbc: number,
  findings: FindingList,
): void {
  const n = end - p;
  switch (e.extType) {
    case 1: {
      // bfwCompHdr: bfwIqWidth(4) | bfwCompMeth(4); bfwCompParam; N × (bfwI, bfwQ), N from extLen
      if (n < 1) return;
      e.bfwIqWidth = d[p]! >> 4;
      e.bfwCompMeth = d[p]! & 15;
      const param = bfwParamBytes(e.bfwCompMeth);
      if (e.bfwCompMeth === 1 && n >= 2) e.bfwExponent = d[p + 1]! & 15;
      const width = e.bfwIqWidth === 0 ? 16 : e.bfwIqWidth;
      const start = p + 1 + param;
      const count = Math.max(0, Math.floor(((end - start) * 8) / (2 * width)));
      e.numBfWeights = count;
      if (e.bfwI.length < count) {
        e.bfwI = new Int16Array(count);
        e.bfwQ = new Int16Array(count);
      }
      for (let k = 0, bit = 0; k < count; k++, bit += 2 * width) {
        e.bfwI[k] = signed(readBits(d, start, bit, width), width);
        e.bfwQ[k] = signed(readBits(d, start, bit + width, width), width);
      }
      return;
    }
    case 4:
      // csf(1) | modCompScaler(15)
      if (n < 2) return;
      e.csf = d[p]! >> 7;
      e.modCompScaler = ((d[p]! & 0x7f) << 8) | d[p + 1]!;
      return;
    case 5: {
      // Sets of mcScaleReMask(12) | csf(1) | mcScaleOffset(15), packed (28 bits each): extLen 2 → 1
      // set, 3 → 2, 4 → 3 or 4 (4 unless the last 28 bits are all zero), as current Wireshark reads it.
      let sets = e.extLen === 2 ? 1 : e.extLen === 3 ? 2 : 0;
      if (e.extLen === 4) sets = n >= 14 && readBits(d, p, 84, 28) !== 0 ? 4 : 3;
      let bit = 0;
      for (let i = 0; i < sets; i++, bit += 28) {
        e.mcScaleReMask[i] = readBits(d, p, bit, 12);
        e.mcScaleCsf[i] = readBits(d, p, bit + 12, 1);
        e.mcScaleOffset[i] = readBits(d, p, bit + 13, 15);
      }
      e.mcScaleSets = sets;
      if (sets > 0) {
        e.csf = e.mcScaleCsf[0]!;
      }
      return;
    }
    case 6:
      // repetition(1) | rbgSize(3) | rbgMask(28) | priority(2) | symbolMask(14)
      if (n < 6) return;
      e.repetition = d[p]! >> 7;
      e.rbgSize = (d[p]! >> 4) & 7;
      e.rbgMask = (d[p]! & 15) * 0x1000000 + ((d[p + 1]! << 16) | (d[p + 2]! << 8) | d[p + 3]!);
      e.priority = d[p + 4]! >> 6;
      e.symbolMask = ((d[p + 4]! & 0x3f) << 8) | d[p + 5]!;
      if (e.rbgSize === 0) findings.add('oran_malformed', 'reserved_value', p, 0);
      return;
    case 10: {
      // beamGroupType(2) | numPortc(6); beamGroupType 2: numPortc × (reserved(1) | beamId(15))
      if (n < 1) return;
      e.beamGroupType = d[p]! >> 6;
      e.numPortc = d[p]! & 0x3f;
      if (e.beamGroupType === 3) findings.add('oran_malformed', 'reserved_value', p, 3);
      if (e.beamGroupType === 2) {
        for (let i = 0, q = p + 1; i < e.numPortc && q + 2 <= end; i++, q += 2)
          pushBeam(e, ((d[q]! & 0x7f) << 8) | d[q + 1]!);
      }
      return;
    }
    case 11: {
      // disableBFWs(1) | RAD(1) | reserved(6) | numBundPrb(8) | then per bundle of numBundPrb PRBs:
      //   disableBFWs = 1: reserved(1) | beamId(15)
      //   disableBFWs = 0: bfwCompHdr once, then per bundle bfwCompParam | reserved(1) beamId(15) |
      //                    K × (bfwI, bfwQ); K (weights per bundle, an M-plane value) from extLen
      if (n < 2) return;
      e.disableBFWs = d[p]! >> 7;
      e.rad = (d[p]! >> 6) & 1;
      e.numBundPrb = d[p + 1]!;
      const bundles = e.numBundPrb === 0 ? 0 : Math.ceil(numPrbc / e.numBundPrb);
      e.numBundles = bundles;
      if (e.numBundPrb === 0) findings.add('oran_malformed', 'reserved_value', p + 1, 0);
      if (e.disableBFWs === 1) {
        for (let i = 0, q = p + 2; i < bundles && q + 2 <= end; i++, q += 2)
          pushBeam(e, ((d[q]! & 0x7f) << 8) | d[q + 1]!);
      } else if (n >= 3 && bundles > 0) {
        e.bfwIqWidth = d[p + 2]! >> 4;
        e.bfwCompMeth = d[p + 2]! & 15;
        const width = e.bfwIqWidth === 0 ? 16 : e.bfwIqWidth;
        const param = bfwParamBytes(e.bfwCompMeth);
        const perBundle = Math.floor((end - (p + 3)) / bundles);
        const k = Math.max(0, Math.floor(((perBundle - param - 2) * 8) / (2 * width)));
        e.numBfWeights = k;
        const bundleBytes = param + 2 + Math.ceil((k * 2 * width) / 8);
        for (let i = 0, q = p + 3 + param; i < bundles && q + 2 <= end; i++, q += bundleBytes)
          pushBeam(e, ((d[q]! & 0x7f) << 8) | d[q + 1]!);
      }
      return;
    }
    default:
      return;
  }
}

function signed(v: number, width: number): number {
  return v & (1 << (width - 1)) ? v - (1 << width) : v;
}

function pushBeam(e: CplaneExtension, id: number): void {
  if (e.beamIdCount < e.beamIds.length) e.beamIds[e.beamIdCount] = id;
  else e.beamIds.push(id);
  e.beamIdCount++;
}

/** Reads `count` (≤ 30) bits MSB-first at bit offset `bit` from byte `base`. */
function readBits(d: Uint8Array, base: number, bit: number, count: number): number {
  let v = 0;
  for (let i = 0; i < count; i++) {
    const b = bit + i;
    v = (v << 1) | ((d[base + (b >> 3)]! >> (7 - (b & 7))) & 1);
  }
  return v;
}
