import type { Anomaly, FlowKey, Metric, RadioKey } from '@l1t/contracts';
import { fromChDateTime, fromChDateTimeCompact, toChDateTime } from './time.js';
import type { SessionRecord } from '../types.js';

/** Flow and radio keys live in their own columns (filterable, typed), named as in the JSON. */
export const FLOW_KEYS = [
  'eaxc',
  'du_port',
  'band_sector',
  'cc',
  'ru_port',
  'plane',
  'direction',
  'src_mac',
  'dst_mac',
  'vlan',
  'ptp_port',
] as const;
export const RADIO_KEYS = [
  'frame_id',
  'subframe_id',
  'slot_id',
  'symbol_id',
  'cell',
  'pci',
  'earfcn',
  'arfcn',
  'rnti',
] as const;
const NUMERIC_KEYS = new Set([
  'eaxc',
  'du_port',
  'band_sector',
  'cc',
  'ru_port',
  'vlan',
  'frame_id',
  'subframe_id',
  'slot_id',
  'symbol_id',
  'pci',
  'earfcn',
  'arfcn',
  'rnti',
]);

/** Columns read back for an anomaly; `packet_context` only where asked for (it can be large). */
export const ANOMALY_COLUMNS = [
  'id',
  'type',
  'source',
  'severity',
  'confidence',
  'timestamp',
  'end_timestamp',
  'file',
  'file_id',
  'session_id',
  'packet_index',
  'packet_count',
  ...FLOW_KEYS,
  ...RADIO_KEYS,
  'description',
  'evidence',
].join(', ');

export type AnomalyRow = Record<string, unknown>;

/** One anomaly → one `anomalies` row. Absent optional keys become NULL (and come back absent). */
export function anomalyToRow(a: Anomaly, version: number): AnomalyRow {
  const row: AnomalyRow = {
    id: a.id,
    type: a.type,
    source: a.source,
    severity: a.severity,
    confidence: a.confidence,
    timestamp: toChDateTime(a.timestamp),
    end_timestamp: a.end_timestamp !== undefined ? toChDateTime(a.end_timestamp) : null,
    file: a.file,
    file_id: a.file_id ?? '',
    session_id: a.session_id ?? '',
    packet_index: a.packet_index,
    packet_count: a.packet_count,
    description: a.description,
    evidence: JSON.stringify(a.evidence),
    packet_context: a.packet_context !== undefined ? JSON.stringify(a.packet_context) : null,
    version,
  };
  const flow = (a.flow ?? {}) as Record<string, unknown>;
  for (const k of FLOW_KEYS) row[k] = flow[k] ?? null;
  const radio = (a.radio ?? {}) as Record<string, unknown>;
  for (const k of RADIO_KEYS) row[k] = radio[k] ?? null;
  return row;
}

function pick(row: AnomalyRow, keys: readonly string[]): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    const v = row[k];
    if (v === null || v === undefined) continue;
    out[k] = NUMERIC_KEYS.has(k) ? Number(v) : v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/** One `anomalies` row → the anomaly JSON of interfaces.md (keys absent where they were absent). */
export function rowToAnomaly(row: AnomalyRow): Anomaly {
  const a: Anomaly = {
    id: String(row.id),
    type: String(row.type),
    source: row.source as Anomaly['source'],
    severity: row.severity as Anomaly['severity'],
    // Float32 storage: answer the shortest decimal that maps to the same float (0.98, not 0.9800000190734863).
    confidence: Number(Math.fround(Number(row.confidence)).toPrecision(7)),
    timestamp: fromChDateTime(String(row.timestamp)),
    file: String(row.file),
    packet_index: Number(row.packet_index),
    packet_count: Number(row.packet_count),
    description: String(row.description),
    evidence: JSON.parse(String(row.evidence)) as Record<string, unknown>,
  };
  if (row.end_timestamp !== null && row.end_timestamp !== undefined)
    a.end_timestamp = fromChDateTime(String(row.end_timestamp));
  const flow = pick(row, FLOW_KEYS);
  if (flow) a.flow = flow as FlowKey;
  const radio = pick(row, RADIO_KEYS);
  if (radio) a.radio = radio as RadioKey;
  if (typeof row.packet_context === 'string')
    a.packet_context = JSON.parse(row.packet_context) as Record<string, unknown>[];
  if (row.session_id) a.session_id = String(row.session_id);
  if (row.file_id) a.file_id = String(row.file_id);
  // Stable key order as in interfaces.md, whatever order the columns came back in.
  return orderKeys(a);
}

const KEY_ORDER = [
  'id',
  'type',
  'source',
  'severity',
  'confidence',
  'timestamp',
  'end_timestamp',
  'file',
  'packet_index',
  'packet_count',
  'flow',
  'radio',
  'description',
  'evidence',
  'packet_context',
  'session_id',
  'file_id',
  'status',
];
function orderKeys(a: Anomaly): Anomaly {
  const out: Record<string, unknown> = {};
  for (const k of KEY_ORDER) if (k in a) out[k] = (a as Record<string, unknown>)[k];
  return out as Anomaly;
}

export function metricToRow(m: Metric): Record<string, unknown> {
  return {
    timestamp: toChDateTime(m.timestamp),
    session_id: m.session_id,
    file_id: m.file_id,
    source: m.source,
    name: m.name,
    labels: m.labels,
    value: m.value,
  };
}

export function rowToMetric(r: Record<string, unknown>): Metric {
  return {
    timestamp: fromChDateTime(String(r.timestamp)),
    session_id: String(r.session_id),
    file_id: String(r.file_id),
    source: r.source as Metric['source'],
    name: String(r.name),
    labels: (r.labels ?? {}) as Record<string, string>,
    value: Number(r.value),
  };
}

export function sessionToRow(s: SessionRecord, updatedAt: string): Record<string, unknown> {
  return {
    id: s.id,
    name: s.name,
    status: s.status,
    files_processed: s.files_processed,
    files_failed: s.files_failed,
    anomalies_detected: s.anomalies_detected,
    started_at: toChDateTime(s.started_at),
    finished_at: s.finished_at !== null ? toChDateTime(s.finished_at) : null,
    duration_ms: s.duration_ms,
    updated_at: updatedAt,
  };
}

export function rowToSession(r: Record<string, unknown>): SessionRecord {
  return {
    id: String(r.id),
    name: String(r.name),
    status: r.status as SessionRecord['status'],
    files_processed: Number(r.files_processed),
    files_failed: Number(r.files_failed),
    anomalies_detected: Number(r.anomalies_detected),
    started_at: fromChDateTimeCompact(String(r.started_at)),
    finished_at:
      r.finished_at === null || r.finished_at === undefined ? null : fromChDateTimeCompact(String(r.finished_at)),
    duration_ms: r.duration_ms === null || r.duration_ms === undefined ? null : Number(r.duration_ms),
    updated_at: fromChDateTime(String(r.updated_at)),
  };
}
