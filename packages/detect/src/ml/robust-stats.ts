/**
 * Robust location and scale (median, MAD, IQR) and the robust scaler of the window features. Robust
 * statistics keep a burst of faulty windows from moving the baseline it is compared against: the median
 * and MAD break down only when half the windows are faulty.
 */

/** Consistency constant: 1.4826 · MAD estimates σ of a normal distribution. */
export const MAD_TO_SIGMA = 1.4826;
/** IQR / 1.349 estimates σ of a normal distribution. */
export const IQR_TO_SIGMA = 1 / 1.349;

/** Linear-interpolated quantile of an ascending array (q in [0, 1]); NaN for an empty array. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const pos = (n - 1) * Math.min(1, Math.max(0, q));
  const lo = Math.floor(pos);
  const hi = Math.min(n - 1, lo + 1);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (pos - lo);
}

export function sortedCopy(values: ArrayLike<number>): Float64Array {
  return Float64Array.from(values).sort();
}

export function median(values: ArrayLike<number>): number {
  return quantileSorted(sortedCopy(values), 0.5);
}

/** Median absolute deviation from `center` (not scaled to σ). */
export function mad(values: ArrayLike<number>, center = median(values)): number {
  const dev = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) dev[i] = Math.abs(values[i]! - center);
  return median(dev);
}

/** A robust σ: the larger of 1.4826·MAD and IQR/1.349 (MAD is 0 when over half the values are equal). */
export function robustSigma(values: ArrayLike<number>): number {
  const s = sortedCopy(values);
  const c = quantileSorted(s, 0.5);
  const iqr = quantileSorted(s, 0.75) - quantileSorted(s, 0.25);
  return Math.max(MAD_TO_SIGMA * mad(s, c), IQR_TO_SIGMA * iqr);
}

/** Per-feature center (median) and scale (robust σ with floors); serialisable. */
export interface RobustScaler {
  center: number[];
  scale: number[];
}

export interface ScaleFloors {
  /** Minimum scale as a share of |median| (counts and rates vary by a few percent in healthy traffic). */
  relative: number;
  /** Minimum scale per feature, in the feature's unit. */
  absolute: readonly number[];
}

/**
 * Fits the robust scaler: center = median, scale = max(robust σ, relative·|median|, absolute floor). The
 * floors matter on regular traffic where most windows are identical and σ is 0: without them any tiny
 * difference would be an infinite z.
 */
export function fitRobustScaler(rows: readonly ArrayLike<number>[], floors: ScaleFloors): RobustScaler {
  const d = rows[0]?.length ?? floors.absolute.length;
  const center: number[] = [];
  const scale: number[] = [];
  for (let j = 0; j < d; j++) {
    // a feature without a value in some windows (NaN) is estimated from the windows that have one
    const col: number[] = [];
    for (let i = 0; i < rows.length; i++) {
      const v = rows[i]![j]!;
      if (Number.isFinite(v)) col.push(v);
    }
    const c = col.length > 0 ? median(col) : 0;
    const s = col.length > 0 ? robustSigma(col) : 0;
    center.push(c);
    scale.push(Math.max(s, floors.relative * Math.abs(c), floors.absolute[j] ?? 1e-9));
  }
  return { center, scale };
}

/** Robust z of each feature of `row`. */
export function scaleRow(
  row: ArrayLike<number>,
  scaler: RobustScaler,
  out = new Float64Array(row.length),
): Float64Array {
  for (let j = 0; j < row.length; j++) out[j] = (row[j]! - scaler.center[j]!) / scaler.scale[j]!;
  return out;
}
