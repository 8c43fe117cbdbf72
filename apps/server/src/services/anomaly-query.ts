import { ANOMALY_CATALOGUE, ANOMALY_STATUSES, type AnomalyStatus } from '@l1t/contracts';
import type { AnomalyQuery, MetadataStore } from '@l1t/store';
import type { z } from 'zod';
import type { AnomalyListQuery } from '../routes/query-schemas.js';

type ListFilters = Omit<z.infer<typeof AnomalyListQuery>, 'limit' | 'offset' | 'status'>;

const CATALOGUE_TYPES = new Set(ANOMALY_CATALOGUE.map((t) => t.type));

/**
 * `type` values: a catalogue name matches that type exactly; any other value matches the types that contain
 * it ("seq" → seq_gap, seq_duplicate, seq_reorder), as an engineer types a filter.
 */
function typeFilter(types: string[] | undefined): Pick<AnomalyQuery, 'type' | 'typeContains'> {
  if (!types?.length) return {};
  const exact = types.filter((t) => CATALOGUE_TYPES.has(t));
  const parts = types.filter((t) => !CATALOGUE_TYPES.has(t));
  return { ...(exact.length ? { type: exact } : {}), ...(parts.length ? { typeContains: parts } : {}) };
}

/** The validated list filters of `GET /api/anomalies` (and its export) as a store query. */
export function toAnomalyQuery(q: ListFilters): AnomalyQuery {
  return {
    ...(q.file_id ? { fileId: q.file_id } : {}),
    ...(q.session_id ? { sessionId: q.session_id } : {}),
    ...typeFilter(q.type),
    ...(q.packet_index !== undefined ? { packetIndex: q.packet_index } : {}),
    ...(q.severity ? { severity: q.severity } : {}),
    ...(q.source ? { source: q.source } : {}),
    ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
    ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
    ...(q.eaxc !== undefined ? { eaxc: q.eaxc } : {}),
    ...(q.q ? { q: q.q } : {}),
    sort: q.sort,
    order: q.order,
  };
}

/**
 * The status workflow lives in PostgreSQL: a status filter becomes id sets before ClickHouse is asked
 * ('open' = none of the other statuses was set).
 */
export async function applyStatusFilter(
  query: AnomalyQuery,
  status: AnomalyStatus | undefined,
  metadata: MetadataStore,
): Promise<void> {
  if (status === 'open') {
    const others = await Promise.all(
      ANOMALY_STATUSES.filter((s) => s !== 'open').map((s) => metadata.anomalyIdsWithStatus(s)),
    );
    query.excludeIds = others.flat();
  } else if (status) {
    query.ids = await metadata.anomalyIdsWithStatus(status);
  }
}
