import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { ANOMALY_STATUSES, type Anomaly, type AnomalyStatus } from '@l1t/contracts';
import type { AnomalyQuery, AnomalyStore, MetadataStore } from '@l1t/store';
import { parseOr400 } from '../api-error.js';
import { AnomalyListQuery } from './query-schemas.js';

/** The list filters of `GET /api/anomalies`, a format, and a larger row cap (paged through in chunks). */
export const ExportQuery = AnomalyListQuery.omit({ limit: true, offset: true }).extend({
  format: z.enum(['csv', 'json']).default('csv'),
  limit: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
});

const CHUNK = 10_000;

export const CSV_COLUMNS = [
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

function csvRow(a: Anomaly & { status: AnomalyStatus }): string {
  const flow = (a.flow ?? {}) as Record<string, unknown>;
  const radio = (a.radio ?? {}) as Record<string, unknown>;
  const get: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    id: a.id,
    type: a.type,
    source: a.source,
    severity: a.severity,
    confidence: a.confidence,
    status: a.status,
    timestamp: a.timestamp,
    end_timestamp: a.end_timestamp,
    file: a.file,
    file_id: a.file_id,
    session_id: a.session_id,
    packet_index: a.packet_index,
    packet_count: a.packet_count,
    eaxc: flow.eaxc,
    plane: flow.plane,
    direction: flow.direction,
    frame_id: radio.frame_id,
    subframe_id: radio.subframe_id,
    slot_id: radio.slot_id,
    symbol_id: radio.symbol_id,
    description: a.description,
    evidence: a.evidence,
  };
  return CSV_COLUMNS.map((c) => csvCell(get[c])).join(',') + '\r\n';
}

/** Resolves the PostgreSQL status filter to id sets, as `GET /api/anomalies` does. */
async function withStatus(
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

const write = (res: Response, chunk: string): Promise<void> =>
  new Promise((resolve) => (res.write(chunk) ? resolve() : res.once('drain', resolve)));

/**
 * `GET /api/anomalies/export?format=csv|json&…list filters`: the whole filtered list (up to `limit` rows),
 * streamed in pages of 10 000 so memory stays bounded by one page.
 */
export function exportHandler(stores: { anomalies: AnomalyStore; metadata: MetadataStore }): RequestHandler {
  return async (req, res) => {
    const q = parseOr400(ExportQuery, req.query, 'query');
    const query: AnomalyQuery = {
      ...(q.file_id ? { fileId: q.file_id } : {}),
      ...(q.session_id ? { sessionId: q.session_id } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.severity ? { severity: q.severity } : {}),
      ...(q.source ? { source: q.source } : {}),
      ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
      ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
      ...(q.eaxc !== undefined ? { eaxc: q.eaxc } : {}),
      ...(q.q ? { q: q.q } : {}),
      sort: q.sort,
      order: q.order,
    };
    await withStatus(query, q.status, stores.metadata);
    const controller = new AbortController();
    res.once('close', () => controller.abort());
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    // The first page is read before any header goes out, so a store error is still a JSON error response.
    let page = await stores.anomalies.queryAnomalies(
      { ...query, limit: Math.min(CHUNK, q.limit), offset: 0 },
      controller.signal,
    );
    res.setHeader('Content-Disposition', `attachment; filename="anomalies-${stamp}.${q.format}"`);
    res.setHeader('Content-Type', q.format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8');
    res.setHeader('X-Total-Count', String(Math.min(page.total, q.limit)));
    await write(res, q.format === 'csv' ? CSV_COLUMNS.join(',') + '\r\n' : '{"items":[');
    let sent = 0;
    let first = true;
    while (page.items.length > 0 && !controller.signal.aborted) {
      const statuses = await stores.metadata.getAnomalyStatuses(page.items.map((a) => a.id));
      let out = '';
      for (const a of page.items) {
        const row = { ...a, status: statuses[a.id] ?? ('open' as AnomalyStatus) };
        out += q.format === 'csv' ? csvRow(row) : `${first ? '' : ','}${JSON.stringify(row)}`;
        first = false;
      }
      await write(res, out);
      sent += page.items.length;
      if (sent >= q.limit || page.items.length < CHUNK) break;
      page = await stores.anomalies.queryAnomalies(
        { ...query, limit: Math.min(CHUNK, q.limit - sent), offset: sent },
        controller.signal,
      );
    }
    if (q.format === 'json') await write(res, `],"total":${Math.min(page.total, q.limit)}}`);
    res.end();
  };
}
