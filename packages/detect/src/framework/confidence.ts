/**
 * How sure a detector is that a finding is real (anomalies.md: `confidence`, 0–1 — not how bad it is),
 * derived from the evidence in one of three ways, so that every detector reads the same:
 *
 * - {@link marginConfidence}: a measured value past a threshold. The farther past it (relative to the
 *   threshold's own scale), the less a measurement error or a borderline case explains it: from `floor`
 *   just past the threshold towards `floor + span` (never above 0.99).
 * - {@link sampleFactor}: a verdict that rests on what was learned from the traffic (a baseline, a
 *   reference offset, an established flow): full once `full` samples were seen, `min` with none.
 * - Decoded facts (a reserved value, a field beyond its range, a byte count that does not add up) are
 *   certain once decoded: 1, or lowered where the decode itself guessed (an inferred IQ width or NRB).
 *
 * Each detector's rule is written next to its report and listed in `docs/confidence.md`.
 */

/** Confidence of a value `excess` past its threshold, on the threshold's scale `scale` (> 0). */
export function marginConfidence(excess: number, scale: number, floor: number, span: number): number {
  const ratio = scale > 0 && Number.isFinite(excess) ? Math.max(0, excess) / scale : 0;
  return round3(Math.min(0.99, floor + span * (1 - Math.exp(-ratio))));
}

/** Multiplier in [min, 1] for a verdict resting on `n` samples, full from `full` samples. */
export function sampleFactor(n: number, full: number, min = 0.5): number {
  if (!(full > 0)) return 1;
  return min + (1 - min) * Math.min(1, Math.max(0, n) / full);
}

export function round3(v: number): number {
  return Math.round(Math.max(0, Math.min(1, v)) * 1000) / 1000;
}
