import type { Profile } from '@l1t/contracts';
import { createHash, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { sniffFormat, SNIFF_HEAD_BYTES } from '@l1t/capture';
import type { FileInfo } from '@l1t/contracts';
import { fileIdFromSha256 } from '@l1t/pipeline';
import type { FullMetadataStore } from '@l1t/store';
import { ApiError } from '../api-error.js';

export interface UploadOutcome {
  created: boolean;
  file: FileInfo;
}

/** A display name from the client's file name: no folders, no control characters, bounded. */
export function safeUploadName(raw: string | undefined): string {
  const name = [...basename(String(raw ?? '').replace(/\\/g, '/'))]
    .filter((c) => c.charCodeAt(0) >= 0x20 && c.charCodeAt(0) !== 0x7f)
    .join('')
    .slice(0, 200)
    .trim();
  return name || 'upload';
}

/** A partial upload untouched this long is a leftover (an active upload writes far more often). */
export const STALE_UPLOAD_MS = 15 * 60_000;

/**
 * Removes partial uploads under `<uploadDir>/tmp` not written to for `olderThanMs` (left by a crash or a
 * kill -9). Only stale ones: on EKS several pods share the folder (EFS) and another may be receiving.
 * Returns how many were removed.
 */
export async function sweepStaleUploads(
  uploadDir: string,
  olderThanMs = STALE_UPLOAD_MS,
  now = Date.now(),
): Promise<number> {
  const tmpDir = join(uploadDir, 'tmp');
  const names = await readdir(tmpDir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const path = join(tmpDir, name);
    const st = await stat(path).catch(() => undefined);
    if (!st || now - st.mtimeMs < olderThanMs) continue;
    await rm(path, { force: true, recursive: true });
    removed++;
  }
  return removed;
}

/**
 * Streams one uploaded file to disk (never buffered whole), hashing it and recognising its format from the
 * first bytes; stores it content-addressed, records it and queues its analysis. The same bytes uploaded
 * again answer with the existing record.
 */
export class UploadService {
  constructor(
    private readonly metadata: FullMetadataStore,
    private readonly uploadDir: string,
    private readonly maxBytes: number,
    private readonly onQueued: () => void,
  ) {}

  /**
   * `batchId`: the session of the batch this file came with; created with the first file (named
   * `sessionName`), and every file of the batch is recorded in it, so the batch shows as one session at once.
   */
  async receive(
    stream: Readable,
    clientName: string | undefined,
    sessionName: string,
    batchId?: string,
    profile?: Profile,
  ): Promise<UploadOutcome> {
    const tmpDir = join(this.uploadDir, 'tmp');
    await mkdir(tmpDir, { recursive: true });
    const tmp = join(tmpDir, randomUUID());
    const hash = createHash('sha256');
    const head: Buffer[] = [];
    let headBytes = 0;
    let size = 0;
    const out = createWriteStream(tmp, { flags: 'wx' });
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        size += chunk.length;
        if (size > this.maxBytes) {
          stream.resume(); // drain the rest of the request without keeping it
          throw new ApiError(413, 'too_large', `upload exceeds the limit of ${this.maxBytes} bytes`);
        }
        hash.update(chunk);
        if (headBytes < SNIFF_HEAD_BYTES) {
          head.push(chunk);
          headBytes += chunk.length;
        }
        // once() rejects on 'error': a full disk (ENOSPC) ends the upload instead of waiting for a drain.
        if (!out.write(chunk)) await once(out, 'drain');
      }
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
      if (size === 0) throw new ApiError(400, 'empty_file', 'the uploaded file is empty');
      const guess = sniffFormat(Buffer.concat(head).subarray(0, SNIFF_HEAD_BYTES));
      if (guess.format === 'unknown') {
        throw new ApiError(415, 'unrecognised_format', `not a capture or log this system reads (${guess.detail})`);
      }
      const sha256 = hash.digest('hex');
      const existing = await this.metadata.getFileBySha256(sha256);
      if (existing) {
        await rm(tmp, { force: true });
        // A file whose analysis failed or was given up is analysed again when uploaded again (it returned
        // the stuck record and could never be retried); a queued or running one is not queued twice.
        if (existing.status === 'failed' && existing.path && (await this.stored(existing))) {
          return await this.queue(existing, { sessionName });
        }
        return { created: false, file: existing };
      }
      const finalDir = join(this.uploadDir, sha256.slice(0, 2));
      await mkdir(finalDir, { recursive: true });
      const finalPath = join(finalDir, sha256);
      await rename(tmp, finalPath);
      const id = fileIdFromSha256(sha256);
      if (batchId)
        await this.metadata.createSession({ id: batchId, name: sessionName, startedAt: new Date().toISOString() });
      const file = await this.metadata.upsertFile({
        id,
        sessionId: batchId ?? null,
        name: safeUploadName(clientName),
        path: finalPath,
        size,
        sha256,
        format: guess.format,
        formatDetail: guess.detail,
      });
      return await this.queue(file, {
        sessionName,
        ...(batchId ? { sessionId: batchId } : {}),
        ...(profile ? { profile } : {}),
      });
    } catch (caught) {
      const err =
        (caught as NodeJS.ErrnoException)?.code === 'ENOSPC' || (caught as NodeJS.ErrnoException)?.code === 'EDQUOT'
          ? new ApiError(507, 'disk_full', 'the server has no room left for this upload', { cause: caught })
          : caught;
      // The file may still be opening: remove it only once the stream has closed, or it would reappear.
      if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()).destroy());
      await rm(tmp, { force: true });
      throw err;
    }
  }

  /**
   * Queues the file's analysis once: two identical uploads at once both reached here and the file was
   * analysed twice; the second now answers the first one's record (200).
   */
  private async queue(file: FileInfo, payload: Record<string, unknown>): Promise<UploadOutcome> {
    const { created } = await this.metadata.enqueueJobOnce(file.id, payload);
    if (!created) return { created: false, file: (await this.metadata.getFile(file.id)) ?? file };
    await this.metadata.updateFile(file.id, { status: 'queued', progress: 0, error: null });
    this.onQueued();
    return { created: true, file: { ...file, status: 'queued', progress: 0, error: null } };
  }

  /** True when the stored copy of a file is still on disk (re-analysis needs it). */
  async stored(file: FileInfo): Promise<boolean> {
    if (!file.path) return false;
    return stat(file.path).then(
      () => true,
      () => false,
    );
  }
}
