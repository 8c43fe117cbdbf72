import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

/** Read size of a file-backed input, and how many such buffers are kept for reuse. */
const FILE_CHUNK_BYTES = 4 << 20;
const FILE_CHUNK_POOL = 4;

interface PoolSlot {
  buf: Uint8Array;
  /** Absolute end offset of the file bytes the buffer holds (Infinity while handed out and unread). */
  end: number;
}

/**
 * The file's bytes in chunks of {@link FILE_CHUNK_BYTES}, each read into a pooled buffer whose previous
 * bytes the consumer has released (`released()`: nothing before that offset is referenced any more), or
 * into a fresh buffer when every pooled one is still held (a record spanning several chunks).
 */
export async function* pooledFileChunks(path: string, released: () => number): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    const pool: PoolSlot[] = [];
    let position = 0;
    for (;;) {
      const free = released();
      let slot = pool.find((s) => s.end <= free);
      if (slot === undefined) {
        slot = { buf: new Uint8Array(FILE_CHUNK_BYTES), end: Infinity };
        if (pool.length < FILE_CHUNK_POOL) pool.push(slot);
      }
      slot.end = Infinity;
      const { bytesRead } = await fh.read(slot.buf, 0, FILE_CHUNK_BYTES, position);
      if (bytesRead === 0) return;
      position += bytesRead;
      slot.end = position;
      yield bytesRead === FILE_CHUNK_BYTES ? slot.buf : slot.buf.subarray(0, bytesRead);
    }
  } finally {
    await fh.close();
  }
}

/**
 * The sha256 of a file on disk, read once ahead of its analysis when results are streamed: the file's id
 * (and so every anomaly id and row key) follows from its content and must be known before the first batch.
 * Read into one reused buffer ({@link pooledFileChunks}, every chunk released once hashed), not a read
 * stream's fresh buffer per chunk (as the sha256 worker, hash-worker.ts).
 */
export async function hashFile(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  signal?.throwIfAborted();
  for await (const chunk of pooledFileChunks(path, () => Infinity)) {
    signal?.throwIfAborted();
    hash.update(chunk);
  }
  return hash.digest('hex');
}
