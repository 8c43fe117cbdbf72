/**
 * dTE_L and dTE_H (ITU-T G.8273.2 §7.1, Table 7-3/7-4; G.8260 Appendix I): the time error seen through a
 * first-order 0.1 Hz low-pass filter, and what that filter removes (0.1 Hz high-pass). Discrete form on a
 * grid of step τ0: y_i = y_{i−1} + α (x_i − y_{i−1}), α = 1 − exp(−2π f_c τ0) (the exact step response of
 * the RC filter of bandwidth f_c), started at y_0 = x_0 so that no start transient is measured.
 */
export const DTE_FILTER_HZ = 0.1;

export function lowPass(x: ArrayLike<number>, tau0S: number, cornerHz = DTE_FILTER_HZ): Float64Array {
  const y = new Float64Array(x.length);
  if (x.length === 0) return y;
  const alpha = 1 - Math.exp(-2 * Math.PI * cornerHz * tau0S);
  let v = x[0]!;
  for (let i = 0; i < x.length; i++) {
    v += alpha * (x[i]! - v);
    y[i] = v;
  }
  return y;
}
