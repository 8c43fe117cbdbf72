import { inOrderOf, type InOrderValues } from './sample-lists.js';

/**
 * Time-error figures of ITU-T G.8273.2 §7.1 from a TE series x(t) (ns) at times t (s):
 *
 *  - max|TE|: the largest absolute time error (unfiltered, Table 7-1);
 *  - cTE: the constant time error, the average of TE over 1000 s (§3.1 of G.8260, Table 7-2). A series
 *    shorter than 1000 s is averaged over its whole span (said by `cteWindowS`); a longer one is cut in
 *    consecutive 1000 s windows and the window with the largest |average| is kept (the worst cTE seen).
 */
export const CTE_WINDOW_S = 1000;

export function maxAbs(x: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const a = Math.abs(x[i]!);
    if (a > m) m = a;
  }
  return m;
}

export function mean(x: ArrayLike<number>): number {
  if (x.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]!;
  return s / x.length;
}

export interface CteResult {
  cteNs: number;
  /** Span the average was taken over (s): 1000, or the whole series when it is shorter. */
  cteWindowS: number;
  /** Start (s, same clock as t) of that window. */
  cteWindowStartS: number;
}

export function constantTimeError(tS: ArrayLike<number>, x: ArrayLike<number>, windowS = CTE_WINDOW_S): CteResult {
  const n = x.length;
  if (n === 0) return { cteNs: 0, cteWindowS: 0, cteWindowStartS: 0 };
  const span = tS[n - 1]! - tS[0]!;
  if (span < windowS) return { cteNs: mean(x), cteWindowS: span, cteWindowStartS: tS[0]! };
  let best: CteResult | undefined;
  let i = 0;
  while (i < n) {
    const start = tS[i]!;
    if (tS[n - 1]! - start < windowS) break; // a last partial window is not a 1000 s average
    let s = 0;
    let k = 0;
    for (; i < n && tS[i]! < start + windowS; i++, k++) s += x[i]!;
    const m = s / k;
    if (best === undefined || Math.abs(m) > Math.abs(best.cteNs))
      best = { cteNs: m, cteWindowS: windowS, cteWindowStartS: start };
  }
  return best!;
}

/** count, mean, standard deviation, min and max of a list of values (intervals, delays). */
export interface SampleStats {
  count: number;
  mean: number;
  std: number;
  min: number;
  max: number;
}

export function sampleStats(v: ArrayLike<number>): SampleStats | undefined {
  const n = v.length;
  if (n === 0) return undefined;
  const m = mean(v);
  let ss = 0;
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < n; i++) {
    const d = v[i]! - m;
    ss += d * d;
    if (v[i]! < min) min = v[i]!;
    if (v[i]! > max) max = v[i]!;
  }
  return { count: n, mean: m, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min, max };
}

/**
 * {@link sampleStats} of the spacings of consecutive times of `tS`, without making the spacings array: the same differences
 * summed in the same order, so the same numbers (a Sync arrival list of a long capture holds up to 2^20 times).
 * The times may come from a list read in order ({@link InOrderValues}: the time-error metrics keep arrival
 * times as microsecond differences, sample-lists.ts), read twice.
 */
export function intervalStats(tS: ArrayLike<number> | InOrderValues): SampleStats | undefined {
  const r = 'next' in tS ? tS : inOrderOf(tS);
  const n = r.length - 1;
  if (n <= 0) return undefined;
  let s = 0;
  r.start();
  let prev = r.next();
  for (let i = 1; i <= n; i++) {
    const t = r.next();
    s += t - prev;
    prev = t;
  }
  const m = s / n;
  let ss = 0;
  let min = Infinity;
  let max = -Infinity;
  r.start();
  prev = r.next();
  for (let i = 1; i <= n; i++) {
    const t = r.next();
    const v = t - prev;
    prev = t;
    const d = v - m;
    ss += d * d;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { count: n, mean: m, std: n > 1 ? Math.sqrt(ss / (n - 1)) : 0, min, max };
}

/** The q-quantile (0..1) by nearest rank of a sorted copy. */
export function quantile(v: ArrayLike<number>, q: number): number {
  return quantileOfSorted(Float64Array.from(v).sort(), q);
}

/** The q-quantile (0..1) by nearest rank of values already sorted ascending. */
export function quantileOfSorted(s: ArrayLike<number>, q: number): number {
  if (s.length === 0) return 0;
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}
