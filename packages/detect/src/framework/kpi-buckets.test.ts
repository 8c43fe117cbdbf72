import { describe, expect, it } from 'vitest';
import { kpiBucketIndex, kpiBucketRange } from './kpi-buckets.js';

/** The index as a walk over the tiers computes it (the definition before issue 14 unrolled it). */
function walkedIndex(relNs: number): number {
  if (relNs < 0) return Math.floor(relNs / 1e9);
  const tiers = [
    { untilNs: 1e9, widthNs: 1e7 },
    { untilNs: 1e10, widthNs: 1e8 },
    { untilNs: Infinity, widthNs: 1e9 },
  ];
  let from = 0;
  let index = 0;
  for (const t of tiers) {
    if (relNs < t.untilNs) return index + Math.floor((relNs - from) / t.widthNs);
    index += (t.untilNs - from) / t.widthNs;
    from = t.untilNs;
  }
  return index;
}

describe('KPI buckets', () => {
  it('are 10 ms wide in the first second, 100 ms up to 10 s, then 1 s, with increasing indexes', () => {
    expect(kpiBucketRange(0)).toEqual([0, 1e7]);
    expect(kpiBucketRange(28e6)).toEqual([2e7, 3e7]);
    expect(kpiBucketRange(1.05e9)).toEqual([1e9, 1.1e9]);
    expect(kpiBucketRange(664.2e9)).toEqual([664e9, 665e9]);
    expect(kpiBucketIndex(9.99e6)).toBe(0);
    expect(kpiBucketIndex(0.999e9)).toBe(99);
    expect(kpiBucketIndex(1e9)).toBe(100);
    expect(kpiBucketIndex(9.99e9)).toBe(189);
    expect(kpiBucketIndex(10e9)).toBe(190);
    expect(kpiBucketIndex(3600e9)).toBe(190 + 3590);
    // a timestamp before the first packet: whole seconds below zero
    expect(kpiBucketRange(-0.5e9)).toEqual([-1e9, 0]);
    expect(kpiBucketIndex(-0.5e9)).toBe(-1);
  });

  it('give a 28 ms capture 3 points, a 664 s capture 845 (not 66 400 of 10 ms)', () => {
    const count = (durationNs: number, stepNs: number) => {
      const seen = new Set<number>();
      for (let t = 0; t <= durationNs; t += stepNs) seen.add(kpiBucketIndex(t));
      return seen.size;
    };
    expect(count(28e6, 5e5)).toBe(3);
    expect(count(664e9, 5e6)).toBe(100 + 90 + 655);
  });

  it('index as the walk over the tiers does, at and around every tier and bucket edge', () => {
    const at: number[] = [NaN, Infinity, -Infinity, -1e9 - 1, -1, 0, 2 ** 53, 1e18];
    for (const edge of [0, 1e7, 5e8, 1e9, 1.1e9, 1e10, 1e10 + 1e9, 3600e9, 1e15])
      for (const d of [-1, 0, 1, 0.5, -0.5]) at.push(edge + d);
    for (let t = -3e9; t < 20e9; t += 7_777_777) at.push(t);
    for (const t of at) expect(kpiBucketIndex(t), String(t)).toBe(walkedIndex(t));
  });
});
