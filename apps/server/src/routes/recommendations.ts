import { Router, type Response } from 'express';
import { z } from 'zod';
import {
  AdviceError,
  AdvisorService,
  createProvider,
  isAbortError,
  KnowledgeBase,
  loadAdvisorSettings,
  RateLimiter,
  type AdviceEvent,
  type AdviceProvider,
  type AdvisorSettings,
} from '@l1t/advisor';
import type { Config } from '@l1t/contracts';
import type { Stores } from '@l1t/store';
import type { Registry } from 'prom-client';
import { ApiError, notFound, parseOr400 } from '../api-error.js';
import { IdParam } from './query-schemas.js';
import { knowledgeRoutes } from './recommendations-knowledge.js';
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { postgresLimiter } from '../services/login-guard.js';
import { createAdvisorMetrics } from './recommendations-metrics.js';

export interface RecommendationDeps {
  config: Config;
  stores: Pick<Stores, 'anomalies' | 'metadata'>;
  /** Defaults: read once from the environment (`loadAdvisorSettings`) and the configured provider. */
  settings?: AdvisorSettings;
  provider?: AdviceProvider;
  /** Where the advisor metrics register (the app's `/metrics` registry). */
  registry?: Registry;
  /**
   * Advice rate limits counted in PostgreSQL, shared by every process on the database. Default: on a
   * PostgreSQL server (several pods: the limit was per pod on EKS), off on the embedded PGlite (one process).
   */
  sharedLimits?: boolean;
}

const StreamQuery = z.strictObject({ regenerate: z.enum(['0', '1', 'true', 'false']).optional() });

/** Server-Sent Events framing (WHATWG HTML §9.2): one `data:` line of JSON per event, blank line after. */
const sse = {
  data: (v: unknown): string => `data: ${JSON.stringify(v)}\n\n`,
  event: (name: string, v: unknown): string => `event: ${name}\ndata: ${JSON.stringify(v)}\n\n`,
  ping: ': ping\n\n',
};

/**
 * Advice routes, mounted at `/api`:
 * - `GET /anomalies/:id/recommendation/stream[?regenerate=1]`: SSE `data: {"text":"…"}` chunks, then
 *   `event: done` with `{ provider, model, usage: { input_tokens, output_tokens, total_tokens, cost_usd },
 *   prompt_version, stop_reason, cached }`, or `event: error` with `{ code, message }`; `: ping` comments
 *   keep proxies from timing the stream out. A completed answer is cached per anomaly, provider, model and
 *   prompt version and replayed at once; `regenerate=1` asks the model again. Generated answers are rate
 *   limited per user (429 JSON before the stream starts).
 * - `GET /anomalies/:id/recommendations`: the cached answers of an anomaly (every provider/model/version).
 * - `/knowledge` CRUD (`recommendations-knowledge.ts`).
 */
export function recommendationRoutes(deps: RecommendationDeps): Router {
  const { stores } = deps;
  const settings = deps.settings ?? loadAdvisorSettings(deps.config.advisor, process.env);
  const provider = deps.provider ?? createProvider(settings);
  const service = new AdvisorService(stores, provider, settings);
  // Per user (or client address); shared by every pod through PostgreSQL on a server (it was per pod on EKS).
  const local = new RateLimiter(settings.rateLimitPerMinute);
  const sharedLimits = deps.sharedLimits ?? stores.metadata.kind === 'postgres';
  let shared: Promise<RateLimiterAbstract> | undefined;
  const take = async (key: string): Promise<{ ok: true } | { ok: false; retryAfterMs: number }> => {
    if (!sharedLimits) return local.take(key);
    shared ??= postgresLimiter(stores.metadata.sqlClient(), 'advice', settings.rateLimitPerMinute, 60);
    try {
      await (await shared).consume(key);
      return { ok: true };
    } catch (e) {
      if (e instanceof RateLimiterRes) return { ok: false, retryAfterMs: e.msBeforeNext };
      throw e;
    }
  };
  const kb = new KnowledgeBase(stores.metadata);
  const metrics = createAdvisorMetrics(deps.registry);
  const r = Router();

  r.get('/anomalies/:id/recommendation/stream', async (req, res) => {
    const started = performance.now();
    const { id } = parseOr400(IdParam, req.params, 'path');
    const q = parseOr400(StreamQuery, req.query, 'query');
    const regenerate = q.regenerate === '1' || q.regenerate === 'true';
    const anomaly = await stores.anomalies.getAnomaly(id);
    if (!anomaly) throw notFound(`anomaly ${id}`);
    const cached = regenerate ? undefined : await service.cached(id);
    if (!cached) {
      // Per user; with auth off every request runs as 'local', so the client address tells users apart.
      const user = req.user && req.user.userId !== 'local' ? req.user.userId : `ip:${req.ip ?? 'unknown'}`;
      const taken = await take(user);
      if (!taken.ok) {
        metrics.requests.inc({ provider: provider.name, outcome: 'rate_limited' });
        res.setHeader('Retry-After', String(Math.ceil(taken.retryAfterMs / 1000)));
        throw new ApiError(
          429,
          'rate_limited',
          `at most ${settings.rateLimitPerMinute} generated recommendations per minute; retry in ${Math.ceil(taken.retryAfterMs / 1000)} s`,
        );
      }
    }

    // The client going away aborts the upstream model request (its socket closes).
    const controller = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) controller.abort(new Error('client closed the stream'));
    });
    res.status(200).set({
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.flushHeaders();
    const heartbeat = setInterval(() => write(res, sse.ping), settings.heartbeatMs);
    let first = true;
    let outcome = 'aborted';
    try {
      const events: AsyncIterable<AdviceEvent> | Iterable<AdviceEvent> = cached
        ? service.replay(cached)
        : service.generate(anomaly, controller.signal);
      for await (const ev of events) {
        if (controller.signal.aborted) break;
        if (ev.type === 'text') {
          if (first)
            metrics.firstChunk.observe(
              { provider: provider.name, cached: String(!!cached) },
              (performance.now() - started) / 1000,
            );
          first = false;
          write(res, sse.data({ text: ev.text }));
        } else {
          const { type: _type, ...done } = ev;
          write(res, sse.event('done', done));
          outcome = done.cached ? 'cached' : done.fallback ? 'fallback' : 'generated';
          if (!done.cached) {
            metrics.tokens.inc({ provider: done.provider, model: done.model, kind: 'input' }, done.usage.input_tokens);
            metrics.tokens.inc(
              { provider: done.provider, model: done.model, kind: 'output' },
              done.usage.output_tokens,
            );
            metrics.cost.inc({ provider: done.provider, model: done.model }, done.usage.cost_usd);
          }
        }
      }
    } catch (e) {
      if (!controller.signal.aborted && !isAbortError(e)) {
        const code = e instanceof AdviceError ? e.code : 'internal';
        const message = e instanceof AdviceError ? e.message : 'the recommendation failed';
        req.log?.warn({ err: e, anomaly: id, provider: provider.name }, 'recommendation stream failed');
        write(res, sse.event('error', { code, message }));
        outcome = 'error';
      }
    } finally {
      metrics.requests.inc({ provider: provider.name, outcome });
      clearInterval(heartbeat);
      if (!res.writableEnded) res.end();
    }
  });

  r.get('/anomalies/:id/recommendations', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const items = await stores.metadata.listRecommendations(id);
    res.json({
      items: items.map((x) => ({
        provider: x.provider,
        model: x.model,
        prompt_version: x.promptVersion,
        text: x.text,
        usage: x.usage,
        cost_usd: x.cost,
        created_at: x.createdAt,
      })),
      current: { provider: provider.name, model: provider.model },
    });
  });

  r.use(
    '/knowledge',
    knowledgeRoutes(kb, (q, anomalyType) =>
      stores.metadata.searchKnowledge(q, { limit: 50, ...(anomalyType ? { anomalyType } : {}) }),
    ),
  );
  return r;
}

function write(res: Response, chunk: string): void {
  if (!res.writableEnded && !res.destroyed) res.write(chunk);
}
