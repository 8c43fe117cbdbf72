import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { formatZodIssues } from '@l1t/contracts';

/** An error the API answers with a status and a stable code (DESIGN.md §Conventions 7). */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options?: { cause?: unknown; details?: Record<string, unknown> },
  ) {
    super(message, options);
    this.details = options?.details;
  }
  /** More of the error's body beside code and message (e.g. a profile's field-level errors). */
  readonly details: Record<string, unknown> | undefined;
}

export const notFound = (what: string): ApiError => new ApiError(404, 'not_found', `${what} not found`);

/** Validates a request part with zod; a bad value is a 400 naming the parameter, never a 500. */
export function parseOr400<T extends z.ZodType>(schema: T, value: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(value);
  if (!r.success) throw new ApiError(400, 'bad_request', `${where}: ${formatZodIssues(r.error)}`);
  return r.data;
}

export const unknownRoute: RequestHandler = (req, _res, next) => {
  next(new ApiError(404, 'not_found', `no route ${req.method} ${req.path}`));
};

/** Network and server-state codes that mean "the store cannot be reached now", not "the request is wrong". */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  // PostgreSQL: connection exceptions (class 08) and the server shutting down (57P01–57P03).
  '08000',
  '08001',
  '08003',
  '08006',
  '57P01',
  '57P02',
  '57P03',
]);

/** True when an error (or one of its causes) says a store is unreachable: answered 503, retried later. */
export function isStoreUnreachable(err: unknown): boolean {
  for (
    let e = err as
        { code?: unknown; name?: unknown; message?: unknown; cause?: unknown; errors?: unknown[] } | undefined,
      depth = 0;
    e && depth < 6;
    e = e.cause as typeof e, depth++
  ) {
    if (e.name === 'StoreUnavailableError') return true;
    if (typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code)) return true;
    if (
      typeof e.message === 'string' &&
      /Connection terminated|timeout exceeded when trying to connect/i.test(e.message)
    )
      return true;
    if (Array.isArray(e.errors) && e.errors.some((x) => isStoreUnreachable(x))) return true;
  }
  return false;
}

/** Seconds a client is told to wait when a store is unreachable. */
export const UNREACHABLE_RETRY_AFTER_S = 5;

/** The one error handler: known errors keep their status and message; anything else is hidden as 500. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (err instanceof ApiError) {
      res.status(err.status).json({ error: { code: err.code, message: err.message, ...err.details } });
      return;
    }
    const status = typeof err?.status === 'number' && err.status >= 400 && err.status < 500 ? err.status : 500;
    if (status < 500) {
      res.status(status).json({ error: { code: 'bad_request', message: String(err.message ?? 'bad request') } });
      return;
    }
    if (isStoreUnreachable(err)) {
      // A store down is not the request's fault and not a bug: 503 with Retry-After (queued jobs wait in it).
      logger.warn({ err, method: req.method, url: req.originalUrl }, 'store unreachable');
      res.setHeader('Retry-After', String(UNREACHABLE_RETRY_AFTER_S));
      res.status(503).json({ error: { code: 'unavailable', message: 'a database is unreachable; retry shortly' } });
      return;
    }
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unexpected error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
