import { Router } from 'express';
import type { FileInfo } from '@l1t/contracts';
import type { MetadataStore } from '@l1t/store';
import type { AuthUser } from '../middleware/auth.js';
import { notFound, parseOr400 } from '../api-error.js';
import { FileListQuery, IdParam } from './query-schemas.js';

/**
 * A file record as the API shows it: where the server keeps the bytes (a disk path) only to admins, who
 * run the server; to others it is null (issue #17 defect 8: viewers saw server paths).
 */
export function fileForUser<T extends Pick<FileInfo, 'path'>>(file: T, user: AuthUser | undefined): T {
  return user?.role === 'admin' && user.userId !== 'local' ? file : { ...file, path: null };
}

/** `GET /api/files`, `GET /api/files/:id` (uploads and their SSE progress arrive with the web issue). */
export function fileRoutes(metadata: MetadataStore): Router {
  const r = Router();
  r.get('/', async (req, res) => {
    const q = parseOr400(FileListQuery, req.query, 'query');
    const list = await metadata.listFiles({
      ...(q.session_id ? { sessionId: q.session_id } : {}),
      ...(q.status ? { status: q.status } : {}),
      limit: q.limit,
      offset: q.offset,
    });
    res.json({ ...list, items: list.items.map((f) => fileForUser(f, req.user)) });
  });
  r.get('/:id', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const file = await metadata.getFile(id);
    if (!file) throw notFound(`file ${id}`);
    res.json(fileForUser(file, req.user));
  });
  return r;
}
