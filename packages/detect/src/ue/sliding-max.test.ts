import { describe, expect, it } from 'vitest';
import { SlidingMax } from './sliding-max.js';

/**
 * The window scan SlidingMax replaced in serving-cell-detection.ts's drop(), kept as the reference: trim
 * the oldest while expired, scan for the best (`>=`: the latest of equal values), append, cap at 4096.
 */
class ScanReference {
  private win: { ts: bigint; until: bigint; v: number }[] = [];
  step(ts: bigint, v: number, windowNs: bigint): [number, bigint] {
    const win = this.win;
    while (win.length > 0 && ts > win[0]!.until) win.shift();
    let best = -Infinity;
    let bestTs = ts;
    for (const x of win) {
      if (x.v >= best) {
        best = x.v;
        bestTs = x.ts;
      }
    }
    win.push({ ts, until: ts + windowNs, v });
    if (win.length > 4096) win.shift();
    return [best, bestTs];
  }
  clear(): void {
    this.win.length = 0;
  }
}

function step(m: SlidingMax, ts: bigint, v: number, windowNs: bigint): [number, bigint] {
  m.expire(ts, windowNs);
  const r: [number, bigint] = [m.best, m.bestTs(ts)];
  m.push(ts, v);
  return r;
}

/** Deterministic xorshift32 in [0, 1). */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 2 ** 32;
  };
}

describe('SlidingMax', () => {
  it('gives the scan reference best value and time on random sequences (ties, equal and backward times, clears)', () => {
    const T0 = 1_600_000_000_000_000_000n;
    const mismatches: string[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const r = rng(seed);
      const windowNs = BigInt(1 + Math.floor(r() * 500)) * 1_000_000n;
      const m = new SlidingMax();
      const ref = new ScanReference();
      let ts = T0;
      const n = 200 + Math.floor(r() * 800);
      for (let i = 0; i < n; i++) {
        const u = r();
        // mostly forward steps, some equal times, some steps back (a modem clock reset), a few long gaps
        if (u < 0.6) ts += BigInt(Math.floor(r() * 80)) * 1_000_000n;
        else if (u < 0.75) ts += 0n;
        else if (u < 0.9) ts -= BigInt(Math.floor(r() * 300)) * 1_000_000n;
        else ts += BigInt(Math.floor(r() * 2000)) * 1_000_000n;
        // few distinct values: many ties; now and then NaN, -0 / 0 and -Infinity
        const w = r();
        const v = w < 0.02 ? NaN : w < 0.04 ? -Infinity : w < 0.06 ? -0 : w < 0.08 ? 0 : Math.floor(r() * 6) - 100;
        if (r() < 0.005) {
          m.clear();
          ref.clear();
        }
        const got = step(m, ts, v, windowNs);
        const want = ref.step(ts, v, windowNs);
        if (!Object.is(got[0], want[0]) || got[1] !== want[1]) mismatches.push(`seed ${seed} sample ${i}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('caps the window at 4096 values: the oldest leaves, as in the scan', () => {
    const m = new SlidingMax();
    const ref = new ScanReference();
    const T0 = 1_000_000_000_000n;
    const windowNs = 10n ** 12n; // nothing expires: only the cap removes values
    // a high first value must fall out after 4096 later ones; then a descending run (deque as long as the window)
    const values = [
      0,
      ...Array.from({ length: 5000 }, (_, i) => -10 - (i % 7)),
      ...Array.from({ length: 6000 }, (_, i) => -i),
    ];
    const got: [number, bigint][] = [];
    const want: [number, bigint][] = [];
    values.forEach((v, i) => {
      const ts = T0 + BigInt(i >> 2); // four values per ns: equal times too
      got.push(step(m, ts, v, windowNs));
      want.push(ref.step(ts, v, windowNs));
    });
    expect(got.length).toBe(11001);
    expect(got).toEqual(want);
    expect(m.size).toBe(4096);
    // the first value (0) was the best until 4096 others had come
    const m2 = new SlidingMax();
    for (let i = 0; i <= 4096; i++) step(m2, T0 + BigInt(i), i === 0 ? 0 : -1, windowNs);
    expect(m2.best).toBe(-1);
  });

  it('gives -Infinity and the caller’s time when empty or holding only NaN', () => {
    const m = new SlidingMax();
    expect(m.best).toBe(-Infinity);
    expect(m.bestTs(7n)).toBe(7n);
    m.push(5n, NaN);
    expect(m.size).toBe(1);
    expect(m.best).toBe(-Infinity);
    expect(m.bestTs(7n)).toBe(7n);
  });

  it('keeps a value behind a younger one when the clock steps back, until the oldest expires', () => {
    const m = new SlidingMax();
    m.push(1000n, -90); // oldest
    m.push(100n, -80); // the clock stepped back: expired by time, but not the oldest
    m.expire(1200n, 150n); // 1200 − 1000 > 150: the oldest leaves; then 1200 − 100 > 150 too
    expect(m.size).toBe(0);
    m.push(2000n, -90);
    m.push(100n, -80);
    m.expire(2100n, 150n); // the oldest (2000) has not expired: -80 stays behind it although older
    expect(m.best).toBe(-80);
    expect(m.bestTs(0n)).toBe(100n);
  });
});
