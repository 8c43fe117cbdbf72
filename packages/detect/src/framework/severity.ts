import type { Severity } from '@l1t/contracts';

/**
 * Severity policy of anomalies.md §Severity: it follows the effect on service, not the detector.
 *
 *  - loss of U-plane data, late DL data, RLF, PTP free-run: `critical` (the detector's default says so);
 *  - isolated reorders/duplicates and early packets: `minor`; a sustained burst of them
 *    ({@link SUSTAINED_OCCURRENCES} or more on one flow) disturbs the receiver's buffers: `major`;
 *  - statistical outliers start at `minor` and rise with confidence: `major` from
 *    {@link OUTLIER_MAJOR_CONFIDENCE}.
 *
 * A burst keeps the worst severity of its occurrences.
 */
export const SUSTAINED_OCCURRENCES = 10;
/** All four models of the ensemble agree (window_stat_outlier: confidence = share of agreeing models). */
export const OUTLIER_MAJOR_CONFIDENCE = 1;

const RANK: Readonly<Record<Severity, number>> = { info: 0, minor: 1, major: 2, critical: 3 };

const OUTLIER_TYPES = new Set(['window_stat_outlier', 'ue_behaviour_outlier']);
const RISES_WHEN_SUSTAINED = new Set(['seq_reorder', 'seq_duplicate', 'rx_window_early']);

export function worseSeverity(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}

/** Final severity of an aggregated anomaly. */
export function policySeverity(type: string, base: Severity, confidence: number, occurrences: number): Severity {
  let s = base;
  if (OUTLIER_TYPES.has(type)) s = confidence >= OUTLIER_MAJOR_CONFIDENCE ? 'major' : 'minor';
  if (RISES_WHEN_SUSTAINED.has(type) && occurrences >= SUSTAINED_OCCURRENCES) s = worseSeverity(s, 'major');
  return s;
}
