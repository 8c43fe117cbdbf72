import { describe, expect, it } from 'vitest';
import { KernelDensity } from './density.js';
import { OutlierEnsemble } from './ensemble.js';
import { IsolationForest, averagePathLength } from './isolation-forest.js';
import { chiSquareQuantile, normalQuantile } from './linalg.js';
import { LocalOutlierFactor } from './lof.js';
import { SeededRandom } from './prng.js';
import { RobustCovariance } from './robust-covariance.js';
import { fitRobustScaler, mad, median, robustSigma, scaleRow } from './robust-stats.js';

/** n points of a d-dimensional standard normal cloud (Box–Muller), then the planted outliers. */
function cloud(n: number, d: number, seed: number, planted: number[][] = []): Float64Array[] {
  const rnd = new SeededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rnd.next())) * Math.cos(2 * Math.PI * rnd.next());
  const rows: Float64Array[] = [];
  for (let i = 0; i < n; i++) rows.push(Float64Array.from({ length: d }, gauss));
  for (const p of planted) rows.push(Float64Array.from(p));
  return rows;
}

/** Indices of the `k` highest scores. */
function top(scores: number[], k: number): number[] {
  return scores
    .map((s, i) => [s, i] as const)
    .sort((a, b) => b[0] - a[0])
    .slice(0, k)
    .map((e) => e[1])
    .sort((a, b) => a - b);
}

const PLANTED_2D = [
  [8, 8],
  [-7, 6],
  [0, -9],
];

describe('robust statistics', () => {
  it('median, MAD and robust σ ignore a minority of wild values', () => {
    const v = [1, 2, 3, 4, 5, 1000, -1000];
    expect(median(v)).toBe(3);
    expect(mad(v)).toBe(2);
    expect(robustSigma([1, 1, 1, 1, 1, 1, 2])).toBe(0);
  });

  it('the scaler floors the scale of a constant feature and ignores missing values', () => {
    const s = fitRobustScaler(
      [
        [100, 1, NaN],
        [100, 2, 5],
        [100, 3, 7],
      ],
      { relative: 0.02, absolute: [1, 0.1, 0.1] },
    );
    expect(s.center).toEqual([100, 2, 6]);
    expect(s.scale[0]).toBe(2); // 2 % of 100 beats σ = 0
    expect(Array.from(scaleRow([104, 2, 6], s))).toEqual([2, 0, 0]);
  });
});

describe('Isolation Forest', () => {
  it('gives the planted 2-D outliers the highest scores, deterministically for a seed', () => {
    const rows = cloud(300, 2, 7, PLANTED_2D);
    const f = IsolationForest.fit(rows, { seed: 3 });
    const scores = rows.map((r) => f.score(r));
    expect(top(scores, 3)).toEqual([300, 301, 302]);
    expect(scores[300]!).toBeGreaterThan(0.62);
    expect(median(scores.slice(0, 300))).toBeLessThan(0.5);
    const again = IsolationForest.fit(rows, { seed: 3 });
    expect(rows.map((r) => again.score(r))).toEqual(scores);
  });

  it('c(n) is the average path length of an unsuccessful search', () => {
    expect(averagePathLength(1)).toBe(0);
    expect(averagePathLength(2)).toBe(1);
    expect(averagePathLength(256)).toBeCloseTo(10.24, 1);
  });
});

describe('Local Outlier Factor', () => {
  it('scores points in a cluster ≈ 1 and the planted outliers far above', () => {
    const rows = cloud(300, 2, 11, PLANTED_2D);
    const lof = LocalOutlierFactor.fit(rows, { k: 20, minReach: 0 });
    const scores = rows.map((r, i) => lof.score(r, i));
    expect(top(scores, 3)).toEqual([300, 301, 302]);
    expect(median(scores.slice(0, 300))).toBeCloseTo(1, 0);
    expect(Math.min(...scores.slice(300))).toBeGreaterThan(2);
  });

  it('caps k at half the rows so that a small burst cannot be its own neighbourhood', () => {
    expect(LocalOutlierFactor.fit(cloud(10, 3, 1), { k: 20 }).neighbours).toBe(5);
  });
});

describe('robust covariance (MCD-like)', () => {
  it('is not pulled by 10 % contamination: the planted points are beyond the χ² boundary', () => {
    // correlated 4-D cloud: x2 = x0 + noise — a point off the correlation is an outlier although its
    // coordinates are ordinary
    const base = cloud(200, 4, 5).map((r) => Float64Array.from([r[0]!, r[1]!, r[0]! + 0.2 * r[2]!, r[3]!]));
    const planted = [Float64Array.from([2, 0, -2, 0]), ...cloud(20, 4, 9).map((r) => r.map((v) => v + 12))];
    const rows = [...base, ...planted];
    const cov = RobustCovariance.fit(rows);
    const boundary = cov.boundary(0.999);
    expect(cov.score(rows[200]!)).toBeGreaterThan(boundary);
    for (let i = 201; i < rows.length; i++) expect(cov.score(rows[i]!)).toBeGreaterThan(boundary);
    const inside = base.filter((r) => cov.score(r) <= boundary).length;
    expect(inside).toBeGreaterThanOrEqual(195);
  });

  it('stays invertible with fewer rows than features and a constant feature', () => {
    const rows = cloud(6, 10, 2).map((r) => {
      r[3] = 0;
      return r;
    });
    const cov = RobustCovariance.fit(rows);
    expect(Number.isFinite(cov.score(rows[0]!))).toBe(true);
  });

  it('χ² and normal quantiles', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959964, 5);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232, 5);
    expect(chiSquareQuantile(0.999, 10)).toBeCloseTo(29.588, 0);
    expect(chiSquareQuantile(0.5, 17)).toBeCloseTo(16.338, 0);
  });
});

describe('kernel density', () => {
  it('gives the planted points the lowest density (leave-one-out in sample)', () => {
    const rows = cloud(300, 3, 13, [
      [7, 7, 7],
      [-8, 0, 5],
    ]);
    const kde = KernelDensity.fit(rows);
    const scores = rows.map((r, i) => kde.score(r, i));
    expect(top(scores, 2)).toEqual([300, 301]);
  });
});

describe('ensemble', () => {
  it('the models vote for planted N-D outliers and (almost) none for the cloud', () => {
    const d = 8;
    const planted = [Array.from({ length: d }, (_, j) => (j === 2 ? 40 : 0)), Array.from({ length: d }, () => 9)];
    const rows = cloud(400, d, 21, planted);
    const e = OutlierEnsemble.fit(rows, { seed: 4 });
    const verdicts = rows.map((r, i) => e.score(r, i));
    // a far value on one axis of eight: axis-parallel isolation needs that axis to be drawn, so the forest
    // may abstain; the distance- and density-based models see it
    expect(verdicts[400]!.votes.slice(1)).toEqual([true, true, true]);
    expect(verdicts[401]!.agree).toBe(4);
    const falseAlarms = verdicts.slice(0, 400).filter((v) => v.agree >= 2).length;
    expect(falseAlarms).toBeLessThanOrEqual(2);
    // deterministic
    const again = OutlierEnsemble.fit(rows, { seed: 4 });
    expect(rows.map((r, i) => again.score(r, i).scores)).toEqual(verdicts.map((v) => v.scores));
  });
});
