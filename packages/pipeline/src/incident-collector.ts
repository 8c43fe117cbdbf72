import type { Anomaly, Incident } from '@l1t/contracts';
import { groupIncidents, type IncidentFinding } from '@l1t/detect';
import { incidentId } from './ids.js';

/**
 * Findings kept for grouping, at most. A file's findings are aggregated (bursts, not packets), so real files
 * stay far below it; past it the rest are not grouped and the incidents say so in their count.
 */
export const MAX_INCIDENT_FINDINGS = 200_000;

/** What the grouping rule reads, without the description, packet context or the rest of the evidence. */
function compact(a: Anomaly): IncidentFinding {
  const e = a.evidence ?? {};
  const evidence: Record<string, unknown> = {};
  for (const k of ['domain', 'last_timestamp', 'from_grandmaster', 'to_grandmaster']) if (k in e) evidence[k] = e[k];
  return {
    id: a.id,
    type: a.type,
    source: a.source,
    severity: a.severity,
    timestamp: a.timestamp,
    ...(a.end_timestamp ? { end_timestamp: a.end_timestamp } : {}),
    ...(a.flow ? { flow: a.flow } : {}),
    ...(a.radio ? { radio: a.radio } : {}),
    evidence,
  };
}

/** Gathers a file's findings as they stream by and groups them into incidents at the file's end. */
export class IncidentCollector {
  private readonly findings: IncidentFinding[] = [];
  private sessionId: string | null = null;
  private name = '';
  dropped = 0;

  add(batch: readonly Anomaly[]): void {
    for (const a of batch) {
      this.sessionId ??= a.session_id ?? null;
      this.name ||= a.file;
      if (this.findings.length < MAX_INCIDENT_FINDINGS) this.findings.push(compact(a));
      else this.dropped++;
    }
  }

  incidents(fileId: string, name?: string): Incident[] {
    return groupIncidents(this.findings).map((g) => ({
      id: incidentId(fileId, g.finding_ids[0]!),
      file_id: fileId,
      session_id: this.sessionId,
      file: this.name || name || '',
      ...g,
    }));
  }
}
