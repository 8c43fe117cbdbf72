import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { gzipJoin, viewText, type FullMetadataStore } from '@l1t/store';
import { notFound, parseOr400 } from '../api-error.js';
import { IdParam } from './query-schemas.js';

/** A flow name as the detection writes it: `u|dl|eaxc=1`, on later links `…|vlan=…|macs=…`. */
const FlowName = z
  .string()
  .max(200)
  .regex(/^[cu]\|(dl|ul)\|eaxc=\d{1,5}(\|[A-Za-z0-9=:.\-|]+)?$/, 'a flow name such as u|dl|eaxc=1');
/** Query of `/timing` and `/heatmap`: one flow's scatter or grid. */
export const FileViewQuery = z.strictObject({ flow: FlowName.optional() });

type ViewStore = Pick<FullMetadataStore, 'getFile' | 'getFileView' | 'getFileViewText' | 'getFileViewGzip'>;

/**
 * `{...fields, ...document}` as JSON text, the stored document's text spliced in as it is: it is neither parsed
 * nor serialised again on its way out.
 */
function objectWith(fields: Record<string, unknown>, documentText: string): string {
  const head = JSON.stringify(fields).slice(0, -1);
  const body = documentText.trim().slice(1);
  return body.trim() === '}' ? `${head}}` : `${head},${body}`;
}

/**
 * JSON made of text and stored views (each a whole JSON value): to a client that accepts gzip, one gzip member
 * with the stored views' bytes spliced in as they are (gzipJoin: a 815 kB heatmap goes out as its ~110 kB
 * stored without being decompressed), else the text. The server has no compression middleware; this is the
 * only place that sets Content-Encoding, so nothing is compressed twice.
 */
function sendJson(req: Request, res: Response, parts: readonly (string | Uint8Array)[]): void {
  res.vary('Accept-Encoding').set('Content-Type', 'application/json; charset=utf-8');
  if (req.acceptsEncodings('gzip', 'identity') === 'gzip') res.set('Content-Encoding', 'gzip').send(gzipJoin(parts));
  else res.send(parts.map((p) => (typeof p === 'string' ? p : viewText(p))).join(''));
}

/** `{...fields, "key": <stored view>` and `rest` (the object's other fields and its `}`) as parts of sendJson. */
const withView = (fields: Record<string, unknown>, key: string, view: Uint8Array, rest = '}') => [
  `${JSON.stringify(fields).slice(0, -1)},${JSON.stringify(key)}:`,
  view,
  rest,
];

/**
 * The file analysis page's data (issue 16), read from the views stored when the file was analysed:
 * `GET /api/files/:id/flows` (per-flow table), `/timing` (arrival-offset histograms with the profile's windows;
 * `?flow=` adds that flow's time scatter), `/heatmap` (the eAxCs with a PRB × time grid; `?flow=` that grid,
 * by default the first). Every document is bounded when written; a file without O-RAN traffic has none.
 */
export function fileViewRoutes(metadata: ViewStore): Router {
  const r = Router();
  const fileOf = async (req: Request) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const file = await metadata.getFile(id);
    if (!file) throw notFound(`file ${id}`);
    return file;
  };
  r.get('/:id/flows', async (req, res) => {
    parseOr400(z.strictObject({}), req.query, 'query');
    const file = await fileOf(req);
    const doc = await metadata.getFileViewText(file.id, 'flows');
    const fields = { file_id: file.id, status: file.status };
    if (doc) sendJson(req, res, [objectWith(fields, doc)]);
    else sendJson(req, res, [JSON.stringify({ ...fields, first_ts_ns: null, flows: [], notes: [] })]);
  });

  r.get('/:id/timing', async (req, res) => {
    const q = parseOr400(FileViewQuery, req.query, 'query');
    const file = await fileOf(req);
    const [doc, scatter] = await Promise.all([
      metadata.getFileViewText(file.id, 'timing'),
      q.flow ? metadata.getFileViewGzip(file.id, `scatter:${q.flow}`) : undefined,
    ]);
    if (q.flow && !scatter) throw notFound(`timing of flow ${q.flow} in file ${file.id}`);
    const base = doc ?? JSON.stringify({ mode: 'off', windows_us: {}, flows: [], groups: [] });
    const fields = { file_id: file.id };
    // the timing document's fields after the scatter, as before: {"file_id":…,"scatter":…,"mode":…}
    if (scatter) sendJson(req, res, withView(fields, 'scatter', scatter, `,${base.trim().slice(1)}`));
    else sendJson(req, res, [objectWith(fields, base)]);
  });

  r.get('/:id/heatmap', async (req, res) => {
    const q = parseOr400(FileViewQuery, req.query, 'query');
    const file = await fileOf(req);
    const index = (await metadata.getFileView(file.id, 'heatmaps')) as { items?: { name: string }[] } | undefined;
    const items = index?.items ?? [];
    const name = q.flow ?? items[0]?.name;
    const grid = name ? await metadata.getFileViewGzip(file.id, `heatmap:${name}`) : undefined;
    if (q.flow && !grid) throw notFound(`heatmap of flow ${q.flow} in file ${file.id}`);
    const fields = { file_id: file.id, items };
    sendJson(req, res, grid ? withView(fields, 'heatmap', grid) : [JSON.stringify({ ...fields, heatmap: null })]);
  });
  return r;
}
