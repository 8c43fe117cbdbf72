import { z } from 'zod';
import { ANOMALY_STATUSES, FILE_STATUSES, SEVERITIES, ANOMALY_SOURCES } from '@l1t/contracts';

/** A repeated or comma-separated query value (`?type=a,b` or `?type=a&type=b`) as a validated list. */
const list = <T extends z.ZodType>(item: T) =>
  z.preprocess((v) => {
    const parts: unknown = Array.isArray(v) ? v : typeof v === 'string' ? v.split(',') : v;
    return Array.isArray(parts) ? parts.map((p) => String(p).trim()).filter(Boolean) : parts;
  }, z.array(item).max(50));

const isoTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'an ISO 8601 time');
export const Paging = {
  limit: z.coerce.number().int().min(1).max(10_000).default(100),
  offset: z.coerce.number().int().min(0).max(100_000_000).default(0),
};

/** Query of `GET /api/anomalies` (interfaces.md). */
export const AnomalyListQuery = z.strictObject({
  file_id: z.string().max(64).optional(),
  session_id: z.string().max(64).optional(),
  type: list(z.string().regex(/^[a-z][a-z0-9_]*$/)).optional(),
  severity: list(z.enum(SEVERITIES)).optional(),
  source: list(z.enum(ANOMALY_SOURCES)).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  eaxc: z.coerce.number().int().min(0).max(65535).optional(),
  packet_index: z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
  q: z.string().max(200).optional(),
  status: z.enum(ANOMALY_STATUSES).optional(),
  sort: z.enum(['timestamp', 'severity', 'type', 'confidence', 'packet_index']).default('timestamp'),
  order: z.enum(['asc', 'desc']).default('desc'),
  ...Paging,
});

export const FileListQuery = z.strictObject({
  session_id: z.string().max(64).optional(),
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
