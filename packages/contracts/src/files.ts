import { z } from 'zod';

/** Formats recognised from content (magic bytes), never from the file name. */
export const FILE_FORMATS = ['pcap', 'pcapng', 'diag_hdlc', 'qmdl2', 'dlf', 'isf', 'text', 'unknown'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const FILE_STATUSES = ['queued', 'analysing', 'done', 'failed'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** A file known to the system (API `GET /api/files`). */
export const FileInfo = z.object({
  id: z.string(),
  session_id: z.string().nullable(),
  name: z.string(),
  path: z.string().nullable(),
  size: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  format: z.enum(FILE_FORMATS),
  format_detail: z.string().nullable(),
  status: z.enum(FILE_STATUSES),
  progress: z.number().min(0).max(1),
  anomaly_count: z.number().int().min(0),
  packet_count: z.number().int().min(0),
  error: z.string().nullable(),
  warning: z.string().nullable(),
  started_at: z.string().nullable(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
  created_at: z.string(),
});
export type FileInfo = z.infer<typeof FileInfo>;

export const SESSION_STATUSES = ['running', 'done', 'failed', 'partial'] as const;
export type SessionStatus = (typeof SESSION_STATUSES)[number];

/** An analysis session: one `l1t analyze` run or one batch of uploads. */
export const Session = z.object({
  id: z.string(),
  name: z.string(),
  status: z.enum(SESSION_STATUSES),
  files_processed: z.number().int().min(0),
  files_failed: z.number().int().min(0),
  anomalies_detected: z.number().int().min(0),
  started_at: z.string(),
  finished_at: z.string().nullable(),
  duration_ms: z.number().nullable(),
});
export type Session = z.infer<typeof Session>;
