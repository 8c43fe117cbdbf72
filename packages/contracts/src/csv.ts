import type { Anomaly } from './anomaly.js';

/** Columns of an anomaly list as CSV (`l1t export anomalies --format csv`, `GET /api/anomalies/export`). */
export const ANOMALY_CSV_COLUMNS = [
  'id',
  'type',
  'source',
  'severity',
  'confidence',
  'status',
  'timestamp',
  'end_timestamp',
  'file',
  'file_id',
  'session_id',
  'packet_index',
  'packet_count',
  'eaxc',
  'plane',
  'direction',
  'frame_id',
  'subframe_id',
  'slot_id',
  'symbol_id',
  'description',
  'evidence',
] as const;

/**
 * One CSV cell (RFC 4180). Cells that a spreadsheet would run as a formula (starting with = + - @, tab or
 * CR: OWASP "CSV injection") get a leading apostrophe: capture content is data, never code.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let s = typeof value === 'object' ? JSON.stringify(value) : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The header line, CRLF-terminated. */
export function anomalyCsvHeader(): string {
  return ANOMALY_CSV_COLUMNS.join(',') + '\r\n';
}

/** One anomaly as a CSV line (flow and radio keys flattened), CRLF-terminated. */
export function anomalyCsvRow(a: Anomaly): string {
  const flat: Record<string, unknown> = { ...a.radio, ...a.flow, ...a };
  return ANOMALY_CSV_COLUMNS.map((c) => csvCell(flat[c])).join(',') + '\r\n';
}
