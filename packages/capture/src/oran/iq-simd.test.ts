import { describe, expect, it } from 'vitest';
import {
  blockScalingFactor,
  decodePrbIq,
  decodePrbIqBlockScaled,
  decodePrbIqBlockScaledSum,
  prbIqBytes,
  PrbIqResult,
} from './iq.js';
import { IqSimd, iqSimd, SectionIqTotals } from './iq-simd.js';

/** Deterministic bytes (xorshift32). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

/** A section of `n` PRBs mixing random, all-zero, all-ones (clipping), one-bit and max-exponent PRBs. */
function section(width: number, bfp: boolean, n: number, lead: number, rand: () => number): Uint8Array {
  const stride = prbIqBytes(width) + (bfp ? 1 : 0);
  const data = new Uint8Array(lead + n * stride);
  for (let i = 0; i < data.length; i++) data[i] = (rand() * 256) | 0;
  for (let k = 0; k < n; k++) {
    const p = lead + k * stride;
    if (bfp) data[p] = (rand() < 0.3 ? 16 - width : (rand() * 16) | 0) | (rand() < 0.05 ? 0x30 : 0);
    const q = p + (bfp ? 1 : 0);
    const mode = rand();
    if (mode < 0.2) data.fill(0, q, q + 3 * width);
    else if (mode < 0.35) data.fill(0xff, q, q + 3 * width);
    else if (mode < 0.5) {
      data.fill(0, q, q + 3 * width);
      data[q + ((rand() * 3 * width) | 0)] = 1 << ((rand() * 8) | 0);
    }
  }
  return data;
}

describe('iqSimd (WebAssembly SIMD section totals)', () => {
  it('is available on Node 20 (SIMD is on by default)', () => {
    expect(iqSimd).toBeDefined();
  });

  it.each(Array.from({ length: 16 }, (_, i) => i + 1))(
    'matches decodePrbIq PRB by PRB for %i-bit BFP and uncompressed samples: zero, clipped, Σ power',
    (width) => {
      expect(IqSimd.supports(width)).toBe(true);
      const r = new PrbIqResult();
      const t = new SectionIqTotals();
      const rand = rng(width * 7919);
      for (const bfp of [true, false]) {
        for (let trial = 0; trial < 60; trial++) {
          const n = 1 + ((rand() * 40) | 0);
          const lead = (rand() * 7) | 0;
          const data = section(width, bfp, n, lead, rand);
          const stride = prbIqBytes(width) + (bfp ? 1 : 0);
          let zero = 0;
          let clippedPrbs = 0;
          let clippedSamples = 0;
          let sumSq16 = 0;
          for (let k = 0; k < n; k++) {
            const p = lead + k * stride;
            decodePrbIq(data, bfp ? p + 1 : p, width, bfp ? data[p]! & 15 : -1, r);
            if (r.zero) zero++;
            else if (r.clipped > 0) {
              clippedPrbs++;
              clippedSamples += r.clipped;
            }
            sumSq16 += r.sumSq16;
          }
          const exps = new Uint8Array(n + 3).fill(99);
          // every other trial through sectionPrbs: the same totals, and per PRB what decodePrbIq gives, written
          // from index `at` (2) as the exponents are
          const sums = new Float64Array(n + 3).fill(-1);
          const clips = new Uint8Array(n + 3).fill(99);
          if (trial % 2 === 0)
            iqSimd!.section(data, lead, n, stride, width, bfp, bfp ? 0 : 16 - width, bfp ? 16 - width : -1, t, exps, 2);
          else {
            iqSimd!.sectionPrbs(
              data,
              lead,
              n,
              stride,
              width,
              bfp,
              bfp ? 0 : 16 - width,
              bfp ? 16 - width : -1,
              t,
              exps,
              2,
              sums,
              clips,
            );
            for (let k = 0; k < n; k++) {
              const p = lead + k * stride;
              decodePrbIq(data, bfp ? p + 1 : p, width, bfp ? data[p]! & 15 : -1, r);
              expect([sums[2 + k], clips[2 + k]]).toEqual([r.zero ? 0 : r.sumSq16, r.zero ? 0 : r.clipped]);
            }
            expect([sums[0], sums[1], sums[n + 2], clips[0], clips[1], clips[n + 2]]).toEqual([-1, -1, -1, 99, 99, 99]);
          }
          expect([t.zeroPrbs, t.clippedPrbs, t.clippedSamples, t.sumSq16]).toEqual([
            zero,
            clippedPrbs,
            clippedSamples,
            sumSq16,
          ]);
          const want = Array.from({ length: n }, (_, k) => (bfp ? data[lead + k * stride]! & 15 : 99));
          expect([...exps.subarray(2, 2 + n)]).toEqual(want);
          expect([exps[0], exps[1], exps[n + 2]]).toEqual([99, 99, 99]);
          const params = Array.from({ length: n }, (_, k) => data[lead + k * stride]!);
          expect(t.reservedSeen).toBe(bfp && params.some((b) => b >> 4 !== 0));
        }
      }
    },
  );

  it.each([4, 9, 16])(
    '%i-bit: a packet declared with beginPacket is copied once for its sections, with the results of each alone',
    (width) => {
      // three BFP sections of 17, 106 and 273 PRBs (loop and TypedArray.set copy-out) behind a 26-byte header
      const rand = rng(width * 31);
      const stride = prbIqBytes(width) + 1;
      const counts = [17, 106, 273];
      const parts = counts.map((n) => section(width, true, n, 0, rand));
      const packet = new Uint8Array(26 + parts.reduce((a, b) => a + b.length, 0));
      let at = 26;
      const offsets = parts.map((part) => {
        packet.set(part, at);
        at += part.length;
        return at - part.length;
      });
      type Result = [number, number, number, number, boolean, number[], number[], number[]];
      const one = (data: Uint8Array, k: number): Result => {
        const n = counts[k]!;
        const t = new SectionIqTotals();
        const exps = new Uint8Array(n);
        const sums = new Float64Array(n);
        const clips = new Uint8Array(n);
        const bfp: [number, number] = [0, 16 - width];
        iqSimd!.sectionPrbs(data, offsets[k]!, n, stride, width, true, ...bfp, t, exps, 0, sums, clips);
        return [
          t.zeroPrbs,
          t.clippedPrbs,
          t.clippedSamples,
          t.sumSq16,
          t.reservedSeen,
          [...exps],
          [...sums],
          [...clips],
        ];
      };
      // each section alone, from its own copy of the packet
      const alone = counts.map((_, k) => one(packet.slice(), k));
      iqSimd!.beginPacket(packet);
      const declared = counts.map((_, k) => one(packet, k));
      iqSimd!.endPacket();
      expect(declared).toEqual(alone);
      expect(alone[1]![3]).toBeGreaterThan(0);
      // after endPacket the same array is copied again: changed bytes are read
      packet.fill(0, offsets[2]!);
      expect(one(packet, 2)[0]).toBe(273);
    },
  );

  it('grows its memory for a section larger than the initial pages', () => {
    const width = 9;
    const n = 6000; // 168 000 bytes
    const data = section(width, true, n, 3, rng(1));
    const t = new SectionIqTotals();
    const exps = new Uint8Array(n);
    iqSimd!.section(data, 3, n, 28, width, true, 0, 7, t, exps, 0);
    expect(exps[n - 1]).toBe(data[3 + (n - 1) * 28]! & 15);
    const r = new PrbIqResult();
    let sum = 0;
    for (let k = 0, p = 3; k < n; k++, p += 28) {
      decodePrbIq(data, p + 1, width, data[p]! & 15, r);
      sum += r.sumSq16;
    }
    expect(t.sumSq16).toBe(sum);
  });

  it.each(Array.from({ length: 16 }, (_, i) => i + 1))(
    'block scaling (Annex A.2), %i-bit: section totals and per-PRB sums equal decodePrbIqBlockScaled',
    (width) => {
      const r = new PrbIqResult();
      const t = new SectionIqTotals();
      const rand = rng(width * 104729);
      const stride = prbIqBytes(width) + 1;
      for (let trial = 0; trial < 40; trial++) {
        const n = 1 + ((rand() * 40) | 0);
        const lead = (rand() * 7) | 0;
        const data = section(width, true, n, lead, rand);
        // any scaler byte, 0 and 255 included
        for (let k = 0; k < n; k++) data[lead + k * stride] = trial === 0 ? (k & 1) * 255 : (rand() * 256) | 0;
        let zero = 0;
        let sumSq16 = 0;
        const want: number[] = [];
        for (let k = 0; k < n; k++) {
          const p = lead + k * stride;
          decodePrbIqBlockScaled(data, p + 1, width, data[p]!, r);
          expect(r.clipped).toBe(0);
          // the sum-only variant (scalar totals, PRB sums): the same numbers, no dB value computed
          const s = new PrbIqResult();
          decodePrbIqBlockScaledSum(data, p + 1, width, data[p]!, s);
          expect([s.zero, s.clipped, s.sumSq16, s.powerDbfs]).toEqual([r.zero, 0, r.sumSq16, 0.5]);
          if (r.zero) zero++;
          sumSq16 += r.sumSq16;
          want.push(r.zero ? 0 : r.sumSq16);
        }
        const sums = new Float64Array(n);
        const clips = new Uint8Array(n).fill(9);
        iqSimd!.sectionPrbs(data, lead, n, stride, width, true, 0, -1, t, new Uint8Array(n), 0, sums, clips, true);
        expect([t.zeroPrbs, t.clippedPrbs, t.clippedSamples, t.sumSq16]).toEqual([zero, 0, 0, sumSq16]);
        expect([...sums]).toEqual(want);
        expect([...clips]).toEqual(new Array<number>(n).fill(0));
        // the same bytes as BFP afterwards: the factor table is not used there
        iqSimd!.section(data, lead, n, stride, width, true, 0, 16 - width, t, new Uint8Array(n), 0);
      }
    },
  );

  it('block scaling: a scaler s scales power by s² · 2^(18 − 2w) (s / 128 on a w-bit sample, 16-bit scale)', () => {
    // a 9-bit sample c with scaler 128 (1.0) is c on the 16-bit scale / 2^(9−9) … = c · 128 · 2^0
    expect(blockScalingFactor(128, 9)).toBe(128 * 128);
    expect(blockScalingFactor(128, 16)).toBe(2 ** 14 * 2 ** -14);
    expect(blockScalingFactor(0, 8)).toBe(0);
  });

  it('takes every udIqWidth 1–16 and nothing else', () => {
    for (let w = 1; w <= 16; w++) expect(IqSimd.supports(w)).toBe(true);
    for (const w of [0, 17]) expect(IqSimd.supports(w)).toBe(false);
  });

  it('sums full-scale 16-bit samples exactly (I² + Q² = 2^31 per pair, 24 · 2^30 per PRB)', () => {
    const data = new Uint8Array(2 * 48);
    for (let i = 0; i < data.length; i += 2) data[i] = 0x80; // −32768
    const t = new SectionIqTotals();
    iqSimd!.section(data, 0, 2, 48, 16, false, 0, -1, t, new Uint8Array(2), 0);
    expect([t.zeroPrbs, t.clippedPrbs, t.sumSq16]).toEqual([0, 0, 2 * 24 * 2 ** 30]);
  });

  it.each([10, 16])('grows its memory for a large %i-bit section', (width) => {
    const n = 3000;
    const stride = prbIqBytes(width) + 1;
    const data = section(width, true, n, 1, rng(width));
    const t = new SectionIqTotals();
    const exps = new Uint8Array(n);
    iqSimd!.section(data, 1, n, stride, width, true, 0, 16 - width, t, exps, 0);
    const r = new PrbIqResult();
    let sum = 0;
    for (let k = 0, p = 1; k < n; k++, p += stride) {
      decodePrbIq(data, p + 1, width, data[p]! & 15, r);
      sum += r.sumSq16;
    }
    expect(t.sumSq16).toBe(sum);
  });
});
