import type { TimingGroup } from '../../file-views';

/** The median offset of a histogram (the relative view's reference when the detector learned none). */
export function histogramMedian(h: TimingGroup): number {
  let seen = 0;
  for (let i = 0; i < h.counts.length; i++) {
    seen += h.counts[i]!;
    if (seen * 2 >= h.judged) return h.lo_us + (i + 0.5) * h.bin_us;
  }
  return h.lo_us;
}

export const WINDOW_TITLES: Record<string, string> = {
  dl_uplane: 'DL U-plane (advance before air time)',
  ul_uplane: 'UL U-plane (delay after air time)',
  dl_cplane: 'DL C-plane (advance before air time)',
  ul_cplane: 'UL C-plane (advance before air time)',
};
