import type { UeEvent } from '@l1t/capture';

/**
 * Per-UE statistics of a UE event log: the row `ue_behaviour_outlier` compares across UEs, and the names
 * its evidence uses. Counts over the whole log (a UE event log is small: one row per UE).
 */
export const UE_BEHAVIOUR_FEATURES = [
  'attach_attempts',
  'attach_failures',
  'attach_failure_ratio',
  'abnormal_detaches',
  'network_detaches',
  'normal_detaches',
  'rrc_setup_failures',
  'rrc_reestablishments',
  'events',
] as const;
export type UeBehaviourFeature = (typeof UE_BEHAVIOUR_FEATURES)[number];

/** Smallest robust σ per feature: most UEs behave identically (σ = 0), one event more is not an outlier. */
export const UE_FEATURE_SCALE_FLOORS: readonly number[] = UE_BEHAVIOUR_FEATURES.map(
  (f) => (f === 'attach_failure_ratio' ? 0.25 : 1), // one failure in two attempts (0.5) is 2 σ, not news
);

/** Running counts of one UE. */
export class UeBehaviour {
  firstLine: number;
  firstTsNs: bigint;
  lastTsNs: bigint;
  private attempts = 0;
  private outcomes = 0;
  private failures = 0;
  private abnormal = 0;
  private network = 0;
  private normal = 0;
  private rrcFailures = 0;
  private reest = 0;
  private events = 0;
  private awaiting = false;

  constructor(
    readonly ue: string,
    first: UeEvent,
  ) {
    this.firstLine = first.line;
    this.firstTsNs = first.tsNs;
    this.lastTsNs = first.tsNs;
  }

  add(e: UeEvent): void {
    this.events++;
    this.lastTsNs = e.tsNs;
    const bad = e.outcome === 'failed' || e.outcome === 'timeout';
    switch (e.procedure) {
      case 'attach':
        if (e.outcome === 'request') {
          this.attempts++;
          this.awaiting = true;
        } else {
          if (!this.awaiting) this.attempts++;
          this.awaiting = false;
          this.outcomes++;
          if (bad || e.outcome === 'abnormal') this.failures++;
        }
        break;
      case 'detach':
        if (e.outcome === 'network') this.network++;
        else if (bad || e.outcome === 'abnormal') this.abnormal++;
        else this.normal++;
        break;
      case 'rrc_setup':
        if (bad) this.rrcFailures++;
        break;
      case 'rrc_reestablishment':
        if (e.outcome === 'request' || e.outcome === 'normal') this.reest++;
        break;
      case 'rrc_release':
        break;
    }
  }

  /** The feature row, in {@link UE_BEHAVIOUR_FEATURES} order. */
  row(): Float64Array {
    return Float64Array.from([
      this.attempts,
      this.failures,
      this.outcomes > 0 ? this.failures / this.outcomes : 0,
      this.abnormal,
      this.network,
      this.normal,
      this.rrcFailures,
      this.reest,
      this.events,
    ]);
  }
}
