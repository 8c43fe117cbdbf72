import { Router, type RequestHandler } from 'express';
import { z } from 'zod';
import { BUILTIN_TAG, EDITED_TAG, KnowledgeBase } from '@l1t/advisor';
import type { KnowledgeDocument } from '@l1t/store';
import { storableText } from './query-schemas.js';
import { ApiError, notFound, parseOr400 } from '../api-error.js';

const Slug = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[a-z0-9][a-z0-9_-]*$/, 'lower-case letters, digits, - and _');
const AnomalyType = z
  .string()
  .regex(/^[a-z][a-z0-9_]*$/, 'an anomaly type name')
  .max(64);
const Tag = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[^,\n]+$/, 'a tag without commas');

const DocFields = {
  title: z.string().trim().min(1).max(200),
  anomaly_type: AnomalyType.nullable().optional(),
  body: z.string().min(1).max(100_000),
  tags: z.array(Tag).max(30).default([]),
};
const CreateBody = z.strictObject({ slug: Slug.optional(), ...DocFields });
const UpdateBody = z.strictObject(DocFields);
const SlugParam = z.strictObject({ id: Slug });
const ListQuery = z.strictObject({
  anomaly_type: AnomalyType.optional(),
  q: storableText(200).pipe(z.string().trim().min(1)).optional(),
});

/** A knowledge document as the API answers it (snake_case like the other routes; `id` is the slug). */
export function knowledgeJson(d: KnowledgeDocument & { rank?: number }): Record<string, unknown> {
  return {
    id: d.slug,
    slug: d.slug,
    title: d.title,
    anomaly_type: d.anomalyType,
    body: d.body,
    tags: d.tags.filter((t) => t !== BUILTIN_TAG && t !== EDITED_TAG),
    builtin: d.tags.includes(BUILTIN_TAG),
    edited: d.tags.includes(EDITED_TAG),
    updated_at: d.updatedAt ?? null,
    ...(d.rank !== undefined ? { rank: d.rank } : {}),
  };
}

function slugify(title: string): string {
  const s = title
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
  return s || 'doc';
}

/** Viewers read; engineers and admins write. */
const requireWriter: RequestHandler = (req, _res, next) => {
  if (req.user && req.user.role === 'viewer')
    return next(new ApiError(403, 'forbidden', 'viewers cannot change the knowledge base'));
  next();
};

/** `GET/POST /api/knowledge`, `GET/PUT/DELETE /api/knowledge/:id` (the Knowledge page). */
export function knowledgeRoutes(
  kb: KnowledgeBase,
  search: (q: string, anomalyType?: string) => Promise<(KnowledgeDocument & { rank: number })[]>,
): Router {
  const r = Router();

  r.get('/', async (req, res) => {
    const q = parseOr400(ListQuery, req.query, 'query');
    const items = q.q
      ? await search(q.q, q.anomaly_type)
      : await kb.list(q.anomaly_type ? { anomalyType: q.anomaly_type } : {});
    res.json({ items: items.map(knowledgeJson), total: items.length });
  });

  r.get('/:id', async (req, res) => {
    const { id } = parseOr400(SlugParam, req.params, 'path');
    const d = await kb.get(id);
    if (!d) throw notFound(`knowledge document ${id}`);
    res.json(knowledgeJson(d));
  });

  r.post('/', requireWriter, async (req, res) => {
    const b = parseOr400(CreateBody, req.body, 'body');
    const slug = b.slug ?? slugify(b.title);
    if (await kb.get(slug)) throw new ApiError(409, 'conflict', `knowledge document ${slug} already exists`);
    const d = await kb.put({ slug, title: b.title, anomalyType: b.anomaly_type ?? null, body: b.body, tags: b.tags });
    res.status(201).location(`${req.baseUrl}/${slug}`).json(knowledgeJson(d));
  });

  r.put('/:id', requireWriter, async (req, res) => {
    const { id } = parseOr400(SlugParam, req.params, 'path');
    const b = parseOr400(UpdateBody, req.body, 'body');
    if (!(await kb.get(id))) throw notFound(`knowledge document ${id}`);
    const d = await kb.put({
      slug: id,
      title: b.title,
      anomalyType: b.anomaly_type ?? null,
      body: b.body,
      tags: b.tags,
    });
    res.json(knowledgeJson(d));
  });

  r.delete('/:id', requireWriter, async (req, res) => {
    const { id } = parseOr400(SlugParam, req.params, 'path');
    if (!(await kb.delete(id))) throw notFound(`knowledge document ${id}`);
    res.status(204).end();
  });
  return r;
}
