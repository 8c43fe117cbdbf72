import { Router } from 'express';
import type { AnomalyStore, MetadataStore } from '@l1t/store';
import type { AppMetrics } from '../metrics.js';

/** Liveness, readiness (both stores answer) and Prometheus metrics: open, never behind auth. */
export function healthRoutes(stores: { anomalies: AnomalyStore; metadata: MetadataStore }, metrics: AppMetrics): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const checks = await Promise.allSettled([stores.anomalies.ping(), stores.metadata.ping()]);
    const [ch, pg] = checks.map((c) => (c.status === 'fulfilled' ? 'ok' : String((c.reason as Error)?.message ?? c.reason)));
    const ready = ch === 'ok' && pg === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not_ready', clickhouse: ch, postgres: pg });
  });
  r.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
