import type { TimingFlow } from '../../file-views';

const MAX_BINS = 400;

/** One histogram of several flows of a plane/direction on a common grid (bin edges are multiples of 0.25 µs). */
export interface MergedHistogram {
  lo_us: number;
  bin_us: number;
  counts: number[];
  total: number;
  reference_us: number | null;
}

/** Sums the flows' histograms on the coarsest of their bin widths (edges align: every width is 0.25 µs × 2^k). */
export function mergeHistograms(flows: TimingFlow[]): MergedHistogram {
  const withData = flows.filter((f) => f.counts.length > 0);
  if (withData.length === 0) return { lo_us: 0, bin_us: 0.25, counts: [], total: 0, reference_us: null };
  let bw = Math.max(...withData.map((f) => f.bin_us));
  const lo = Math.min(...withData.map((f) => f.lo_us));
  const hi = Math.max(...withData.map((f) => f.lo_us + f.counts.length * f.bin_us));
  while (Math.ceil(hi / bw) - Math.floor(lo / bw) > MAX_BINS) bw *= 2;
  const first = Math.floor(lo / bw);
  const counts = new Array<number>(Math.ceil(hi / bw) - first).fill(0);
  let total = 0;
  for (const f of withData) {
    f.counts.forEach((n, i) => {
      if (n === 0) return;
      const k = Math.floor((f.lo_us + i * f.bin_us) / bw + 1e-9) - first;
      counts[k] = (counts[k] ?? 0) + n;
      total += n;
    });
  }
  const reference_us = withData.find((f) => f.reference_us !== null)?.reference_us ?? null;
  return { lo_us: first * bw, bin_us: bw, counts, total, reference_us };
}

/** The median offset of a histogram (the relative view's reference when the detector learned none). */
export function histogramMedian(h: MergedHistogram): number {
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i]!;
    if (seen * 2 >= h.total) return h.lo_us + (i + 0.5) * h.bin_us;
  }
  return h.lo_us;
}

export const WINDOW_TITLES: Record<string, string> = {
  dl_uplane: 'DL U-plane (advance before air time)',
  ul_uplane: 'UL U-plane (delay after air time)',
  dl_cplane: 'DL C-plane (advance before air time)',
  ul_cplane: 'UL C-plane (advance before air time)',
};
