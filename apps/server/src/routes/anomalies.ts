import { Router } from 'express';
import { z } from 'zod';
import { ANOMALY_STATUSES, type AnomalyStatus } from '@l1t/contracts';
import type { AnomalyQuery, AnomalyStore, MetadataStore } from '@l1t/store';
import { anomalyPcapFromFile, InputError } from '@l1t/pipeline';
import { ApiError, notFound, parseOr400 } from '../api-error.js';
import { AnomalyListQuery, IdParam } from './query-schemas.js';

const PcapQuery = z.strictObject({ margin: z.coerce.number().int().min(0).max(1000).default(5) });

const StatusBody = z.strictObject({ status: z.enum(ANOMALY_STATUSES), note: z.string().max(4000).optional() });

/** `GET /api/anomalies`, `GET /api/anomalies/:id`, `PATCH /api/anomalies/:id/status` (interfaces.md). */
export function anomalyRoutes(stores: { anomalies: AnomalyStore; metadata: MetadataStore }): Router {
  const r = Router();

  r.get('/', async (req, res) => {
    const q = parseOr400(AnomalyListQuery, req.query, 'query');
    const query: AnomalyQuery = {
      ...(q.file_id ? { fileId: q.file_id } : {}),
      ...(q.session_id ? { sessionId: q.session_id } : {}),
      ...(q.type ? { type: q.type } : {}),
      ...(q.severity ? { severity: q.severity } : {}),
      ...(q.source ? { source: q.source } : {}),
      ...(q.from ? { from: new Date(q.from).toISOString() } : {}),
      ...(q.to ? { to: new Date(q.to).toISOString() } : {}),
      ...(q.eaxc !== undefined ? { eaxc: q.eaxc } : {}),
      ...(q.q ? { q: q.q } : {}),
      sort: q.sort,
      order: q.order,
      limit: q.limit,
      offset: q.offset,
    };
    // The status workflow lives in PostgreSQL: resolve it to id sets before asking ClickHouse.
    if (q.status === 'open') {
      const others = await Promise.all(
        ANOMALY_STATUSES.filter((s) => s !== 'open').map((s) => stores.metadata.anomalyIdsWithStatus(s)),
      );
      query.excludeIds = others.flat();
    } else if (q.status) {
      query.ids = await stores.metadata.anomalyIdsWithStatus(q.status);
    }
    const controller = new AbortController();
    req.once('close', () => controller.abort());
    const result = await stores.anomalies.queryAnomalies(query, controller.signal);
    const statuses = await stores.metadata.getAnomalyStatuses(result.items.map((a) => a.id));
    res.json({ items: result.items.map((a) => ({ ...a, status: statuses[a.id] ?? 'open' })), total: result.total });
  });

  r.get('/:id', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const anomaly = await stores.anomalies.getAnomaly(id);
    if (!anomaly) throw notFound(`anomaly ${id}`);
    const statuses = await stores.metadata.getAnomalyStatuses([id]);
    const history = await stores.metadata.statusHistory(id);
    res.json({ ...anomaly, packet_context: anomaly.packet_context ?? [], status: statuses[id] ?? 'open', status_history: history });
  });

  r.get('/:id/pcap', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const { margin } = parseOr400(PcapQuery, req.query, 'query');
    const anomaly = await stores.anomalies.getAnomaly(id);
    if (!anomaly) throw notFound(`anomaly ${id}`);
    const file = anomaly.file_id ? await stores.metadata.getFile(anomaly.file_id) : undefined;
    if (!file?.path) throw new ApiError(410, 'capture_gone', 'the capture of this anomaly is no longer stored');
    const controller = new AbortController();
    req.once('close', () => controller.abort());
    let slice;
    try {
      slice = await anomalyPcapFromFile(anomaly, file.path, { margin, expectedSize: file.size, signal: controller.signal });
    } catch (err) {
      if (err instanceof InputError) throw new ApiError(410, 'capture_changed', err.message);
      if ((err as NodeJS.ErrnoException)?.code === 'ENOENT') throw new ApiError(410, 'capture_gone', 'the capture of this anomaly is no longer stored');
      throw err;
    }
    if (!slice) throw new ApiError(410, 'capture_changed', 'the capture no longer holds the packets of this anomaly');
    res.setHeader('Content-Type', 'application/vnd.tcpdump.pcap');
    res.setHeader('Content-Disposition', `attachment; filename="anomaly-${id}.pcapng"`);
    res.send(Buffer.from(slice.bytes.buffer, slice.bytes.byteOffset, slice.bytes.byteLength));
  });

  r.patch('/:id/status', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const body = parseOr400(StatusBody, req.body, 'body');
    const anomaly = await stores.anomalies.getAnomaly(id);
    if (!anomaly) throw notFound(`anomaly ${id}`);
    await stores.metadata.setAnomalyStatus({
      anomalyId: id,
      status: body.status as AnomalyStatus,
      note: body.note ?? null,
      userId: req.user?.userId ?? null,
    });
    res.json({ id, status: body.status });
  });
  return r;
}
