import { isoToNs } from '../cross-source/related-findings.js';
import type { IncidentFinding } from './incident-types.js';

const nsOf = (iso: string | undefined): bigint | undefined => (iso ? isoToNs(iso) : undefined);

/**
 * The time a finding covers, in ns. An absence (`seq_gap`, `traffic_gap`, `ptp_sync_gap`,
 * `ptp_announce_timeout`) is stamped with the first packet after the gap (interfaces.md), so its span starts
 * at the last packet before it (`evidence.last_timestamp`); an aggregated burst ends at `end_timestamp`.
 * Undefined for a finding without a readable timestamp.
 */
export function findingSpan(f: IncidentFinding): { start: bigint; end: bigint } | undefined {
  const at = nsOf(f.timestamp);
  if (at === undefined) return undefined;
  const last = typeof f.evidence?.last_timestamp === 'string' ? nsOf(f.evidence.last_timestamp) : undefined;
  const end = nsOf(f.end_timestamp);
  return { start: last !== undefined && last < at ? last : at, end: end !== undefined && end > at ? end : at };
}
