import { createHash } from 'node:crypto';

/** Formats 16 bytes of a digest as an RFC 9562 version-8 (custom) UUID. */
function digestToUuid(digest: Buffer): string {
  const b = Buffer.from(digest.subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x80; // version 8
  b[8] = (b[8]! & 0x3f) | 0x80; // RFC variant
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** A file's id follows from its content, so the same bytes are the same file wherever they come from. */
export function fileIdFromSha256(sha256: string): string {
  return digestToUuid(createHash('sha256').update(`file:${sha256}`).digest());
}

/**
 * An anomaly's id follows from its file and identity, so re-analysing a file yields the same ids (and a
 * stored status or recommendation stays attached to the same finding).
 */
export function anomalyId(fileId: string, parts: readonly unknown[]): string {
  return digestToUuid(
    createHash('sha256')
      .update(`anomaly:${fileId}:${JSON.stringify(parts)}`)
      .digest(),
  );
}

/** An incident's id follows from its file and its first member finding, so a re-analysis keeps it. */
export function incidentId(fileId: string, firstFindingId: string): string {
  return digestToUuid(createHash('sha256').update(`incident:${fileId}:${firstFindingId}`).digest());
}

/**
 * The session of an analysis job that is not part of a batch: derived from the job, so a retry after a
 * killed worker records into the same session and closes it, instead of leaving the first one "running".
 */
export function jobSessionId(jobId: string): string {
  return digestToUuid(createHash('sha256').update(`job-session:${jobId}`).digest());
}

export function newSessionId(): string {
  return globalThis.crypto.randomUUID();
}
