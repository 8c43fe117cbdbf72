import { chiSquareQuantile, cholesky, mahalanobisSq } from './linalg.js';
import { median } from './robust-stats.js';

/**
 * Robust-covariance boundary: a Minimum Covariance Determinant-like estimate (Rousseeuw & Van Driessen's
 * C-steps from the h points nearest the median, h = ⌈0.75 n⌉) with Ledoit–Wolf-style shrinkage toward
 * a scaled identity and a small ridge, so that it stays invertible when there are fewer windows than
 * features or a feature is constant. The score is the squared Mahalanobis distance, made consistent
 * (median d² rescaled to the χ² median); the natural boundary is a χ²(d) quantile.
 */
export interface RobustCovarianceOptions {
  /** Share of points in the support subset (default 0.75). */
  support?: number;
  /** Shrinkage toward tr(S)/d · I (default 0.1). */
  shrinkage?: number;
  /** Added to the diagonal, robust-z² units (default 0.05). */
  ridge?: number;
  /** C-step iterations at most (default 20). */
  maxSteps?: number;
}

export class RobustCovariance {
  private readonly tmp: Float64Array;
  private readonly diff: Float64Array;

  private constructor(
    readonly location: Float64Array<ArrayBuffer>,
    private readonly chol: Float64Array<ArrayBuffer>,
    readonly dims: number,
    /** d² multiplier that makes the median d² of the support equal the χ²(d) median. */
    private readonly consistency: number,
  ) {
    this.tmp = new Float64Array(dims);
    this.diff = new Float64Array(dims);
  }

  static fit(rows: readonly ArrayLike<number>[], options: RobustCovarianceOptions = {}): RobustCovariance {
    const n = rows.length;
    if (n < 2) throw new RangeError('RobustCovariance.fit: need at least 2 rows');
    const d = rows[0]!.length;
    const h = Math.min(n, Math.max(2, Math.ceil((options.support ?? 0.75) * n)));
    const shrink = options.shrinkage ?? 0.1;
    const ridge = options.ridge ?? 0.05;
    // start: the h points nearest the coordinate-wise median (rows are robust z, so the origin)
    const norms = rows.map((r) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += r[j]! * r[j]!;
      return s;
    });
    let subset = smallest(norms, h);
    let est = estimate(rows, subset, d, shrink, ridge);
    const steps = options.maxSteps ?? 20;
    for (let s = 0; s < steps; s++) {
      const tmp = new Float64Array(d);
      const dist = rows.map((r) => distanceSq(r, est.mean, est.chol, d, tmp));
      const next = smallest(dist, h);
      if (sameSet(next, subset)) break;
      subset = next;
      est = estimate(rows, subset, d, shrink, ridge);
    }
    const tmp = new Float64Array(d);
    const all = rows.map((r) => distanceSq(r, est.mean, est.chol, d, tmp));
    const med = median(all);
    const consistency = med > 0 ? chiSquareQuantile(0.5, d) / med : 1;
    return new RobustCovariance(est.mean, est.chol, d, consistency);
  }

  /** Consistent squared Mahalanobis distance of x. */
  score(x: ArrayLike<number>): number {
    return distanceSq(x, this.location, this.chol, this.dims, this.tmp, this.diff) * this.consistency;
  }

  /** χ²(d) quantile at `p`: the natural decision boundary of {@link score}. */
  boundary(p: number): number {
    return chiSquareQuantile(p, this.dims);
  }
}

function distanceSq(
  x: ArrayLike<number>,
  mean: Float64Array,
  chol: Float64Array,
  d: number,
  tmp: Float64Array,
  diff: Float64Array = new Float64Array(d),
): number {
  for (let j = 0; j < d; j++) diff[j] = x[j]! - mean[j]!;
  return mahalanobisSq(diff, chol, d, tmp);
}

function smallest(values: number[], h: number): number[] {
  return values
    .map((v, i) => [v, i] as const)
    .sort((a, b) => a[0] - b[0] || a[1] - b[1])
    .slice(0, h)
    .map((e) => e[1])
    .sort((a, b) => a - b);
}

function sameSet(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

function estimate(
  rows: readonly ArrayLike<number>[],
  subset: number[],
  d: number,
  shrink: number,
  ridge: number,
): { mean: Float64Array<ArrayBuffer>; chol: Float64Array<ArrayBuffer> } {
  const mean = new Float64Array(d);
  for (const i of subset) for (let j = 0; j < d; j++) mean[j]! += rows[i]![j]!;
  for (let j = 0; j < d; j++) mean[j]! /= subset.length;
  const cov = new Float64Array(d * d);
  for (const i of subset) {
    const r = rows[i]!;
    for (let a = 0; a < d; a++) {
      const da = r[a]! - mean[a]!;
      for (let b = 0; b <= a; b++) cov[a * d + b]! += da * (r[b]! - mean[b]!);
    }
  }
  const denom = Math.max(1, subset.length - 1);
  let trace = 0;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = cov[a * d + b]! / denom;
      cov[a * d + b] = v;
      cov[b * d + a] = v;
    }
    trace += cov[a * d + a]!;
  }
  const target = trace / d;
  for (let a = 0; a < d; a++) {
    for (let b = 0; b < d; b++) cov[a * d + b] = (1 - shrink) * cov[a * d + b]!;
    cov[a * d + a]! += shrink * target + ridge;
  }
  return { mean, chol: cholesky(cov, d) };
}
