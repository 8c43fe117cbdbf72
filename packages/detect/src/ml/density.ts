import { robustSigma } from './robust-stats.js';

/**
 * Kernel density estimate (Gaussian product kernel, per-feature Silverman bandwidth with a floor). The
 * outlier score is −log p(x): a window in a region where few baseline windows lie scores high. A training
 * point is scored leave-one-out (its own kernel would otherwise make every point look dense).
 */
export interface KdeOptions {
  /** Smallest bandwidth, robust-z units (default 0.5: sub-σ differences between windows are noise). */
  minBandwidth?: number;
}

export class KernelDensity {
  private constructor(
    private readonly rows: readonly ArrayLike<number>[],
    private readonly invH: Float64Array,
    /** log of the kernel normaliser: Σ log h_j + d/2 · log 2π. */
    private readonly logNorm: number,
  ) {}

  static fit(rows: readonly ArrayLike<number>[], options: KdeOptions = {}): KernelDensity {
    const n = rows.length;
    if (n < 2) throw new RangeError('KernelDensity.fit: need at least 2 rows');
    const d = rows[0]!.length;
    const silverman = Math.pow(4 / (d + 2), 1 / (d + 4)) * Math.pow(n, -1 / (d + 4));
    const floor = options.minBandwidth ?? 0.5;
    const invH = new Float64Array(d);
    let logNorm = (d / 2) * Math.log(2 * Math.PI);
    const col = new Float64Array(n);
    for (let j = 0; j < d; j++) {
      for (let i = 0; i < n; i++) col[i] = rows[i]![j]!;
      const h = Math.max(floor, silverman * robustSigma(col));
      invH[j] = 1 / h;
      logNorm += Math.log(h);
    }
    return new KernelDensity(rows, invH, logNorm);
  }

  /** −log p(x); `self` is x's own training index (left out) when x is one of the training rows. */
  score(x: ArrayLike<number>, self = -1): number {
    const n = this.rows.length;
    const d = this.invH.length;
    // log-sum-exp over the kernels: exponents are ≤ 0, so track the largest
    let maxE = -Infinity;
    const exps = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (i === self) {
        exps[i] = -Infinity;
        continue;
      }
      const r = this.rows[i]!;
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = (x[j]! - r[j]!) * this.invH[j]!;
        s += t * t;
      }
      const e = -0.5 * s;
      exps[i] = e;
      if (e > maxE) maxE = e;
    }
    let sum = 0;
    for (let i = 0; i < n; i++) if (exps[i]! > -Infinity) sum += Math.exp(exps[i]! - maxE);
    const m = self >= 0 ? n - 1 : n;
    const logP = maxE + Math.log(sum) - Math.log(m) - this.logNorm;
    return -logP;
  }
}
