import { Router } from 'express';
import { z } from 'zod';
import { ANOMALY_STATUSES, type AnomalyStatus } from '@l1t/contracts';
import type { AnomalyStore, MetadataStore } from '@l1t/store';
import { applyStatusFilter, toAnomalyQuery } from '../services/anomaly-query.js';
import { anomalyPcapFromFile, InputError } from '@l1t/pipeline';
import { ApiError, notFound, parseOr400 } from '../api-error.js';
import { AnomalyListQuery, IdParam } from './query-schemas.js';
import { embeddedDataVersion, ResponseCache } from '../services/response-cache.js';

const PcapQuery = z.strictObject({ margin: z.coerce.number().int().min(0).max(1000).default(5) });

const StatusBody = z.strictObject({ status: z.enum(ANOMALY_STATUSES), note: z.string().max(4000).optional() });

/** `GET /api/anomalies`, `GET /api/anomalies/:id`, `PATCH /api/anomalies/:id/status` (interfaces.md). */
export function anomalyRoutes(stores: { anomalies: AnomalyStore; metadata: MetadataStore }): Router {
  const r = Router();
  // The list is what the anomalies page polls: kept until the next write on the embedded stores.
  const lists = new ResponseCache(embeddedDataVersion(stores));

  r.get('/', async (req, res) => {
    // Validated inside: a URL answered from the cache was valid when it was built (~1 ms of zod per request).
    await lists.send(req, res, req.originalUrl, async () => {
      const q = parseOr400(AnomalyListQuery, req.query, 'query');
      const query = { ...toAnomalyQuery(q), limit: q.limit, offset: q.offset };
      await applyStatusFilter(query, q.status, stores.metadata);
      const controller = new AbortController();
      req.once('close', () => controller.abort());
      const result = await stores.anomalies.queryAnomalies(query, controller.signal);
      const statuses = await stores.metadata.getAnomalyStatuses(result.items.map((a) => a.id));
      return { items: result.items.map((a) => ({ ...a, status: statuses[a.id] ?? 'open' })), total: result.total };
    });
  });

  r.get('/:id', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const anomaly = await stores.anomalies.getAnomaly(id);
    if (!anomaly) throw notFound(`anomaly ${id}`);
    const statuses = await stores.metadata.getAnomalyStatuses([id]);
    const history = await stores.metadata.statusHistory(id);
    res.json({
      ...anomaly,
      packet_context: anomaly.packet_context ?? [],
      status: statuses[id] ?? 'open',
      status_history: history,
    });
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
      slice = await anomalyPcapFromFile(anomaly, file.path, {
        margin,
        expectedSize: file.size,
        signal: controller.signal,
      });
    } catch (err) {
      if (err instanceof InputError) throw new ApiError(410, 'capture_changed', err.message);
      if ((err as NodeJS.ErrnoException)?.code === 'ENOENT')
        throw new ApiError(410, 'capture_gone', 'the capture of this anomaly is no longer stored');
      throw err;
    }
    if (!slice) throw new ApiError(410, 'capture_changed', 'the capture no longer holds the packets of this anomaly');
    // pcapng, not pcap: the IANA-registered pcap type (vnd.tcpdump.pcap) names the older format.
    res.setHeader('Content-Type', 'application/x-pcapng');
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
