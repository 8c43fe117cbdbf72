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
    logger.error({ err, method: req.method, url: req.originalUrl }, 'unexpected error');
    res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
  };
}
