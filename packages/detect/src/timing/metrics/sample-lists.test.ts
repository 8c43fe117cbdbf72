import { describe, expect, it } from 'vitest';
import { ChunkedDoubles, IntegerDeltas, inOrderOf } from './sample-lists.js';
import { intervalStats } from './time-error-stats.js';

/** A deterministic generator (xorshift32), so that a failure repeats. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 2 ** 32;
  };
}

/** Sync arrival times in whole µs: 16/s (62.5 ms) with ±2 µs of capture jitter, from 2024-10-06. */
function syncMicros(n: number, seed = 7): number[] {
  const r = rng(seed);
  const t0 = 1_728_187_747_319_985;
  return Array.from({ length: n }, (_, i) => t0 + i * 62_500 + Math.round(4 * r() - 2));
}

const sameDoubles = (got: ArrayLike<number>, want: ArrayLike<number>): void => {
  expect(got.length).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect([i, got[i]]).toEqual([i, want[i]]);
};

describe('ChunkedDoubles', () => {
  it('gives back every double pushed, across chunk edges (NaN, −0, ±Infinity, extremes)', () => {
    const r = rng(3);
    for (const n of [0, 1, 255, 256, 257, 767, 768, 16_383, 16_384, 16_385, 100_000]) {
      const want = Array.from({ length: n }, (_, i) =>
        i % 97 === 5 ? [NaN, -0, Infinity, -Infinity, Number.MAX_VALUE, 5e-324][i % 6]! : (r() - 0.5) * 1e12,
      );
      const l = new ChunkedDoubles();
      for (const v of want) l.push(v);
      expect(l.length).toBe(n);
      sameDoubles(l.toArray(), want);
    }
  });

  it('keeps 8 bytes a value and at most one chunk (128 KiB) more: no doubling slack', () => {
    const l = new ChunkedDoubles();
    const n = (1 << 19) + 1; // a doubling array would hold 2^20 slots here
    for (let i = 0; i < n; i++) l.push(i * 0.1);
    expect(l.bytes).toBeGreaterThanOrEqual(8 * n);
    expect(l.bytes).toBeLessThanOrEqual(8 * n + 128 * 1024);
    // a port seen once keeps a small first chunk, not a long one
    const one = new ChunkedDoubles();
    one.push(1);
    expect(one.bytes).toBe(256 * 8);
  });
});

describe('IntegerDeltas', () => {
  it('gives back every value pushed, divided as asked, the very doubles of v / divisor', () => {
    const us = syncMicros(50_000);
    const l = new IntegerDeltas();
    for (const v of us) l.push(v);
    sameDoubles(
      l.toArray(1e6),
      us.map((v) => v / 1e6),
    );
    sameDoubles(l.toArray(), us);
    const r = l.inOrder(1e6);
    for (let pass = 0; pass < 2; pass++) {
      r.start();
      for (let i = 0; i < us.length; i++) if (r.next() !== us[i]! / 1e6) expect(i).toBe(-1);
    }
    expect(l.at(0)).toBe(us[0]);
    expect(l.at(31_337)).toBe(us[31_337]);
    expect(l.at(us.length)).toBeNaN();
  });

  it('escapes what 32 bits of difference cannot carry exactly: time going back, long gaps, fractions, NaN', () => {
    const r = rng(11);
    const want: number[] = [];
    let t = 1_728_187_747_319_985;
    for (let i = 0; i < 40_000; i++) {
      const k = i % 1000;
      if (k === 1)
        t -= 5_000_000; // a capture clock stepped back 5 s
      else if (k === 2)
        t += 2 ** 32 + 17; // over 71 minutes of silence
      else if (k === 3)
        t += 2 ** 32 - 1; // the escape marker's own value as a difference
      else t += Math.floor(r() * 70_000);
      want.push(t);
      if (k === 4) want.push(t + 0.5, t); // not a whole number
      if (k === 5) want.push(NaN, t);
      if (k === 6) want.push(-t, t, 2 ** 53 + 2, t); // below zero, beyond 2^53
    }
    const l = new IntegerDeltas();
    for (const v of want) l.push(v);
    sameDoubles(l.toArray(), want);
    sameDoubles(
      l.toArray(1e6),
      want.map((v) => v / 1e6),
    );
  });

  it('keeps a Sync arrival in 4 bytes (a Float64Array that doubles: 8 to 16)', () => {
    const n = 600_000;
    const l = new IntegerDeltas();
    for (const v of syncMicros(n)) l.push(v);
    expect(l.bytes).toBeLessThanOrEqual(4 * n + 64 * 1024);
  });

  it('read in order, intervalStats gives the numbers it gives on the array of seconds', () => {
    const us = syncMicros(100_000, 5);
    us[500] = us[499]! - 300; // one arrival out of order
    const l = new IntegerDeltas();
    for (const v of us) l.push(v);
    const s = us.map((v) => v / 1e6);
    expect(intervalStats(l.inOrder(1e6))).toEqual(intervalStats(s));
    expect(intervalStats(inOrderOf(s))).toEqual(intervalStats(s));
    expect(intervalStats(new IntegerDeltas().inOrder(1e6))).toBeUndefined();
  });
});
