import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import type { RequestHandler } from 'express';

/** Prometheus metrics of one app instance (a registry per app, so tests can build several). */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const httpDuration = new Histogram({
    name: 'l1t_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const filesAnalysed = new Counter({
    name: 'l1t_files_analysed_total',
    help: 'Files analysed by status',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  const middleware: RequestHandler = (req, res, next) => {
    const end = httpDuration.startTimer({ method: req.method });
    res.on('finish', () => {
      // The matched route pattern, never the raw path: ids would explode the label set.
      const route = (req.route?.path as string | undefined) ?? (res.statusCode === 404 ? 'unmatched' : req.baseUrl || 'static');
      end({ route: `${req.baseUrl}${typeof route === 'string' && route !== req.baseUrl ? route : ''}` || route, status: String(res.statusCode) });
    });
    next();
  };
  return { registry, filesAnalysed, middleware };
}
export type AppMetrics = ReturnType<typeof createMetrics>;
