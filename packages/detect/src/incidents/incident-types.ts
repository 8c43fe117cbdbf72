import type { Anomaly, Severity } from '@l1t/contracts';

/** What the grouping rule reads of a finding (a stored anomaly has all of it). */
export type IncidentFinding = Pick<
  Anomaly,
  'id' | 'type' | 'source' | 'severity' | 'timestamp' | 'end_timestamp' | 'flow' | 'radio' | 'evidence'
>;

/** One group of related findings, before it is given an id and stored. */
export interface IncidentGroup {
  scope: string;
  title: string;
  severity: Severity;
  hypothesis: string;
  /** ISO timestamps: the earliest start and the latest end of the members' spans. */
  start: string;
  end: string;
  /** Member finding ids, earliest first. */
  finding_ids: string[];
  /** Member count per anomaly type. */
  types: Record<string, number>;
}
