import type { RequestHandler } from 'express';
import type { FullMetadataStore } from '@l1t/store';
import { notFound, parseOr400 } from '../api-error.js';
import { IdParam } from './query-schemas.js';

/** `GET /api/files/:id/summary`: the decode summary of an analysed file (packets, flows, unknown records, errors). */
export function fileSummaryHandler(
  metadata: FullMetadataStore & { getFileSummary(id: string): Promise<Record<string, unknown> | undefined> },
): RequestHandler {
  return async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const file = await metadata.getFile(id);
    if (!file) throw notFound(`file ${id}`);
    res.json({ id, status: file.status, summary: (await metadata.getFileSummary(id)) ?? null });
  };
}
