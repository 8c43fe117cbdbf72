/**
 * MTIE — maximum time interval error (ITU-T G.8260 Appendix I, I.1; G.810 §B.1): for an observation interval
 * τ, the largest peak-to-peak excursion of the time error within any window of length τ,
 *
 *   MTIE(τ) = max over windows [t_k, t_k + τ] of ( max x(t_i) − min x(t_i) ),  t_i in the window.
 *
 * With samples every τ0 and τ = nτ0 a window holds n + 1 samples, as in G.8260 (I.1). Windows are taken by
 * time, so irregular samples (PTP exchanges do not come on a grid) are measured as they are. Each τ costs
 * O(N): the window's maximum and minimum come from two monotonic deques (each sample enters and leaves once).
 */
/**
 * Index arrays for {@link mtie}'s deques, for a caller that computes MTIE at many τ over one series: the
 * time-error report asks 10–30 τ of a grid of up to 2^20 points, each call otherwise allocating and zeroing
 * two arrays of the series' length.
 */
export interface MtieDeques {
  maxQ: Int32Array;
  minQ: Int32Array;
}

export function mtieDeques(n: number, buffer?: ArrayBuffer): MtieDeques {
  // In a caller's buffer (of at least 8n bytes) the two deques are its halves: the time-error report lends
  // MTIE the buffer its TDEV prefix sums use at other times.
  if (buffer !== undefined) return { maxQ: new Int32Array(buffer, 0, n), minQ: new Int32Array(buffer, 4 * n, n) };
  return { maxQ: new Int32Array(n), minQ: new Int32Array(n) };
}

/** The times of a uniform grid, t_i = i·τ0: the same doubles as an array filled with `i * tau0S`, unstored. */
export interface GridTimes {
  tau0S: number;
}

export function mtie(
  times: ArrayLike<number> | GridTimes,
  x: ArrayLike<number>,
  tauS: number,
  deques?: MtieDeques,
): number {
  const n = x.length;
  if (n === 0) return 0;
  const onGrid = 'tau0S' in times;
  const step = onGrid ? times.tau0S : 0;
  const tS: ArrayLike<number> = onGrid ? NO_TIMES : times;
  // Deques of sample indices, kept as plain arrays with a head pointer (no shifting). Every slot is written
  // before it is read, so arrays reused from an earlier τ need no clearing.
  const maxQ = deques !== undefined && deques.maxQ.length >= n ? deques.maxQ : new Int32Array(n);
  const minQ = deques !== undefined && deques.minQ.length >= n ? deques.minQ : new Int32Array(n);
  let maxHead = 0;
  let maxTail = 0;
  let minHead = 0;
  let minTail = 0;
  let best = 0;
  let end = 0; // next sample to enter
  // A tolerance of a nanosecond of time keeps n+1 samples of a float grid (k·τ0) inside a window of nτ0.
  const eps = 1e-9 * Math.max(1, Math.abs(tauS));
  for (let start = 0; start < n; start++) {
    const limit = (onGrid ? start * step : tS[start]!) + tauS + eps;
    while (end < n && (onGrid ? end * step : tS[end]!) <= limit) {
      const v = x[end]!;
      while (maxTail > maxHead && x[maxQ[maxTail - 1]!]! <= v) maxTail--;
      maxQ[maxTail++] = end;
      while (minTail > minHead && x[minQ[minTail - 1]!]! >= v) minTail--;
      minQ[minTail++] = end;
      end++;
    }
    const spread = x[maxQ[maxHead]!]! - x[minQ[minHead]!]!;
    if (spread > best) best = spread;
    if (end === n) break; // later windows are subsets of this one
    if (maxQ[maxHead] === start) maxHead++;
    if (minQ[minHead] === start) minHead++;
  }
  return best;
}

const NO_TIMES = new Float64Array(0);
