import { Router } from 'express';
import { z } from 'zod';
import { candidateRanges, DEFAULT_RELATION, relatedAcrossSources } from '@l1t/detect';
import type { AnomalyStore, MetadataStore } from '@l1t/store';
import { notFound, parseOr400 } from '../api-error.js';
import { IdParam } from './query-schemas.js';

/** Most candidates looked at per side for one anchor: a window of ±50 ms rarely holds more; past it we say so. */
const MAX_CANDIDATES = 2000;
/**
 * Bound of a clock offset between a UE log and a capture host: ten years. Logs from unrelated clocks (a phone
 * without network time, a lab capture host, synthetic files) can be years apart and still be lined up.
 */
const MAX_OFFSET_MS = 10 * 366 * 86_400_000;

const RelatedQuery = z.strictObject({
  window_ms: z.coerce.number().min(0).max(60_000).default(DEFAULT_RELATION.windowMs),
  clock_offset_ms: z.coerce.number().min(-MAX_OFFSET_MS).max(MAX_OFFSET_MS).optional(),
});

const OffsetBody = z.strictObject({ ue_clock_offset_ms: z.number().finite().min(-MAX_OFFSET_MS).max(MAX_OFFSET_MS) });

/** The PostgreSQL setting that holds a session's UE clock offset. */
export const sessionOffsetKey = (sessionId: string): string => `session_clock_offset_ms:${sessionId}`;

async function sessionOffset(metadata: MetadataStore, sessionId: string | undefined): Promise<number> {
  if (!sessionId) return 0;
  const v = await metadata.getSetting<number>(sessionOffsetKey(sessionId));
  return typeof v === 'number' && Number.isFinite(v) ? v : 0;
}

/**
 * Cross-source timeline (issue #13 point 8): `GET /api/anomalies/:id/related` lists the findings of the other
 * sources of the anchor's session within a window (default ±50 ms), after the session's UE clock offset;
 * `GET|PUT /api/sessions/:id/clock-offset` read and set that offset (writers only: the role check guards
 * every non-read request).
 */
export function crossSourceRoutes(stores: { anomalies: AnomalyStore; metadata: MetadataStore }): Router {
  const r = Router();

  r.get('/anomalies/:id/related', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const q = parseOr400(RelatedQuery, req.query, 'query');
    const anchor = await stores.anomalies.getAnomaly(id);
    if (!anchor) throw notFound(`anomaly ${id}`);
    const offset = q.clock_offset_ms ?? (await sessionOffset(stores.metadata, anchor.session_id));
    const options = { windowMs: q.window_ms, ueClockOffsetMs: offset };
    const ranges = candidateRanges(anchor, options);
    const base = {
      anchor: id,
      session_id: anchor.session_id ?? null,
      window_ms: q.window_ms,
      ue_clock_offset_ms: offset,
    };
    if (!anchor.session_id || ranges.length === 0) {
      res.json({
        ...base,
        items: [],
        truncated: false,
        note: 'this finding belongs to no session: nothing to relate it to',
      });
      return;
    }
    const controller = new AbortController();
    req.once('close', () => controller.abort());
    const sides = await Promise.all(
      ranges.map((r) =>
        stores.anomalies.queryAnomalies(
          {
            sessionId: anchor.session_id,
            source: r.sources,
            from: r.from,
            to: r.to,
            sort: 'timestamp',
            order: 'asc',
            limit: MAX_CANDIDATES,
          },
          controller.signal,
        ),
      ),
    );
    const found = { items: sides.flatMap((s) => s.items), truncated: sides.some((s) => s.total > s.items.length) };
    const related = relatedAcrossSources(anchor, found.items, options);
    res.json({
      ...base,
      truncated: found.truncated,
      items: related.map(({ finding: a, deltaMs }) => ({
        id: a.id,
        type: a.type,
        source: a.source,
        severity: a.severity,
        timestamp: a.timestamp,
        ...(a.end_timestamp ? { end_timestamp: a.end_timestamp } : {}),
        file: a.file,
        file_id: a.file_id ?? null,
        ...(a.flow ? { flow: a.flow } : {}),
        ...(a.radio ? { radio: a.radio } : {}),
        description: a.description,
        delta_ms: deltaMs,
      })),
    });
  });

  r.get('/sessions/:id/clock-offset', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    res.json({ session_id: id, ue_clock_offset_ms: await sessionOffset(stores.metadata, id) });
  });

  r.put('/sessions/:id/clock-offset', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const body = parseOr400(OffsetBody, req.body, 'body');
    if (!(await stores.anomalies.getSession(id))) throw notFound(`session ${id}`);
    await stores.metadata.putSetting(sessionOffsetKey(id), body.ue_clock_offset_ms);
    res.json({ session_id: id, ue_clock_offset_ms: body.ue_clock_offset_ms });
  });
  return r;
}
