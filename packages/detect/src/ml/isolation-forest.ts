import { SeededRandom } from './prng.js';

/**
 * Isolation Forest (Liu, Ting & Zhou, ICDM 2008): random axis-parallel splits isolate an outlier in
 * fewer steps than a normal point. Score s(x) = 2^(−E[h(x)] / c(ψ)) in (0, 1): ≈ 0.5 for ordinary
 * points, → 1 for easily isolated ones. Trees live in flat typed arrays (no object per node).
 */
export interface IsolationForestOptions {
  /** Trees (default 100). */
  trees?: number;
  /** Subsample size ψ per tree (default 256, capped at n). */
  sampleSize?: number;
  seed?: number;
}

/** Average path length of an unsuccessful BST search among n points (the c(n) of the paper). */
export function averagePathLength(n: number): number {
  if (n <= 1) return 0;
  if (n === 2) return 1;
  const harmonic = Math.log(n - 1) + 0.5772156649015329;
  return 2 * harmonic - (2 * (n - 1)) / n;
}

interface Tree {
  /** Split feature, or -1 for a leaf. */
  feature: Int32Array;
  split: Float64Array;
  left: Int32Array;
  right: Int32Array;
  /** Leaf: points that reached it (for the c(size) correction). */
  size: Int32Array;
}

export class IsolationForest {
  private constructor(
    private readonly trees: Tree[],
    private readonly psi: number,
  ) {}

  static fit(rows: readonly ArrayLike<number>[], options: IsolationForestOptions = {}): IsolationForest {
    const n = rows.length;
    if (n === 0) throw new RangeError('IsolationForest.fit: no rows');
    const d = rows[0]!.length;
    const rnd = new SeededRandom(options.seed ?? 1);
    const psi = Math.max(2, Math.min(options.sampleSize ?? 256, n));
    const limit = Math.ceil(Math.log2(psi));
    const trees: Tree[] = [];
    const nTrees = options.trees ?? 100;
    const maxNodes = 2 * psi + 1;
    for (let t = 0; t < nTrees; t++) {
      const tree: Tree = {
        feature: new Int32Array(maxNodes).fill(-1),
        split: new Float64Array(maxNodes),
        left: new Int32Array(maxNodes),
        right: new Int32Array(maxNodes),
        size: new Int32Array(maxNodes),
      };
      let nodes = 0;
      const build = (idx: number[], depth: number): number => {
        const node = nodes++;
        tree.size[node] = idx.length;
        if (depth >= limit || idx.length <= 1) return node;
        // a random feature among those that still vary in this node
        const order = rnd.sample(d, d);
        for (const f of order) {
          let lo = Infinity;
          let hi = -Infinity;
          for (const i of idx) {
            const v = rows[i]![f]!;
            if (v < lo) lo = v;
            if (v > hi) hi = v;
          }
          if (!(hi > lo)) continue;
          const s = lo + rnd.next() * (hi - lo);
          const l: number[] = [];
          const r: number[] = [];
          for (const i of idx) (rows[i]![f]! < s ? l : r).push(i);
          tree.feature[node] = f;
          tree.split[node] = s;
          tree.left[node] = build(l, depth + 1);
          tree.right[node] = build(r, depth + 1);
          return node;
        }
        return node;
      };
      build(rnd.sample(n, psi), 0);
      trees.push(tree);
    }
    return new IsolationForest(trees, psi);
  }

  /** Anomaly score in (0, 1); higher is more anomalous. */
  score(x: ArrayLike<number>): number {
    let total = 0;
    for (const t of this.trees) {
      let node = 0;
      let depth = 0;
      while (t.feature[node]! >= 0) {
        node = x[t.feature[node]!]! < t.split[node]! ? t.left[node]! : t.right[node]!;
        depth++;
      }
      total += depth + averagePathLength(t.size[node]!);
    }
    return Math.pow(2, -total / this.trees.length / averagePathLength(this.psi));
  }
}
