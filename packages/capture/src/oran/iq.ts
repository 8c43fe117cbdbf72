/*
 * IQ of one PRB (O-RAN WG4 CUS Annex A.1 block floating point; §6.3.3 uncompressed):
 *
 *   [udCompParam (BFP: reserved[7:4] | exponent[3:0])]   only for methods with a parameter
 *   12 REs × (I, Q) × iqWidth bits, two's complement, packed MSB first, padded to a whole byte
 *
 * Values are brought to the 16-bit scale (BFP: mantissa × 2^exponent; uncompressed: sample ×
 * 2^(16 − width)). Power is reported in dBFS with 0 dBFS = an RE of amplitude 2^15:
 *   P = 10·log10( Σ(I² + Q²) / (12 · 2^30) ).
 * Clipping (anomalies.md `iq_saturation`) is a BFP rule: a PRB is clipped when its exponent is
 * 16 − width and a mantissa sits at −2^(w−1) or 2^(w−1) − 1. Uncompressed IQ has no exponent to tell
 * a clipped sample from a constellation scaled to full scale (real captures put 256-QAM's outer
 * points exactly at ±32767), so no clipping is counted there: use the PRB power instead.
 */

const FULL_SCALE_RE_POWER_X12 = 12 * 2 ** 30;

/*
 * dBFS without Math.log10/Math.pow per PRB (they cost more than unpacking the 24 samples): for an integer
 * sum of squares s < 2^31, log2(s) = k + log2(m) with k from clz32 and m = s/2^k in [1, 2) looked up in a
 * 1025-entry table with linear interpolation (error < 2e-7 in log2, i.e. < 1e-6 dB); the BFP exponent
 * adds exactly 20·log10(2) dB per step. Larger sums (16-bit uncompressed at full scale) take Math.log10.
 */
const LOG2_TABLE = new Float64Array(1025).map((_, i) => Math.log2(1 + i / 1024));
const INV_POW2 = new Float64Array(32).map((_, k) => 2 ** -k);
const DB_PER_LOG2 = 10 * Math.LOG10E * Math.LN2; // 10·log10(2)
const DB_PER_EXPONENT_STEP = 2 * DB_PER_LOG2; // power scales with (2^e)²
const DB_FULL_SCALE = 10 * Math.log10(FULL_SCALE_RE_POWER_X12);
/** (2^steps)² for 0..16 scale steps: what a squared mantissa is worth on the 16-bit scale. */
const SCALE_STEP_POWER = new Float64Array(17).map((_, k) => 4 ** k);
/** 1 / (12 · 2^30): Σ(I² + Q²) on the 16-bit scale → linear power relative to full scale (0 dBFS). */
export const INV_FULL_SCALE_PRB_POWER = 1 / FULL_SCALE_RE_POWER_X12;

/** 10·log10(sum) for a positive sum of squared samples. */
function dbOfSum(sum: number): number {
  if (sum >= 2147483648) return 10 * Math.log10(sum);
  const k = 31 - Math.clz32(sum);
  const x = (sum * INV_POW2[k]! - 1) * 1024;
  const i = x | 0;
  const lo = LOG2_TABLE[i]!;
  return DB_PER_LOG2 * (k + lo + (LOG2_TABLE[i + 1]! - lo) * (x - i));
}

/** Result slots for one PRB, written by `decodePrbIq` (reused object). */
export class PrbIqResult {
  /** Initialised with a non-integer so V8 keeps the field as an unboxed double. */
  powerDbfs = 0.5;
  zero = false;
  clipped = 0;
  /** Σ(I² + Q²) on the 16-bit scale (mantissas × 2^scale steps, squared): exact, 0 for a zero PRB. */
  sumSq16 = 0.5;
}

/** PRB payload bytes for `width` bits per component: 12 REs × 2 × width bits = 3·width bytes. */
export function prbIqBytes(width: number): number {
  return 3 * width;
}

/**
 * Decodes the 24 samples of one PRB starting at `offset` (after any udCompParam).
 * `exponent` is the BFP exponent, or -1 for uncompressed data.
 */
export function decodePrbIq(data: Uint8Array, offset: number, width: number, exponent: number, out: PrbIqResult): void {
  decodePrbIqSum(data, offset, width, exponent, out);
  const scaleSteps = exponent >= 0 ? exponent : 16 - width;
  out.powerDbfs = out.zero
    ? -Infinity
    : dbOfSum(out.sumSq16 / SCALE_STEP_POWER[scaleSteps]!) + DB_PER_EXPONENT_STEP * scaleSteps - DB_FULL_SCALE;
}

/*
 * Block scaling (O-RAN WG4 CUS Annex A.2): udCompParam is sblockScaler, an unsigned scale factor with 7
 * fractional bits (s / 128); a compressed sample c of udIqWidth w bits decompresses to c · (s / 128) ·
 * 2^(16 − w) on the 16-bit scale = c · s · 2^(9 − w). A PRB's power on the 16-bit scale is Σc² · s² ·
 * 2^(18 − 2w) (exact, before a decompressor rounds samples to integers). No clipping is counted: unlike
 * BFP's exponent, nothing tells a clipped sample from one at full scale.
 */
export function blockScalingFactor(scaler: number, width: number): number {
  return scaler * scaler * 2 ** (18 - 2 * width);
}

/**
 * {@link decodePrbIq} for block scaling: the PRB at `offset` (after its udCompParam `scaler`). `zero` means
 * every compressed sample is 0; `clipped` is 0.
 */
export function decodePrbIqBlockScaled(
  data: Uint8Array,
  offset: number,
  width: number,
  scaler: number,
  out: PrbIqResult,
): void {
  decodePrbIqBlockScaledSum(data, offset, width, scaler, out);
  out.powerDbfs = out.sumSq16 > 0 ? 10 * Math.log10(out.sumSq16) - DB_FULL_SCALE : -Infinity;
}

/**
 * {@link decodePrbIqBlockScaled} without the dB value (`out.powerDbfs` is left as it was), as
 * {@link decodePrbIqSum} is for BFP: what section totals and PRB sums need.
 */
export function decodePrbIqBlockScaledSum(
  data: Uint8Array,
  offset: number,
  width: number,
  scaler: number,
  out: PrbIqResult,
): void {
  // exponent 0: the raw Σc² (its clip test, at 16 − w = 0 for 16-bit samples, does not apply here)
  decodePrbIqSum(data, offset, width, 0, out);
  out.clipped = 0;
  out.sumSq16 *= blockScalingFactor(scaler, width);
}

/**
 * {@link decodePrbIq} without the dB value (`out.powerDbfs` is left as it was): zero, clipped samples and
 * Σ(I² + Q²) on the 16-bit scale, what section totals need — dB only where a PRB's value is reported.
 */
export function decodePrbIqSum(
  data: Uint8Array,
  offset: number,
  width: number,
  exponent: number,
  out: PrbIqResult,
): void {
  const signBit = 1 << (width - 1);
  const maxV = signBit - 1;
  const minV = -signBit;
  const scaleSteps = exponent >= 0 ? exponent : 16 - width;
  const clipCheck = exponent === 16 - width;
  let sum = 0;
  let nonZero = 0;
  let clipped = 0;
  if (width === 16) {
    for (let k = 0, o = offset; k < 24; k++, o += 2) {
      const v = (((data[o]! << 8) | data[o + 1]!) << 16) >> 16;
      nonZero |= v;
      if (clipCheck && (v === maxV || v === minV)) clipped++;
      sum += v * v;
    }
  } else if (width === 8) {
    for (let k = 0, o = offset; k < 24; k++, o++) {
      const v = (data[o]! << 24) >> 24;
      nonZero |= v;
      if (clipCheck && (v === maxV || v === minV)) clipped++;
      sum += v * v;
    }
  } else if (width === 9) {
    // 9-bit BFP (the common 7.2x setting): 8 samples in every 9 bytes, unrolled.
    for (let g = 0, o = offset; g < 3; g++, o += 9) {
      const b0 = data[o]!,
        b1 = data[o + 1]!,
        b2 = data[o + 2]!,
        b3 = data[o + 3]!,
        b4 = data[o + 4]!;
      const b5 = data[o + 5]!,
        b6 = data[o + 6]!,
        b7 = data[o + 7]!,
        b8 = data[o + 8]!;
      const s0 = (((b0 << 1) | (b1 >> 7)) << 23) >> 23;
      const s1 = ((((b1 & 0x7f) << 2) | (b2 >> 6)) << 23) >> 23;
      const s2 = ((((b2 & 0x3f) << 3) | (b3 >> 5)) << 23) >> 23;
      const s3 = ((((b3 & 0x1f) << 4) | (b4 >> 4)) << 23) >> 23;
      const s4 = ((((b4 & 0x0f) << 5) | (b5 >> 3)) << 23) >> 23;
      const s5 = ((((b5 & 0x07) << 6) | (b6 >> 2)) << 23) >> 23;
      const s6 = ((((b6 & 0x03) << 7) | (b7 >> 1)) << 23) >> 23;
      const s7 = ((((b7 & 0x01) << 8) | b8) << 23) >> 23;
      nonZero |= s0 | s1 | s2 | s3 | s4 | s5 | s6 | s7;
      sum += s0 * s0 + s1 * s1 + s2 * s2 + s3 * s3 + s4 * s4 + s5 * s5 + s6 * s6 + s7 * s7;
      if (clipCheck) {
        if (s0 === 255 || s0 === -256) clipped++;
        if (s1 === 255 || s1 === -256) clipped++;
        if (s2 === 255 || s2 === -256) clipped++;
        if (s3 === 255 || s3 === -256) clipped++;
        if (s4 === 255 || s4 === -256) clipped++;
        if (s5 === 255 || s5 === -256) clipped++;
        if (s6 === 255 || s6 === -256) clipped++;
        if (s7 === 255 || s7 === -256) clipped++;
      }
    }
  } else {
    // Each sample lies inside a 24-bit window at its byte (width ≤ 15, bit shift ≤ 7): one aligned
    // 3-byte read per sample, no carried state; bytes past the end of `data` count as 0 bits.
    const up = 32 - width;
    const len = data.length;
    for (let k = 0, bit = 0; k < 24; k++, bit += width) {
      const o = offset + (bit >> 3);
      // Never read past the array: an out-of-bounds typed-array load deoptimises the loop.
      const word = (data[o]! << 16) | (o + 1 < len ? data[o + 1]! << 8 : 0) | (o + 2 < len ? data[o + 2]! : 0);
      const v = ((word << (8 + (bit & 7))) >> up) | 0;
      nonZero |= v;
      if (clipCheck && (v === maxV || v === minV)) clipped++;
      sum += v * v;
    }
  }
  out.zero = nonZero === 0;
  out.clipped = clipped;
  out.sumSq16 = sum * SCALE_STEP_POWER[scaleSteps]!;
}
