/**
 * The little dense linear algebra the robust-covariance model needs (d ≤ a few dozen): Cholesky
 * factorisation of a symmetric positive-definite matrix and the quadratic form x' Σ⁻¹ x through it,
 * plus normal and χ² quantiles for its decision boundary.
 */

/** Lower-triangular L with Σ = L·Lᵀ (row-major d×d); throws when Σ is not positive definite. */
export function cholesky(a: Float64Array, d: number): Float64Array<ArrayBuffer> {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) throw new RangeError('cholesky: matrix is not positive definite');
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j]!;
      }
    }
  }
  return l;
}

/** xᵀ Σ⁻¹ x given Σ's Cholesky factor (forward substitution, no inverse formed). */
export function mahalanobisSq(
  x: ArrayLike<number>,
  l: Float64Array,
  d: number,
  tmp: Float64Array = new Float64Array(d),
): number {
  let q = 0;
  for (let i = 0; i < d; i++) {
    let s = x[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * tmp[k]!;
    const y = s / l[i * d + i]!;
    tmp[i] = y;
    q += y * y;
  }
  return q;
}

/** Standard normal quantile (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`normalQuantile: p must be in (0, 1), got ${p}`);
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239,
  ];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const e = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((e[0]! * q + e[1]!) * q + e[2]!) * q + e[3]!) * q + 1)
    );
  }
  if (p > 1 - lo) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** χ² quantile with `dof` degrees of freedom (Wilson–Hilferty; within ~1 % for dof ≥ 3 in the tail). */
export function chiSquareQuantile(p: number, dof: number): number {
  const z = normalQuantile(p);
  const v = 2 / (9 * dof);
  return dof * Math.pow(Math.max(0, 1 - v + z * Math.sqrt(v)), 3);
}
