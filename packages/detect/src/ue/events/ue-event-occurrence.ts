import type { UeEvent } from '@l1t/capture';
import type { Severity } from '@l1t/contracts';
import type { Occurrence } from '../../framework/detector.js';

/** An occurrence of a UE event log fault, aggregated per UE (the "flow" of an event log is the UE). */
export function ueEventOccurrence(
  type: string,
  severity: Severity,
  confidence: number,
  e: UeEvent,
  description: string,
  evidence: Record<string, unknown>,
  burstGapNs: bigint,
  totals?: Record<string, number>,
): Occurrence {
  return {
    type,
    source: 'ue',
    severity,
    confidence,
    tsNs: e.tsNs,
    packetIndex: e.line,
    packetCount: 1,
    aggregationKey: `${type}|${e.ue}`,
    description,
    evidence: { ue: e.ue, ...evidence },
    burstGapNs,
    ...(totals ? { totals } : {}),
  };
}
