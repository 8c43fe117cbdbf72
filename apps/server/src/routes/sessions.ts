import { Router } from 'express';
import type { AnomalyStore, MetadataStore } from '@l1t/store';
import { notFound, parseOr400 } from '../api-error.js';
import { IdParam, SessionListQuery } from './query-schemas.js';

/** `GET /api/sessions`, `GET /api/sessions/:id` (ClickHouse `sessions`, with the session's files). */
export function sessionRoutes(stores: { anomalies: AnomalyStore; metadata: MetadataStore }): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parseOr400(SessionListQuery, req.query, 'query');
    const items = await stores.anomalies.listSessions(q.limit, q.offset);
    res.json({ items });
  });
  r.get('/:id', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const session = await stores.anomalies.getSession(id);
    if (!session) throw notFound(`session ${id}`);
    const files = await stores.metadata.listFiles({ sessionId: id, limit: 1000 });
    res.json({ ...session, files: files.items });
  });
  return r;
}
