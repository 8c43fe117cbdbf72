import { Counter, Histogram, type Registry } from 'prom-client';

/** Prometheus metrics of the advice stream: outcomes, time to first chunk, tokens and estimated cost. */
export function createAdvisorMetrics(registry?: Registry) {
  const registers = registry ? [registry] : [];
  return {
    requests: new Counter({
      name: 'l1t_advisor_requests_total',
      help: 'Recommendation streams by provider and outcome (generated, cached, error, aborted, rate_limited)',
      labelNames: ['provider', 'outcome'] as const,
      registers,
    }),
    firstChunk: new Histogram({
      name: 'l1t_advisor_first_chunk_seconds',
      help: 'Time from request to the first streamed chunk',
      labelNames: ['provider', 'cached'] as const,
      buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    }),
    tokens: new Counter({
      name: 'l1t_advisor_tokens_total',
      help: 'Tokens of generated answers by provider, model and kind (input, output)',
      labelNames: ['provider', 'model', 'kind'] as const,
      registers,
    }),
    cost: new Counter({
      name: 'l1t_advisor_cost_usd_total',
      help: 'Estimated cost of generated answers in USD (configured per-1K-token prices)',
      labelNames: ['provider', 'model'] as const,
      registers,
    }),
  };
}
export type AdvisorMetrics = ReturnType<typeof createAdvisorMetrics>;
