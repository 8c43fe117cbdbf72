import type { Prng } from './prng.js';

/*
 * O-RAN WG4 CUS Annex A.1 block floating point, one PRB = 12 REs × (I, Q):
 *
 *   +------------------+--------------------------------------------------+
 *   | udCompParam (8)  | 24 mantissas × udIqWidth bits, MSB first           |
 *   | rsv[7:4] exp[3:0]| (I0 Q0 I1 Q1 … I11 Q11), padded to a whole byte    |
 *   +------------------+--------------------------------------------------+
 *
 * value = mantissa · 2^exponent on a 16-bit scale. Without compression (udCompMeth 0) the PRB is the 24
 * samples at udIqWidth bits with no udCompParam.
 */

export type CompMethod = 'none' | 'bfp';

export interface IqFormat {
  method: CompMethod;
  /** Bits per I or Q sample (1..16). */
  iqWidth: number;
}

/** 12 REs × (I, Q). */
export const SAMPLES_PER_PRB = 24;

/** Bytes of one PRB on the wire. 24·w bits is always a whole number of bytes (3·w). */
export function prbBytes(fmt: IqFormat): number {
  return (fmt.method === 'bfp' ? 1 : 0) + 3 * fmt.iqWidth;
}

/** udCompHdr byte: udIqWidth[7:4] (16 → 0) | udCompMeth[3:0]. */
export function udCompHdrByte(fmt: IqFormat): number {
  return ((fmt.iqWidth & 0xf) << 4) | (fmt.method === 'bfp' ? 1 : 0);
}

function packMantissas(
  samples: ArrayLike<number>,
  base: number,
  width: number,
  shift: number,
  out: Uint8Array,
  off: number,
): void {
  const mask = width >= 32 ? -1 : (1 << width) - 1;
  const lo = -(1 << (width - 1));
  const hi = (1 << (width - 1)) - 1;
  let acc = 0;
  let bits = 0;
  let o = off;
  const half = shift > 0 ? 1 << (shift - 1) : 0;
  for (let i = 0; i < SAMPLES_PER_PRB; i++) {
    let m = ((samples[base + i] ?? 0) + half) >> shift;
    if (m < lo) m = lo;
    else if (m > hi) m = hi;
    acc = ((acc << width) | (m & mask)) >>> 0;
    bits += width;
    while (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >>> bits) & 0xff;
    }
    acc &= (1 << bits) - 1;
  }
}

/** Smallest exponent at which every (rounded) sample fits a signed `width`-bit mantissa. */
export function bfpExponent(samples: ArrayLike<number>, base: number, width: number): number {
  let max = 0;
  let min = 0;
  for (let i = 0; i < SAMPLES_PER_PRB; i++) {
    const v = samples[base + i] ?? 0;
    if (v > max) max = v;
    if (v < min) min = v;
  }
  const hi = (1 << (width - 1)) - 1;
  const lo = -(1 << (width - 1));
  for (let e = 0; e < 16 - width; e++) {
    const half = e > 0 ? 1 << (e - 1) : 0;
    if ((max + half) >> e <= hi && (min + half) >> e >= lo) return e;
  }
  return 16 - width;
}

/** Compresses the PRB whose 24 samples start at `base` into `out[off …]`. */
export function compressPrb(
  samples: ArrayLike<number>,
  base: number,
  fmt: IqFormat,
  out: Uint8Array,
  off: number,
): void {
  if (fmt.method === 'bfp') {
    const e = bfpExponent(samples, base, fmt.iqWidth);
    out[off] = e & 0x0f;
    packMantissas(samples, base, fmt.iqWidth, e, out, off + 1);
  } else {
    packMantissas(samples, base, fmt.iqWidth, 16 - fmt.iqWidth, out, off);
  }
}

/** Decodes one PRB back to 16-bit-scale samples (for tests and checks). */
export function decompressPrb(
  bytes: Uint8Array,
  off: number,
  fmt: IqFormat,
): { exponent: number; mantissas: number[]; samples: number[] } {
  const w = fmt.iqWidth;
  const exponent = fmt.method === 'bfp' ? (bytes[off] ?? 0) & 0x0f : 16 - w;
  let o = fmt.method === 'bfp' ? off + 1 : off;
  const mantissas: number[] = [];
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < SAMPLES_PER_PRB; i++) {
    while (bits < w) {
      acc = ((acc << 8) | (bytes[o++] ?? 0)) >>> 0;
      bits += 8;
    }
    bits -= w;
    let m = (acc >>> bits) & ((1 << w) - 1);
    acc &= (1 << bits) - 1;
    if (m & (1 << (w - 1))) m -= 1 << w;
    mantissas.push(m);
  }
  return { exponent, mantissas, samples: mantissas.map((m) => m * 2 ** exponent) };
}

export interface SignalOptions {
  /** Mean power of the complex samples relative to 16-bit full scale, dBFS. */
  powerDbfs: number;
  /** Per-PRB gain spread, dB (uniform ±). */
  prbSpreadDb: number;
  /** Constellation: 4 = QPSK, 16 = 16QAM, 64 = 64QAM. */
  qam: 4 | 16 | 64;
  /** SNR of the additive noise, dB. */
  snrDb: number;
}

/** 16QAM at −18 dBFS, ±2 dB per PRB, 30 dB SNR: BFP-9 exponents of 4–5, no clipping. */
export const DEFAULT_SIGNAL: Readonly<SignalOptions> = Object.freeze({
  powerDbfs: -18,
  prbSpreadDb: 2,
  qam: 16,
  snrDb: 30,
});

/** Frequency-domain samples of one symbol over `nrb` PRBs: QAM points plus noise, 16-bit scale. */
export function generateSymbolSamples(
  prng: Prng,
  nrb: number,
  signal: SignalOptions = DEFAULT_SIGNAL,
  clipFraction = 0,
): Int32Array {
  const levels = signal.qam === 4 ? 2 : signal.qam === 16 ? 4 : 8;
  // mean energy per dimension of {±1, ±3, …}: (levels² − 1) / 3
  const perDim = Math.sqrt((levels * levels - 1) / 3);
  const rms = (32767 * 10 ** (signal.powerDbfs / 20)) / Math.SQRT2;
  const noise = 10 ** (-signal.snrDb / 20);
  const out = new Int32Array(nrb * SAMPLES_PER_PRB);
  for (let p = 0; p < nrb; p++) {
    const clip = clipFraction > 0 && prng.float() < clipFraction;
    const gainDb = prng.range(-signal.prbSpreadDb, signal.prbSpreadDb) + (clip ? 24 : 0);
    const a = (rms * 10 ** (gainDb / 20)) / perDim;
    for (let i = 0; i < SAMPLES_PER_PRB; i++) {
      const point = 2 * prng.int(levels) - (levels - 1);
      let v = Math.round(a * (point + perDim * noise * prng.gauss()));
      if (v > 32767) v = 32767;
      else if (v < -32768) v = -32768;
      out[p * SAMPLES_PER_PRB + i] = v;
    }
  }
  return out;
}

/** Compressed bytes of a whole carrier (nrb PRBs back to back): a U-plane payload template. */
export function compressCarrier(samples: Int32Array, nrb: number, fmt: IqFormat, scale = 1): Uint8Array {
  const size = prbBytes(fmt);
  const out = new Uint8Array(nrb * size);
  let src: ArrayLike<number> = samples;
  if (scale !== 1) {
    const scaled = new Int32Array(samples.length);
    for (let i = 0; i < samples.length; i++) scaled[i] = Math.round((samples[i] ?? 0) * scale);
    src = scaled;
  }
  for (let p = 0; p < nrb; p++) compressPrb(src, p * SAMPLES_PER_PRB, fmt, out, p * size);
  return out;
}
