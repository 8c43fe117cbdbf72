import { Router } from 'express';
import type { MetadataStore } from '@l1t/store';
import { notFound, parseOr400 } from '../api-error.js';
import { FileListQuery, IdParam } from './query-schemas.js';

/** `GET /api/files`, `GET /api/files/:id` (uploads and their SSE progress arrive with the web issue). */
export function fileRoutes(metadata: MetadataStore): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parseOr400(FileListQuery, req.query, 'query');
    res.json(
      await metadata.listFiles({
        ...(q.session_id ? { sessionId: q.session_id } : {}),
        ...(q.status ? { status: q.status } : {}),
        limit: q.limit,
        offset: q.offset,
      }),
    );
  });
  r.get('/:id', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const file = await metadata.getFile(id);
    if (!file) throw notFound(`file ${id}`);
    res.json(file);
  });
  return r;
}
