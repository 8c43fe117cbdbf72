/**
 * TDEV and the 0.1 Hz filter need samples on a regular grid (G.8260 I.3: x_i at iτ0); PTP exchanges come
 * where the slave's Delay_Req timer put them. The series is put on a grid of step τ0 by linear
 * interpolation between the neighbouring samples — no new extremes are made, so MTIE on the grid never
 * exceeds MTIE on the samples.
 */
export interface UniformSeries {
  t0S: number;
  tau0S: number;
  x: Float64Array;
}

export function toUniformGrid(tS: ArrayLike<number>, x: ArrayLike<number>, tau0S: number): UniformSeries {
  const n = tS.length;
  if (n === 0 || !(tau0S > 0)) return { t0S: n ? tS[0]! : 0, tau0S, x: new Float64Array(0) };
  const t0 = tS[0]!;
  const count = Math.floor((tS[n - 1]! - t0) / tau0S + 1e-9) + 1;
  const out = new Float64Array(count);
  let k = 0;
  for (let i = 0; i < count; i++) {
    const t = t0 + i * tau0S;
    while (k + 1 < n && tS[k + 1]! <= t) k++;
    if (k + 1 >= n || tS[k]! >= t) out[i] = x[k]!;
    else {
      const f = (t - tS[k]!) / (tS[k + 1]! - tS[k]!);
      out[i] = x[k]! + f * (x[k + 1]! - x[k]!);
    }
  }
  return { t0S: t0, tau0S, x: out };
}

/** The median spacing of the samples (s): the grid step that keeps their rate. */
export function medianInterval(tS: ArrayLike<number>): number | undefined {
  if (tS.length < 2) return undefined;
  const d = new Float64Array(tS.length - 1);
  for (let i = 1; i < tS.length; i++) d[i - 1] = tS[i]! - tS[i - 1]!;
  d.sort(); // a typed array sorts numerically
  return d[d.length >> 1]!;
}
