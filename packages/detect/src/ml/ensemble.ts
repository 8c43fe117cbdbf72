import { KernelDensity } from './density.js';
import { IsolationForest } from './isolation-forest.js';
import { LocalOutlierFactor } from './lof.js';
import { RobustCovariance } from './robust-covariance.js';
import { median, robustSigma } from './robust-stats.js';

/**
 * The unsupervised ensemble of `window_stat_outlier` (anomalies.md): Isolation Forest, LOF, a
 * robust-covariance (MCD-like Mahalanobis) boundary and a kernel density estimate, fitted on the same
 * robust-z rows. Each model votes "outlier" when its score crosses its own boundary:
 *
 *   boundary = max(absolute floor of the model, median + k · robust σ of the model's baseline scores)
 *
 * so a model is calibrated on the baseline it was fitted on (a model whose scores are noisy on this traffic
 * needs a larger score to vote), and the absolute floor keeps near-identical windows (σ ≈ 0) from voting
 * on noise. Confidence is the share of models that vote.
 */
export const MODEL_NAMES = ['isolation_forest', 'lof', 'robust_covariance', 'kde'] as const;
export type ModelName = (typeof MODEL_NAMES)[number];

export interface EnsembleOptions {
  seed?: number;
  /** Isolation Forest trees and subsample (defaults 100 / 256). */
  trees?: number;
  sampleSize?: number;
  /** LOF neighbours (default 20) and reachability floor (default 1 robust σ). */
  lofK?: number;
  lofMinReach?: number;
  /** k of the robust boundaries (default 6). */
  boundaryK?: number;
  /** Absolute floors: IF score (0.62), LOF (2), χ² tail probability of the robust covariance (0.9999),
   * KDE −log density above the baseline median (ln 1000). */
  ifFloor?: number;
  lofFloor?: number;
  covTail?: number;
  kdeFloor?: number;
}

export interface EnsembleScore {
  /** Raw score of each model, in {@link MODEL_NAMES} order. */
  scores: number[];
  votes: boolean[];
  agree: number;
}

export class OutlierEnsemble {
  private constructor(
    private readonly forest: IsolationForest,
    private readonly lof: LocalOutlierFactor,
    private readonly cov: RobustCovariance,
    private readonly kde: KernelDensity,
    /** Boundary of each model, {@link MODEL_NAMES} order. */
    readonly boundaries: number[],
  ) {}

  /** Fits the four models on `rows` (robust z, at least 4 rows) and calibrates their boundaries on them. */
  static fit(rows: readonly ArrayLike<number>[], options: EnsembleOptions = {}): OutlierEnsemble {
    if (rows.length < 4) throw new RangeError('OutlierEnsemble.fit: need at least 4 rows');
    const seed = options.seed ?? 1;
    const forest = IsolationForest.fit(rows, {
      seed,
      trees: options.trees ?? 100,
      sampleSize: options.sampleSize ?? 256,
    });
    const lof = LocalOutlierFactor.fit(rows, { k: options.lofK ?? 20, minReach: options.lofMinReach ?? 1 });
    const cov = RobustCovariance.fit(rows);
    const kde = KernelDensity.fit(rows);
    const k = options.boundaryK ?? 6;
    const train = [
      rows.map((r) => forest.score(r)),
      rows.map((r, i) => lof.score(r, i)),
      rows.map((r) => cov.score(r)),
      rows.map((r, i) => kde.score(r, i)),
    ];
    const kdeMedian = median(train[3]!);
    const floors = [
      options.ifFloor ?? 0.62,
      options.lofFloor ?? 2,
      cov.boundary(options.covTail ?? 0.9999),
      kdeMedian + (options.kdeFloor ?? Math.log(1000)),
    ];
    const boundaries = train.map((s, m) => Math.max(floors[m]!, median(s) + k * robustSigma(s)));
    return new OutlierEnsemble(forest, lof, cov, kde, boundaries);
  }

  /** Scores `x`; `self` is its index in the fitted rows when it is one of them (leave-one-out). */
  score(x: ArrayLike<number>, self = -1): EnsembleScore {
    const scores = [this.forest.score(x), this.lof.score(x, self), this.cov.score(x), this.kde.score(x, self)];
    const votes = scores.map((s, m) => s > this.boundaries[m]!);
    return { scores, votes, agree: votes.filter(Boolean).length };
  }
}
