import type { TimingFlow, TimingGroup } from './file-views-types.js';

/** Bins a merged histogram keeps at most (the coarsest flow width doubles until the span fits). */
const MAX_BINS = 400;

/**
 * One histogram per plane/direction (the window the flows are judged against), the flows' histograms summed
 * on the coarsest of their bin widths — every width is 0.25 µs × 2^k and every edge a multiple of it, so the
 * bins nest and the sum is exact. The page draws these (a capture's 4 windows, not its 512 flows).
 */
export function timingGroups(flows: readonly TimingFlow[]): TimingGroup[] {
  const by = new Map<string, TimingFlow[]>();
  for (const f of flows) by.set(f.window, [...(by.get(f.window) ?? []), f]);
  return [...by.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([window, members]) => merge(window, members));
}

function merge(window: string, flows: TimingFlow[]): TimingGroup {
  const judged = flows.filter((f) => f.counts.length > 0);
  const sum = (k: 'judged' | 'on_time' | 'early' | 'late') => flows.reduce((s, f) => s + f[k], 0);
  const group: TimingGroup = {
    window,
    flows: flows.map((f) => f.name),
    reference_us: flows.find((f) => f.reference_us !== null)?.reference_us ?? null,
    bin_us: 0.25,
    lo_us: 0,
    counts: [],
    judged: sum('judged'),
    on_time: sum('on_time'),
    early: sum('early'),
    late: sum('late'),
    min_us: judged.length ? Math.min(...judged.map((f) => f.min_us)) : 0,
    max_us: judged.length ? Math.max(...judged.map((f) => f.max_us)) : 0,
  };
  if (judged.length === 0) return group;
  let bw = Math.max(...judged.map((f) => f.bin_us));
  const lo = Math.min(...judged.map((f) => f.lo_us));
  const hi = Math.max(...judged.map((f) => f.lo_us + f.counts.length * f.bin_us));
  while (Math.ceil(hi / bw) - Math.floor(lo / bw) > MAX_BINS) bw *= 2;
  const first = Math.floor(lo / bw);
  const counts = new Array<number>(Math.max(1, Math.ceil(hi / bw) - first)).fill(0);
  for (const f of judged) {
    f.counts.forEach((n, i) => {
      if (n === 0) return;
      const k = Math.floor((f.lo_us + i * f.bin_us) / bw + 1e-9) - first;
      counts[k] = (counts[k] ?? 0) + n;
    });
  }
  return { ...group, bin_us: bw, lo_us: first * bw, counts };
}
