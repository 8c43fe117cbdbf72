import { Worker } from 'node:worker_threads';

/**
 * The sha256 of a file on disk computed on a worker thread (its own read of the file), so that hashing a
 * large capture overlaps its analysis on this thread instead of preceding it. The worker is inline
 * CommonJS (`eval`): it runs the same from the compiled pipeline and from its TypeScript sources.
 *
 * The worker reads synchronously into one reused 4 MiB buffer (the thread has nothing else to do): a read
 * stream allocated a fresh 4 MiB buffer per chunk and ran the stream machinery, 0.68–0.88 CPU-s for a 300 MB
 * file against 0.35–0.38 this way, worker start-up (~0.08) included (issue 14; measured at host load ~13).
 */
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { closeSync, openSync, readSync } = require('node:fs');
try {
  const hash = createHash('sha256');
  const fd = openSync(workerData.path, 'r');
  try {
    const buf = Buffer.allocUnsafe(4 << 20);
    for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  parentPort.postMessage({ sha256: hash.digest('hex') });
} catch (e) {
  parentPort.postMessage({ error: { message: e.message, code: e.code } });
}
`;

interface HashReply {
  sha256?: string;
  error?: { message: string; code?: string };
}

export function hashFileOnWorker(path: string, signal?: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    // execArgv []: not the parent's flags (`--input-type=module` would make the CommonJS source a module)
    const worker = new Worker(HASH_WORKER, { eval: true, workerData: { path }, execArgv: [] });
    const onAbort = (): void => {
      void worker.terminate();
      reject(signal!.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    const done = (): void => {
      signal?.removeEventListener('abort', onAbort);
    };
    worker.once('message', (m: HashReply) => {
      done();
      if (m.sha256 !== undefined) resolve(m.sha256);
      // the read error as the fs call gave it (code ENOENT, EACCES …): analyze-file names the reason
      else reject(Object.assign(new Error(m.error?.message ?? 'hash failed'), { code: m.error?.code }));
    });
    worker.once('error', (err) => {
      done();
      reject(err);
    });
  });
}
