import { describe, expect, it } from 'vitest';
import { syncPdv } from './floor-packets.js';
import { lowPass } from './low-pass.js';
import { mtie, mtieDeques } from './mtie.js';
import { tdev, tdevMany } from './tdev.js';
import { timeErrorReport } from './time-error-report.js';
import { constantTimeError, intervalStats, sampleStats } from './time-error-stats.js';

/** Spacing of consecutive arrival times (s), in order: the array intervalStats does without. */
function intervals(tS: ArrayLike<number>): Float64Array {
  const out = new Float64Array(Math.max(0, tS.length - 1));
  for (let i = 1; i < tS.length; i++) out[i - 1] = tS[i]! - tS[i - 1]!;
  return out;
}
import { bestClass, judge } from './time-error-verdicts.js';

/** Deterministic standard normal samples (mulberry32 + Box–Muller): the test gives the same numbers every run. */
function gaussian(seed: number, n: number): Float64Array {
  let a = seed >>> 0;
  const u = (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = new Float64Array(n);
  for (let i = 0; i < n; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - u()));
    const th = 2 * Math.PI * u();
    out[i] = r * Math.cos(th);
    if (i + 1 < n) out[i + 1] = r * Math.sin(th);
  }
  return out;
}

const grid = (n: number, tau0: number) => Float64Array.from({ length: n }, (_, i) => i * tau0);
const within1pct = (got: number, want: number) =>
  expect(Math.abs(got - want)).toBeLessThanOrEqual(0.01 * Math.abs(want));

describe('MTIE (G.8260 I.1)', () => {
  it('of a linear phase ramp is slope·τ, on a grid and on irregular samples', () => {
    const slope = 3.7; // ns per second (3.7 ppb)
    const t = grid(10_000, 0.0625);
    const x = Float64Array.from(t, (s) => 1e9 + slope * s); // a large constant changes nothing
    for (const tau of [0.0625, 1, 10, 100, 500]) within1pct(mtie(t, x, tau), slope * tau);
    // Irregular spacing (a Delay_Req timer): windows by time, the ramp's answer within one sample spacing.
    const ti = Float64Array.from({ length: 5000 }, (_, i) => i * 0.2 + 0.05 * Math.sin(i));
    const xi = Float64Array.from(ti, (s) => slope * s);
    for (const tau of [10, 100]) within1pct(mtie(ti, xi, tau), slope * tau);
  });

  it('of a step of A is A for every τ covering the step, 0 before', () => {
    const t = grid(2000, 1);
    const x = Float64Array.from(t, (s) => (s >= 1000 ? 250 : 0));
    for (const tau of [1, 5, 100, 1999]) expect(mtie(t, x, tau)).toBe(250);
    expect(mtie(t.subarray(0, 1000), x.subarray(0, 1000), 100)).toBe(0);
  });

  it('agrees with the definition computed by brute force', () => {
    const t = grid(600, 1);
    const x = gaussian(7, 600);
    for (const n of [1, 3, 17, 150]) {
      let want = 0;
      for (let k = 0; k + n < 600; k++) {
        const w = x.subarray(k, k + n + 1);
        want = Math.max(want, Math.max(...w) - Math.min(...w));
      }
      expect(mtie(t, x, n)).toBeCloseTo(want, 12);
    }
  });
});

describe('TDEV (G.8260 I.3)', () => {
  it('of a linear phase ramp is 0', () => {
    const x = Float64Array.from(grid(3000, 1), (s) => 5e10 + 12.5 * s);
    for (const n of [1, 10, 100, 1000]) expect(tdev(x, n)).toBeLessThan(1e-6);
  });

  it('of white phase noise of σ is σ/√n (σ²/n: 3n independent terms of weights 1, −2, 1 over 6n²)', () => {
    const sigma = 20;
    const x = gaussian(42, 400_000).map((v) => sigma * v);
    for (const n of [1, 4, 16, 64]) within1pct(tdev(x, n)!, sigma / Math.sqrt(n));
  });

  it('of a step of A is A·sqrt((2Σ_{m<n} m² + Σ_{m≤n} (n−2m)²) / (6n²(N−3n+1)))', () => {
    const N = 5000;
    const A = 80;
    const x = Float64Array.from({ length: N }, (_, i) => (i >= 2500 ? A : 0));
    for (const n of [1, 7, 50, 400]) {
      let s = 0;
      for (let m = 1; m < n; m++) s += 2 * m * m;
      for (let m = 0; m <= n; m++) s += (n - 2 * m) ** 2;
      within1pct(tdev(x, n)!, A * Math.sqrt(s / (6 * n * n * (N - 3 * n + 1))));
    }
  });

  it('is undefined when the series is shorter than 3τ', () => {
    expect(tdev(new Float64Array(20), 7)).toBeUndefined();
    expect(tdev(new Float64Array(21), 7)).toBe(0);
  });
});

describe('0.1 Hz low-pass (G.8273.2 dTE_L)', () => {
  it('passes a constant, attenuates a 1 Hz tone by |H| = 1/sqrt(1 + (f/fc)²) ≈ 0.0995', () => {
    const tau0 = 0.001;
    const x = Float64Array.from(grid(200_000, tau0), (s) => 100 * Math.sin(2 * Math.PI * s));
    const y = lowPass(x, tau0);
    const tail = y.subarray(100_000);
    const amp = (Math.max(...tail) - Math.min(...tail)) / 2;
    within1pct(amp, 100 / Math.sqrt(1 + 100));
    expect(lowPass(new Float64Array(10).fill(42), 1).every((v) => v === 42)).toBe(true);
  });
});

describe('cTE, PDV and floor packets', () => {
  it('cTE is the capture mean below 1000 s and the worst 1000 s average above', () => {
    const t = grid(500, 1);
    expect(
      constantTimeError(
        t,
        Float64Array.from(t, () => 12),
      ).cteNs,
    ).toBe(12);
    const t2 = grid(3000, 1);
    const x2 = Float64Array.from(t2, (s) => (s >= 1000 && s < 2000 ? -40 : 5));
    expect(constantTimeError(t2, x2)).toEqual({ cteNs: -40, cteWindowS: 1000, cteWindowStartS: 1000 });
  });

  it('FPP counts the Syncs within δ of the floor in each 200 s window and keeps the lowest', () => {
    const t = grid(4000, 0.1); // 400 s: two windows
    // first window: every 10th Sync at the floor; second: every 50th; others 1 ms late.
    const d = Float64Array.from(t, (_, i) => (i % (i < 2000 ? 10 : 50) === 0 ? 5000 : 1_005_000));
    const r = syncPdv(t, d)!;
    expect(r.windows).toBe(2);
    expect(r.fppPct).toBeCloseTo(2, 9);
    expect(r).toMatchObject({ floorNs: 5000, maxNs: 1_000_000, p50Ns: 1_000_000 });
  });
});

describe('interval statistics', () => {
  it('intervalStats gives the very numbers of sampleStats(intervals(t)), without the intervals array', () => {
    // Arrival times as the detector keeps them (s since the epoch, µs steps with jitter), of lengths 0..3 and long.
    for (const n of [0, 1, 2, 3, 17, 100_000]) {
      const jitter = gaussian(n + 7, n);
      const t = Float64Array.from({ length: n }, (_, i) => 1728187747 + i * 0.0625 + Math.round(jitter[i]! * 50) / 1e6);
      const want = sampleStats(intervals(t));
      const got = intervalStats(t);
      expect(got).toStrictEqual(want);
      if (want) for (const k of ['mean', 'std', 'min', 'max'] as const) expect(Object.is(got![k], want[k])).toBe(true);
    }
    expect(intervalStats([5])).toBeUndefined();
  });
});

describe('verdicts (G.8271.1, G.8273.2)', () => {
  it('judges each class on its own limits; the best class needs all of them', () => {
    const v = judge({ max_abs_te: 60, cte: -15, max_abs_te_l: 20, dte_l_mtie: 12, dte_l_tdev: 1.5 });
    expect(v.find((r) => r.standard === 'G.8271.1')).toMatchObject({ limitNs: 1100, pass: true });
    expect(v.filter((r) => r.class === 'B').every((r) => r.pass)).toBe(true);
    expect(v.find((r) => r.class === 'C' && r.criterion === 'max_abs_te')!.pass).toBe(false);
    expect(bestClass(v)).toBe('B');
    expect(
      bestClass(judge({ max_abs_te: 1200, cte: 300, max_abs_te_l: 900, dte_l_mtie: 50, dte_l_tdev: 9 })),
    ).toBeNull();
  });
});

describe('timeErrorReport', () => {
  it('reports a ramp with its MTIE, zero TDEV, per-second series and verdicts', () => {
    const t = Float64Array.from(grid(1600, 0.0625), (s) => 1_700_000_000 + s); // 100 s at 16/s
    const x = Float64Array.from(t, (s) => 2 * (s - 1_700_000_000)); // 2 ns/s
    const r = timeErrorReport({ port: 'p', domain: 24, basis: 'capture', tS: t, teNs: x, syncArrivalsS: t })!;
    expect(r.samples).toBe(1600);
    expect(r.tau0S).toBe(0.0625);
    within1pct(r.mtie.find((m) => m.tauS === 10)!.ns, 20);
    for (const d of r.tdev) expect(d.ns).toBeLessThan(1e-6);
    within1pct(r.maxAbsTeNs, 2 * 99.9375);
    expect(r.perSecond.tS).toHaveLength(100);
    expect(r.intervals.sync).toMatchObject({ count: 1599 });
    within1pct(r.intervals.sync!.mean, 0.0625);
    expect(r.verdicts.find((v) => v.standard === 'G.8271.1')!.pass).toBe(true);
    expect(r.g8273Class).toBeNull(); // max|TE| 200 ns
    expect(r.statement).toMatch(/capture clock's own error/);
  });
});

describe('metric rows and the PTP view', () => {
  it('a report survives the trip through metric rows into the API view', async () => {
    const { timeErrorMetricRows, ptpViewFromMetrics } = await import('./time-error-metric-rows.js');
    const t = Float64Array.from(grid(400, 0.5), (s) => 1_760_000_000 + s);
    const x = Float64Array.from(t, (_, i) => (i % 2 ? 30 : -10));
    const r = timeErrorReport({
      port: '0xaabbccfffe000001:1',
      domain: 24,
      basis: 'capture',
      tS: t,
      teNs: x,
      pathDelayNs: Float64Array.from(t, () => 1500),
      syncDelay: { tS: t, delayNs: Float64Array.from(t, (_, i) => 2000 + (i % 3)) },
    })!;
    const rows = timeErrorMetricRows(r);
    for (const row of rows) expect(row.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z$/);
    const [v] = ptpViewFromMetrics(rows.map((m) => ({ ...m })).reverse());
    expect(v).toMatchObject({ port: '0xaabbccfffe000001:1', domain: 24, basis: 'capture' });
    expect(v!.series.t).toHaveLength(200);
    expect(v!.series.te_mean_ns[0]).toBe(10);
    expect(v!.series.te_max_ns[0]).toBe(30);
    expect(v!.series.path_delay_ns[0]).toBe(1500);
    expect(v!.summary).toMatchObject({ exchanges: 400, max_abs_te_ns: 30, cte_ns: 10, mean_te_ns: 10 });
    expect(v!.mtie.map((m) => m.tau_s)).toEqual(r.mtie.map((m) => m.tauS));
    expect(v!.mtie.find((m) => m.tau_s === 1)!.ns).toBe(40);
    expect(v!.verdicts).toHaveLength(r.verdicts.length);
    expect(v!.verdicts.find((x) => x.standard === 'G.8271.1')).toMatchObject({
      value_ns: 30,
      pass: true,
      observed_s: 200,
    });
    expect(v!.pdv).toMatchObject({ floor_ns: 2000, max_ns: 2, fpp_pct: 100 });
  });
});

describe('chart buckets', () => {
  it('are seconds up to 2 h and longer beyond, so that a long series keeps at most 7,200 of them', () => {
    const t = grid(4 * 3600, 1); // 4 h at one sample per second
    const r = timeErrorReport({
      port: 'p',
      domain: null,
      basis: 'servo_offset',
      tS: t,
      teNs: Float64Array.from(t, (s) => s % 10),
    })!;
    expect(r.perSecond.bucketS).toBe(2);
    expect(r.perSecond.tS).toHaveLength(7200);
    expect(r.perSecond.minNs[1]).toBe(2);
    expect(r.perSecond.maxNs[1]).toBe(3);
  });
});

describe('sliding windows (G.8273.2: max|TE| and cTE over 1000 s)', () => {
  it('slide by 100 s over whole windows only; a shorter series is one window', async () => {
    const { slidingWindows } = await import('./sliding-windows.js');
    const t = grid(3000, 1);
    const x = Float64Array.from(t, (s) => (s >= 1500 ? 100 : 0));
    const w = slidingWindows(t, x, 1000, 100);
    expect(w.map((r) => r.startS)).toEqual(Array.from({ length: 20 }, (_, i) => 100 * i)); // last start 1900
    expect(w[5]).toEqual({ startS: 500, samples: 1000, maxAbsNs: 0, meanNs: 0 }); // [500, 1500)
    expect(w[6]).toEqual({ startS: 600, samples: 1000, maxAbsNs: 100, meanNs: 10 }); // 100 samples after the step
    expect(w[19]).toMatchObject({ maxAbsNs: 100, meanNs: 100 });
    expect(
      slidingWindows(
        grid(10, 1),
        Float64Array.from({ length: 10 }, (_, i) => -i),
        1000,
        100,
      ),
    ).toEqual([{ startS: 0, samples: 10, maxAbsNs: 9, meanNs: -4.5 }]);
  });

  it('reach the API view', async () => {
    const { timeErrorMetricRows, ptpViewFromMetrics } = await import('./time-error-metric-rows.js');
    const t = Float64Array.from(grid(2500, 1), (s) => 1_760_000_000 + s);
    const r = timeErrorReport({
      port: 'p',
      domain: 24,
      basis: 'capture',
      tS: t,
      teNs: Float64Array.from(t, (_, i) => (i === 1700 ? -50 : 5)),
    })!;
    const v = ptpViewFromMetrics(timeErrorMetricRows(r))[0]!;
    expect(v.windows).toHaveLength(15); // starts 0 … 1400 s
    expect(v.windows[0]).toEqual({
      start: '2025-10-09T08:53:20.000000000Z',
      window_s: 1000,
      max_abs_te_ns: 5,
      cte_ns: 5,
    });
    expect(v.windows[8]!.max_abs_te_ns).toBe(50); // [800, 1800) holds sample 1700
    expect(v.windows[7]!.max_abs_te_ns).toBe(5);
  });
});

describe('a clock that goes back', () => {
  it('leaves out the samples stamped before an earlier one, and counts them', () => {
    const t = [0, 1, 2, 3, 1.5, 4, 5, 0.2, 6];
    const x = [1, 2, 3, 4, 999, 5, 6, 999, 7];
    const r = timeErrorReport({ port: 'p', domain: null, basis: 'servo_offset', tS: t, teNs: x })!;
    expect(r).toMatchObject({ samples: 7, outOfOrder: 2, maxAbsTeNs: 7 });
    expect(r.mtie.find((m) => m.tauS === 1)!.ns).toBe(1);
  });
});

describe('grid-sized arrays the report does without (issue 14: its memory peak)', () => {
  const x = gaussian(17, 30_001).map((v, i) => 40 * v + 0.01 * i);
  it('MTIE on grid times (i·τ0, unstored) equals MTIE on the array of i * τ0, deques in a shared buffer or not', () => {
    for (const tau0 of [0.0625, 0.16384, 1 / 3]) {
      const t = new Float64Array(x.length);
      for (let i = 0; i < t.length; i++) t[i] = i * tau0;
      const shared = mtieDeques(x.length, new ArrayBuffer(8 * (x.length + 1)));
      new Float64Array(shared.maxQ.buffer).fill(-1.5); // left by TDEV's prefix sums
      for (const tau of [tau0, 2 * tau0, 1, 10, 100, 1000]) {
        const want = mtie(t, x, tau);
        expect(mtie({ tau0S: tau0 }, x, tau)).toBe(want);
        expect(mtie({ tau0S: tau0 }, x, tau, shared)).toBe(want);
      }
    }
  });

  it('TDEV with the prefix sums in a used scratch array equals TDEV with a fresh one', () => {
    const ns = [1, 2, 5, 10, 100, 1000, 10_000, 20_000];
    const scratch = new Float64Array(x.length + 5).fill(123.25);
    expect(tdevMany(x, ns, scratch)).toEqual(tdevMany(x, ns));
    expect(tdevMany(x, ns, scratch)).toEqual(ns.map((n) => tdev(x, n)));
  });
});
