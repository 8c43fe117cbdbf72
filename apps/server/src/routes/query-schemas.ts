import { z } from 'zod';
import { ANOMALY_STATUSES, FILE_STATUSES, SEVERITIES, ANOMALY_SOURCES } from '@l1t/contracts';

/** A repeated or comma-separated query value (`?type=a,b` or `?type=a&type=b`) as a validated list. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    const parts: unknown = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : v;
    return Array.isArray(parts) ? parts.map((p) => String(p).trim()).filter(Boolean) : parts;
  }, z.array(item).max(50));

/**
 * The range of the stores' timestamps, ClickHouse DateTime64(9) (nanoseconds in an Int64: 1900-01-01 …
 * 2262-04-11 23:47:16 UTC): a time outside it made the query fail (a 500). A day inside either end.
 */
const TIME_MIN_MS = Date.UTC(1900, 0, 2);
const TIME_MAX_MS = Date.UTC(2262, 3, 10, 23, 59, 59);
/** A time the stores can compare against: ISO 8601, within ClickHouse DateTime64's range. */
export const isoTime = z
  .string()
  .max(64)
  .refine((s) => {
    const t = Date.parse(s);
    return !Number.isNaN(t) && t >= TIME_MIN_MS && t <= TIME_MAX_MS;
  }, 'an ISO 8601 time between 1900-01-02 and 2262-04-10');
/** Text passed to the stores as a parameter: a NUL cannot be (ClickHouse and PostgreSQL refused it: a 500). */
export const storableText = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\0'), 'no NUL character');
export const Paging = {
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
};

/** Query of `GET /api/anomalies` (interfaces.md). */
export const AnomalyListQuery = z.strictObject({
  file_id: storableText(64).optional(),
  session_id: storableText(64).optional(),
  type: list(z.string().regex(/^[a-z][a-z0-9_]*$/)).optional(),
  severity: list(z.enum(SEVERITIES)).optional(),
  source: list(z.enum(ANOMALY_SOURCES)).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  eaxc: z.coerce.number().int().min(0).max(65535).optional(),
  packet_index: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  q: storableText(200).optional(),
  status: z.enum(ANOMALY_STATUSES).optional(),
  sort: z.enum(['timestamp', 'severity', 'type', 'confidence', 'packet_index']).default('timestamp'),
  order: z.enum(['asc', 'desc']).default('desc'),
  ...Paging,
});

export const FileListQuery = z.strictObject({
  session_id: storableText(64).optional(),
  status: z.enum(FILE_STATUSES).optional(),
  ...Paging,
});

export const SessionListQuery = z.strictObject({ ...Paging });
/** Ids are UUIDs written in lower case; another case names the same record (Express routes it there too). */
export const IdParam = z.strictObject({
  id: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[A-Za-z0-9-]+$/, 'an id')
    .transform((s) => s.toLowerCase()),
});
