import { decodePrbIqBlockScaledSum, decodePrbIqSum, PrbIqResult } from './iq.js';
import { IqSimd, iqSimd, SectionIqTotals } from './iq-simd.js';
import type { UplaneSection } from './oran-message.js';

/*
 * Per-PRB IQ sums of a decoded U-plane section (O-RAN WG4 CUS Annex A.1 BFP, §6.3.3 uncompressed), for views
 * that show PRBs (a PRB × time grid): the WebAssembly SIMD kernel where it runs, else the scalar decoder —
 * the same integers either way, and no dB per PRB (a view converts what it shows).
 */

const totals = new SectionIqTotals();
const prb = new PrbIqResult();
let exponents = new Uint8Array(512);

/**
 * For the first `n` PRBs of section `s` of frame `data` (methods 0, 1 and 2 only): `sums[k]` = Σ(I² + Q²) on the
 * 16-bit scale (0 for an all-zero PRB) and `clipped[k]` its clipped samples (BFP at exponent 16 − width).
 */
export function sectionPrbSums(
  data: Uint8Array,
  s: UplaneSection,
  n: number,
  sums: Float64Array,
  clipped: Uint8Array,
): void {
  const bfp = s.compMethod === 1;
  const scaled = s.compMethod === 2;
  const param = bfp || scaled;
  const w = s.iqWidth;
  const stride = 3 * w + (param ? 1 : 0);
  if (iqSimd !== undefined && IqSimd.supports(w)) {
    if (exponents.length < n) exponents = new Uint8Array(2 * n);
    iqSimd.sectionPrbs(
      data,
      s.dataOffset,
      n,
      stride,
      w,
      param,
      param ? 0 : 16 - w,
      bfp ? 16 - w : -1,
      totals,
      exponents,
      0,
      sums,
      clipped,
      scaled,
    );
    return;
  }
  for (let k = 0, p = s.dataOffset; k < n; k++, p += stride) {
    if (scaled) decodePrbIqBlockScaledSum(data, p + 1, w, data[p]!, prb);
    else decodePrbIqSum(data, bfp ? p + 1 : p, w, bfp ? data[p]! & 15 : -1, prb);
    sums[k] = prb.zero ? 0 : prb.sumSq16;
    clipped[k] = prb.zero ? 0 : prb.clipped;
  }
}
