import { Router } from 'express';
import { z } from 'zod';
import { ANOMALY_SOURCES, SEVERITIES } from '@l1t/contracts';
import { ApiError, parseOr400 } from '../api-error.js';
import { isoTime, storableText } from './query-schemas.js';
import {
  DashboardService,
  type DashboardAnomalyStore,
  type DashboardMetadataStore,
} from '../services/dashboard-service.js';

const list = <T extends z.ZodType>(item: T) =>
  z.preprocess(
    (v) =>
      typeof v === 'string'
        ? v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        : v,
    z.array(item).max(50),
  );
const BUCKETS: Record<string, number> = { minute: 60_000, hour: 3_600_000, day: 86_400_000 };

export const DashboardQuery = z.strictObject({
  session_id: storableText(64).optional(),
  file_id: storableText(64).optional(),
  source: list(z.enum(ANOMALY_SOURCES)).optional(),
  severity: list(z.enum(SEVERITIES)).optional(),
  type: list(z.string().regex(/^[a-z][a-z0-9_]*$/)).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  bucket: z.enum(['auto', 'minute', 'hour', 'day']).default('auto'),
});

/** `GET /api/dashboard/summary`: cards with week-over-week change, trend, breakdowns, heatmap, flows, recurring issues. */
export function dashboardRoutes(stores: {
  anomalies: DashboardAnomalyStore;
  metadata: DashboardMetadataStore;
}): Router {
  const service = new DashboardService(stores.anomalies, stores.metadata);
  const r = Router();
  r.get('/dashboard/summary', async (req, res) => {
    const q = parseOr400(DashboardQuery, req.query, 'query');
    if (q.from && q.to && Date.parse(q.from) >= Date.parse(q.to))
      throw new ApiError(400, 'bad_request', 'query: from must be before to');
    const controller = new AbortController();
    req.once('close', () => controller.abort());
    const summary = await service.summary(
      {
        ...(q.session_id ? { sessionId: q.session_id } : {}),
        ...(q.file_id ? { fileId: q.file_id } : {}),
        ...(q.source ? { source: q.source } : {}),
        ...(q.severity ? { severity: q.severity } : {}),
        ...(q.type ? { type: q.type } : {}),
        ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
        ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
        ...(q.bucket !== 'auto' ? { bucketMs: BUCKETS[q.bucket]! } : {}),
      },
      controller.signal,
    );
    res.json(summary);
  });
  return r;
}
