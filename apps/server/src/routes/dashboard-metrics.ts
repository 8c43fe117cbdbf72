import { Router } from 'express';
import { z } from 'zod';
import type { AnomalyStore } from '@l1t/store';
import { isoTime, storableText } from './query-schemas.js';
import { ApiError, parseOr400 } from '../api-error.js';

export const MetricsQuery = z.strictObject({
  session_id: storableText(64).optional(),
  file_id: storableText(64).optional(),
  name: z
    .string()
    .max(200)
    .regex(/^[A-Za-z0-9_.:-]+$/, 'a metric name')
    .optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  limit: z.coerce.number().int().min(1).max(100_000).default(10_000),
});

/** `GET /api/metrics`: KPI time series (the anomaly detail's chart around the moment of a finding). */
export function metricRoutes(anomalies: AnomalyStore): Router {
  const r = Router();
  r.get('/metrics', async (req, res) => {
    const q = parseOr400(MetricsQuery, req.query, 'query');
    if (!q.session_id && !q.file_id) throw new ApiError(400, 'bad_request', 'query: session_id or file_id is required');
    const controller = new AbortController();
    req.once('close', () => controller.abort());
    const items = await anomalies.queryMetrics(
      {
        ...(q.session_id ? { sessionId: q.session_id } : {}),
        ...(q.file_id ? { fileId: q.file_id } : {}),
        ...(q.name ? { name: q.name } : {}),
        ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
        ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
        limit: q.limit,
      },
      controller.signal,
    );
    res.json({ items });
  });
  return r;
}
