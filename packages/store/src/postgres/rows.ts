import type { FileInfo, FileStatus } from '@l1t/contracts';
import type { JobRecord, KnowledgeDocument, RecommendationRecord, UserRecord } from '../types.js';
import type { analysisJobs, files, knowledgeDocuments, recommendations, users } from './schema.js';

/** Row ↔ API shape mapping of the metadata tables (timestamps as ISO strings). */
export const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
export const isoReq = (d: Date): string => d.toISOString();
export const date = (s: string | null | undefined): Date | null => (s === null || s === undefined ? null : new Date(s));

type FileRow = typeof files.$inferSelect;
export function toFileInfo(r: FileRow): FileInfo {
  return {
    id: r.id,
    session_id: r.sessionId,
    name: r.name,
    path: r.path,
    size: r.size,
    sha256: r.sha256,
    format: r.format as FileInfo['format'],
    format_detail: r.formatDetail,
    status: r.status as FileStatus,
    progress: r.progress,
    anomaly_count: r.anomalyCount,
    packet_count: r.packetCount,
    error: r.error,
    warning: r.warning,
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt),
    duration_ms: r.durationMs,
    created_at: isoReq(r.createdAt),
  };
}

type JobRow = typeof analysisJobs.$inferSelect;
export function toJob(
  r: JobRow,
): JobRecord & { payload: Record<string, unknown>; runAfter: string; maxAttempts: number } {
  return {
    id: r.id,
    fileId: r.fileId,
    status: r.status,
    attempts: r.attempts,
    lockedBy: r.lockedBy,
    error: r.error,
    payload: r.payload,
    runAfter: isoReq(r.runAfter),
    maxAttempts: r.maxAttempts,
  };
}

type UserRow = typeof users.$inferSelect;
export const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.passwordHash,
  role: r.role,
  createdAt: isoReq(r.createdAt),
});

type RecRow = typeof recommendations.$inferSelect;
export const toRec = (r: RecRow): RecommendationRecord => ({
  anomalyId: r.anomalyId,
  provider: r.provider,
  model: r.model,
  promptVersion: r.promptVersion,
  text: r.text,
  usage: r.usage,
  cost: r.cost,
  createdAt: isoReq(r.createdAt),
});

type DocRow = typeof knowledgeDocuments.$inferSelect;
export const toDoc = (r: Omit<DocRow, 'id' | 'search'>): KnowledgeDocument => ({
  slug: r.slug,
  title: r.title,
  anomalyType: r.anomalyType,
  body: r.body,
  tags: r.tags,
  updatedAt: isoReq(r.updatedAt),
});
