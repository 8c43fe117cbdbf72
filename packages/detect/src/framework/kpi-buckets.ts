/**
 * The time buckets of the KPI metrics (stored in ClickHouse `metrics`), one definition for every detector:
 * a resolution that suits the capture and a count bounded whatever its length (issue 16 — a 28 ms capture
 * drawn as one dot per second says nothing). Buckets run from the capture's first packet:
 *
 * ```
 *   capture time since the first packet   bucket width   buckets at most
 *   [0 s, 1 s)                            10 ms          100   (short captures: ~ a few slots per point)
 *   [1 s, 10 s)                           100 ms          90
 *   10 s and later                        1 s             one per second, as before
 * ```
 */
const TIERS: readonly { untilNs: number; widthNs: number }[] = [
  { untilNs: 1e9, widthNs: 1e7 },
  { untilNs: 1e10, widthNs: 1e8 },
  { untilNs: Infinity, widthNs: 1e9 },
];

/** Index of the bucket holding `relNs` (ns since the first packet): increasing with time, no allocation. */
export function kpiBucketIndex(relNs: number): number {
  // before the first packet (timestamps that step back): whole seconds, negative indexes
  if (relNs < 0) return Math.floor(relNs / 1e9);
  let from = 0;
  let index = 0;
  for (const t of TIERS) {
    if (relNs < t.untilNs) return index + Math.floor((relNs - from) / t.widthNs);
    index += (t.untilNs - from) / t.widthNs;
    from = t.untilNs;
  }
  return index;
}

/** Start and end (ns since the first packet) of the bucket holding `relNs`. */
export function kpiBucketRange(relNs: number): [number, number] {
  if (relNs < 0) {
    const start = Math.floor(relNs / 1e9) * 1e9;
    return [start, start + 1e9];
  }
  let from = 0;
  for (const t of TIERS) {
    if (relNs < t.untilNs) {
      const start = from + Math.floor((relNs - from) / t.widthNs) * t.widthNs;
      return [start, start + t.widthNs];
    }
    from = t.untilNs;
  }
  return [from, from];
}
