import { Router } from 'express';
import type { FullAnomalyStore, MetadataStore, SessionRecord } from '@l1t/store';
import { notFound, parseOr400 } from '../api-error.js';
import { fileForUser } from './files.js';
import { IdParam, SessionListQuery } from './query-schemas.js';

/**
 * A session with `anomalies_stored`, the findings it holds now, beside `anomalies_detected`, what it found when
 * it ran: a file analysed again in a later session takes its rows there, and the session's link to its
 * anomalies then lists fewer than it found. The two numbers say why.
 */
async function withStored(
  anomalies: FullAnomalyStore,
  sessions: SessionRecord[],
): Promise<(SessionRecord & { anomalies_stored: number })[]> {
  const stored = await anomalies.countBySession(sessions.map((s) => s.id));
  return sessions.map((s) => ({ ...s, anomalies_stored: stored[s.id] ?? 0 }));
}

/** `GET /api/sessions`, `GET /api/sessions/:id` (ClickHouse `sessions`, with the session's files). */
export function sessionRoutes(stores: { anomalies: FullAnomalyStore; metadata: MetadataStore }): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parseOr400(SessionListQuery, req.query, 'query');
    const items = await withStored(stores.anomalies, await stores.anomalies.listSessions(q.limit, q.offset));
    res.json({ items });
  });
  r.get('/:id', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const session = await stores.anomalies.getSession(id);
    if (!session) throw notFound(`session ${id}`);
    const [withCount] = await withStored(stores.anomalies, [session]);
    const files = await stores.metadata.listFiles({ sessionId: id, limit: 1000 });
    res.json({ ...withCount, files: files.items.map((f) => fileForUser(f, req.user)) });
  });
  return r;
}
