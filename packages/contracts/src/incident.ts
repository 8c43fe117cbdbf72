import { z } from 'zod';
import { SEVERITIES } from './anomaly.js';

/**
 * An incident: related findings of one file grouped by the rule of reference/anomalies.md §Incidents
 * (packages/detect/src/incidents). A finding belongs to at most one incident; the findings stay queryable.
 */
export const Incident = z.object({
  id: z.uuid(),
  file_id: z.string(),
  session_id: z.string().nullable(),
  file: z.string(),
  /** What the incident is about: `ptp domain 24`, `eAxC 1 on 00:11:… ↔ 00:22:… VLAN 3`, `cell 310`. */
  scope: z.string(),
  title: z.string(),
  severity: z.enum(SEVERITIES),
  hypothesis: z.string(),
  start: z.string(),
  end: z.string(),
  finding_ids: z.array(z.string()),
  /** Member count per anomaly type. */
  types: z.record(z.string(), z.number().int().min(1)),
});
export type Incident = z.infer<typeof Incident>;
