import { Router } from 'express';
import type { ReadyReport } from '@l1t/store';
import type { AppMetrics } from '../metrics.js';

/** Liveness, readiness (both stores answer) and Prometheus metrics: open, never behind auth. */
export function healthRoutes(stores: { ready(o?: { timeoutMs?: number }): Promise<ReadyReport> }, metrics: AppMetrics): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  r.get('/readyz', async (_req, res) => {
    const report = await stores.ready({ timeoutMs: 2000 });
    const state = (c: ReadyReport['clickhouse']) => (c.ok ? 'ok' : (c.error ?? 'unreachable'));
    res.status(report.ok ? 200 : 503).json({
      status: report.ok ? 'ready' : 'not_ready',
      clickhouse: state(report.clickhouse),
      postgres: state(report.postgres),
    });
  });
  r.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });
  return r;
}
