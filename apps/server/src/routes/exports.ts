import type { RequestHandler, Response } from 'express';
import { z } from 'zod';
import { anomalyCsvHeader, anomalyCsvRow, type AnomalyStatus } from '@l1t/contracts';
import type { AnomalyStore, MetadataStore } from '@l1t/store';
import { applyStatusFilter, toAnomalyQuery } from '../services/anomaly-query.js';
import { parseOr400 } from '../api-error.js';
import { AnomalyListQuery } from './query-schemas.js';

/** The list filters of `GET /api/anomalies`, a format, and a larger row cap (paged through in chunks). */
export const ExportQuery = AnomalyListQuery.omit({ limit: true, offset: true }).extend({
  format: z.enum(['csv', 'json']).default('csv'),
  limit: z.coerce.number().int().min(1).max(1_000_000).default(100_000),
});

const CHUNK = 10_000;

const write = (res: Response, chunk: string): Promise<void> =>
  new Promise((resolve) => (res.write(chunk) ? resolve() : res.once('drain', resolve)));

/**
 * `GET /api/anomalies/export?format=csv|json&…list filters`: the whole filtered list (up to `limit` rows),
 * streamed in pages of 10 000 so memory stays bounded by one page.
 */
export function exportHandler(stores: { anomalies: AnomalyStore; metadata: MetadataStore }): RequestHandler {
  return async (req, res) => {
    const q = parseOr400(ExportQuery, req.query, 'query');
    const query = toAnomalyQuery(q);
    await applyStatusFilter(query, q.status, stores.metadata);
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
    await write(res, q.format === 'csv' ? anomalyCsvHeader() : '{"items":[');
    let sent = 0;
    let first = true;
    while (page.items.length > 0 && !controller.signal.aborted) {
      const statuses = await stores.metadata.getAnomalyStatuses(page.items.map((a) => a.id));
      let out = '';
      for (const a of page.items) {
        const row = { ...a, status: statuses[a.id] ?? ('open' as AnomalyStatus) };
        out += q.format === 'csv' ? anomalyCsvRow(row) : `${first ? '' : ','}${JSON.stringify(row)}`;
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
