import { quantileOfSorted } from './time-error-stats.js';

/**
 * Packet delay variation of Sync arrivals and the floor packet percentage (ITU-T G.8260 Appendix I, I.5
 * "PDV metrics studying floor delay packet population"; network limit in G.8261.1 §8: at least 1 % of the
 * packets within δ = 150 µs of the floor delay in every window of W = 200 s).
 *
 * The delay of a Sync is its forward delay t2 − t1 − correctionField: it carries the (unknown) constant
 * offset between the two clocks, which cancels in a variation. The floor is the minimum delay over the
 * whole capture; PDV is each delay above it. FPP is computed in consecutive windows of W and the lowest
 * window is kept (the limit applies to every window); a capture shorter than W is one window, a short
 * last window is not judged on its own.
 */
export const FPP_WINDOW_S = 200;
export const FPP_CLUSTER_NS = 150_000;
export const FPP_LIMIT_PCT = 1;

export interface PdvResult {
  floorNs: number;
  p50Ns: number;
  p99Ns: number;
  maxNs: number;
  /** Lowest floor packet percentage over the windows. */
  fppPct: number;
  fppWindowS: number;
  fppClusterNs: number;
  windows: number;
}

export function syncPdv(
  tS: ArrayLike<number>,
  delayNs: ArrayLike<number>,
  windowS = FPP_WINDOW_S,
  clusterNs = FPP_CLUSTER_NS,
): PdvResult | undefined {
  const n = delayNs.length;
  if (n === 0) return undefined;
  let floor = Infinity;
  for (let i = 0; i < n; i++) if (delayNs[i]! < floor) floor = delayNs[i]!;
  const pdv = new Float64Array(n);
  for (let i = 0; i < n; i++) pdv[i] = delayNs[i]! - floor;
  let worst = 100;
  let windows = 0;
  for (let i = 0; i < n;) {
    const start = tS[i]!;
    let inFloor = 0;
    let k = 0;
    for (; i < n && tS[i]! < start + windowS; i++, k++) if (pdv[i]! <= clusterNs) inFloor++;
    const last = i >= n;
    // A last window whose Syncs span less than 95 % of W is judged only when it is the only one.
    if (last && windows > 0 && tS[n - 1]! - start < 0.95 * windowS) break;
    windows++;
    worst = Math.min(worst, (100 * inFloor) / k);
  }
  const sorted = Float64Array.from(pdv).sort(); // once for the three quantiles
  return {
    floorNs: floor,
    p50Ns: quantileOfSorted(sorted, 0.5),
    p99Ns: quantileOfSorted(sorted, 0.99),
    maxNs: quantileOfSorted(sorted, 1),
    fppPct: worst,
    fppWindowS: windowS,
    fppClusterNs: clusterNs,
    windows,
  };
}
