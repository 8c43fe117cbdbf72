/**
 * Local Outlier Factor (Breunig et al., SIGMOD 2000): the local reachability density of a point against
 * that of its k nearest training neighbours. LOF ≈ 1 inside a cluster, ≫ 1 for a point in a sparser
 * region than its neighbours. Distances are Euclidean in robust-z units; `minReach` floors the
 * reachability distance so that a tight cluster of near-identical windows (regular traffic) does not
 * turn sub-σ differences into huge factors.
 */
export interface LofOptions {
  /** Neighbours (default 20, capped at ⌊n/2⌋ so that a burst of outliers cannot be its own cluster). */
  k?: number;
  /** Floor of the reachability distance, in robust-z units (default 1). */
  minReach?: number;
}

export class LocalOutlierFactor {
  private constructor(
    private readonly rows: readonly ArrayLike<number>[],
    private readonly k: number,
    private readonly kDist: Float64Array,
    private readonly lrd: Float64Array,
    private readonly minReach: number,
  ) {}

  get neighbours(): number {
    return this.k;
  }

  static fit(rows: readonly ArrayLike<number>[], options: LofOptions = {}): LocalOutlierFactor {
    const n = rows.length;
    if (n < 2) throw new RangeError('LocalOutlierFactor.fit: need at least 2 rows');
    const k = Math.max(1, Math.min(options.k ?? 20, Math.floor(n / 2), n - 1));
    const minReach = options.minReach ?? 1;
    const kDist = new Float64Array(n);
    const neigh: Int32Array[] = [];
    const dists: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      const nn = knn(rows, rows[i]!, k, i);
      neigh.push(nn.idx);
      dists.push(nn.dist);
      kDist[i] = nn.dist[k - 1]!;
    }
    const lrd = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let sum = 0;
      for (let m = 0; m < k; m++) sum += Math.max(kDist[neigh[i]![m]!]!, dists[i]![m]!, minReach);
      lrd[i] = k / sum;
    }
    return new LocalOutlierFactor(rows, k, kDist, lrd, minReach);
  }

  /** LOF of `x` against the training rows; `self` is x's own training index when x is one of them. */
  score(x: ArrayLike<number>, self = -1): number {
    const nn = knn(this.rows, x, this.k, self);
    let reach = 0;
    let lrdSum = 0;
    for (let m = 0; m < this.k; m++) {
      const o = nn.idx[m]!;
      reach += Math.max(this.kDist[o]!, nn.dist[m]!, this.minReach);
      lrdSum += this.lrd[o]!;
    }
    const lrdX = this.k / reach;
    return lrdSum / this.k / lrdX;
  }
}

/** k nearest rows of x (ascending distance), skipping index `skip`. */
function knn(
  rows: readonly ArrayLike<number>[],
  x: ArrayLike<number>,
  k: number,
  skip: number,
): { idx: Int32Array; dist: Float64Array } {
  const idx = new Int32Array(k).fill(-1);
  const dist = new Float64Array(k).fill(Infinity);
  for (let i = 0; i < rows.length; i++) {
    if (i === skip) continue;
    const r = rows[i]!;
    let s = 0;
    for (let j = 0; j < x.length; j++) {
      const t = r[j]! - x[j]!;
      s += t * t;
    }
    const dd = Math.sqrt(s);
    if (dd >= dist[k - 1]!) continue;
    let p = k - 1;
    while (p > 0 && dist[p - 1]! > dd) {
      dist[p] = dist[p - 1]!;
      idx[p] = idx[p - 1]!;
      p--;
    }
    dist[p] = dd;
    idx[p] = i;
  }
  return { idx, dist };
}
