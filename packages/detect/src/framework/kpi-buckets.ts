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

/** {@link TIERS} as columns, with each tier's start and first index worked out once as a walk sums them. */
const UNTIL_NS = Float64Array.from(TIERS, (t) => t.untilNs);
const WIDTH_NS = Float64Array.from(TIERS, (t) => t.widthNs);
const FROM_NS = Float64Array.from(TIERS, (_, i) => (i === 0 ? 0 : TIERS[i - 1]!.untilNs));
const FIRST_INDEX = new Float64Array(TIERS.length);
for (let i = 1; i < TIERS.length; i++)
  FIRST_INDEX[i] = FIRST_INDEX[i - 1]! + (UNTIL_NS[i - 1]! - FROM_NS[i - 1]!) / WIDTH_NS[i - 1]!;
const LAST = TIERS.length - 1;
/** A walk past every tier (a time at or beyond the last tier's end: only NaN or Infinity) sums them all. */
const PAST_LAST = FIRST_INDEX[LAST]! + (UNTIL_NS[LAST]! - FROM_NS[LAST]!) / WIDTH_NS[LAST]!;

/**
 * Index of the bucket holding `relNs` (ns since the first packet): increasing with time, no allocation.
 * Called for every judged O-RAN message (rx-window): the tier is counted with comparisons that all run on
 * every call, then one computation with that tier's start and first index (worked out once, above) — the
 * same operations on the same values as a walk over {@link TIERS} that sums the earlier tiers per call,
 * so the same index (issue 14). Every operation runs from the first call on, so that optimized code
 * meets no untried one when capture time reaches the next tier (1 s, 10 s).
 */
export function kpiBucketIndex(relNs: number): number {
  // before the first packet (timestamps that step back): whole seconds, negative indexes
  if (relNs < 0) return Math.floor(relNs / 1e9);
  if (!(relNs < UNTIL_NS[LAST]!)) return PAST_LAST;
  let t = 0;
  for (let i = 0; i < LAST; i++) t += relNs >= UNTIL_NS[i]! ? 1 : 0;
  return FIRST_INDEX[t]! + Math.floor((relNs - FROM_NS[t]!) / WIDTH_NS[t]!);
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
