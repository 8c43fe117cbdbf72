/**
 * max|TE| and the average TE (cTE) over sliding windows (ITU-T G.8273.2 §7.1 measures both over 1000 s):
 * windows of `windowS` starting every `stepS` from the first sample, each judged only when the series
 * covers it whole; a series shorter than one window is one window over all of it. Each window costs
 * amortised O(1) per sample: the samples enter and leave a running sum and a monotonic deque of |TE|.
 */
export interface TeWindow {
  /** Start (s, the series' clock) and samples of the window. */
  startS: number;
  samples: number;
  maxAbsNs: number;
  meanNs: number;
}

export function slidingWindows(
  tS: ArrayLike<number>,
  x: ArrayLike<number>,
  windowS: number,
  stepS: number,
): TeWindow[] {
  const n = x.length;
  if (n === 0) return [];
  const first = tS[0]!;
  const last = tS[n - 1]!;
  const out: TeWindow[] = [];
  const q = new Int32Array(n);
  let qh = 0;
  let qt = 0;
  let lo = 0; // first sample in the window
  let hi = 0; // next sample to enter
  let sum = 0;
  const whole = last - first < windowS;
  for (let start = first; whole ? start === first : start + windowS <= last + 1e-9; start += stepS) {
    const end = whole ? Infinity : start + windowS;
    while (hi < n && tS[hi]! < end) {
      const a = Math.abs(x[hi]!);
      while (qt > qh && Math.abs(x[q[qt - 1]!]!) <= a) qt--;
      q[qt++] = hi;
      sum += x[hi]!;
      hi++;
    }
    while (lo < hi && tS[lo]! < start) {
      sum -= x[lo]!;
      if (q[qh] === lo) qh++;
      lo++;
    }
    const k = hi - lo;
    if (k > 0) out.push({ startS: start, samples: k, maxAbsNs: Math.abs(x[q[qh]!]!), meanNs: sum / k });
    if (whole) break;
  }
  return out;
}
