import type { RequestHandler } from 'express';
import { z } from 'zod';
import type { Metric } from '@l1t/contracts';
import { PTP_TE_METRIC_NAMES, ptpViewFromMetrics } from '@l1t/pipeline';
import type { AnomalyStore, MetadataStore } from '@l1t/store';
import { notFound, parseOr400 } from '../api-error.js';
import { IdParam } from './query-schemas.js';

/** Rows per store query (the store's own cap) and queries per request at most (a bound per request). */
const PAGE = 10_000;
const MAX_PAGES = 50;

/**
 * `GET /api/files/:id/ptp`: the time-error view of a file — per PTP slave port of a capture, or per servo of
 * a linuxptp log — its series, ITU-T metrics (max|TE|, cTE, dTE, MTIE, TDEV, intervals, PDV) and G.8271.1 /
 * G.8273.2 verdicts, with the statement of what they measure (capture-based or servo offsets). Read from the
 * metrics stored when the file was analysed; a file without any gives `ports: []`. The shape is the web's
 * PTP view's (/tmp/h/ptp-contract.md, `PtpPortView`). Viewers may read it (a GET).
 */
export function filePtpHandler(stores: {
  metadata: Pick<MetadataStore, 'getFile'>;
  anomalies: Pick<AnomalyStore, 'queryMetrics'>;
}): RequestHandler {
  return async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    parseOr400(z.strictObject({}), req.query, 'query');
    const file = await stores.metadata.getFile(id);
    if (!file) throw notFound(`file ${id}`);
    const controller = new AbortController();
    req.once('close', () => controller.abort());
    // One paged query for every time-error metric name (not one per name: the view needs them all).
    const rows = await allRows(stores.anomalies, file.id, PTP_TE_METRIC_NAMES, controller.signal);
    res.json({ file_id: file.id, ports: ptpViewFromMetrics(rows) });
  };
}

/**
 * Every row of these metrics of a file, in pages by time: a full page ends at its last timestamp, whose rows are
 * read again by the next page (from that time on) rather than cut between two pages.
 */
async function allRows(
  store: Pick<AnomalyStore, 'queryMetrics'>,
  fileId: string,
  names: readonly string[],
  signal: AbortSignal,
): Promise<Metric[]> {
  const out: Metric[] = [];
  let from: string | undefined;
  for (let page = 0; page < MAX_PAGES; page++) {
    const rows = await store.queryMetrics({ fileId, names, limit: PAGE, ...(from ? { from } : {}) }, signal);
    if (rows.length < PAGE) {
      out.push(...rows);
      return out;
    }
    const last = rows[rows.length - 1]!.timestamp;
    const keep = rows.filter((r) => r.timestamp !== last);
    if (keep.length === 0) {
      out.push(...rows); // one timestamp holds a whole page: nothing further can be told apart
      return out;
    }
    out.push(...keep);
    from = last;
  }
  return out;
}
