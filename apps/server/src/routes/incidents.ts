import { Router } from 'express';
import { z } from 'zod';
import { SEVERITIES } from '@l1t/contracts';
import type { FullAnomalyStore } from '@l1t/store';
import { notFound, parseOr400 } from '../api-error.js';
import { IdParam, Paging } from './query-schemas.js';

const IncidentListQuery = z.strictObject({
  file_id: z.string().max(64).optional(),
  session_id: z.string().max(64).optional(),
  finding_id: z.string().max(64).optional(),
  severity: z
    .preprocess((v) => (typeof v === 'string' ? v.split(',').filter(Boolean) : v), z.array(z.enum(SEVERITIES)).max(4))
    .optional(),
  sort: z.enum(['start', 'severity']).default('start'),
  order: z.enum(['asc', 'desc']).optional(),
  ...Paging,
});

/**
 * `GET /api/incidents` (filters `file_id, session_id, finding_id, severity, sort, order, limit, offset`;
 * answers `{ items, total }`) and `GET /api/incidents/:id` (the incident with its member findings, earliest
 * first): related findings grouped by the rule of reference/anomalies.md §Incidents.
 */
export function incidentRoutes(stores: { anomalies: FullAnomalyStore }): Router {
  const r = Router();
  const store = stores.anomalies;

  r.get('/', async (req, res) => {
    const q = parseOr400(IncidentListQuery, req.query, 'query');
    const controller = new AbortController();
    req.once('close', () => controller.abort());
    const result = await store.queryIncidents(
      {
        ...(q.file_id ? { fileId: q.file_id } : {}),
        ...(q.session_id ? { sessionId: q.session_id } : {}),
        ...(q.finding_id ? { findingId: q.finding_id } : {}),
        ...(q.severity?.length ? { severity: q.severity } : {}),
        sort: q.sort,
        ...(q.order ? { order: q.order } : {}),
        limit: q.limit,
        offset: q.offset,
      },
      controller.signal,
    );
    res.json(result);
  });

  r.get('/:id', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const incident = await store.getIncident(id);
    if (!incident) throw notFound(`incident ${id}`);
    const { items } = await store.queryAnomalies({
      ids: incident.finding_ids.slice(0, 10_000),
      sort: 'timestamp',
      order: 'asc',
      limit: 10_000,
    });
    res.json({ ...incident, findings: items });
  });
  return r;
}
