import { Worker } from 'node:worker_threads';

/**
 * The sha256 of a file on disk computed on a worker thread (its own read of the file), so that hashing a
 * large capture overlaps its analysis on this thread instead of preceding it. The worker is inline
 * CommonJS (`eval`): it runs the same from the compiled pipeline and from its TypeScript sources.
 */
const HASH_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { createReadStream } = require('node:fs');
const hash = createHash('sha256');
createReadStream(workerData.path, { highWaterMark: 4 << 20 })
  .on('data', (c) => hash.update(c))
  .on('error', (e) => parentPort.postMessage({ error: { message: e.message, code: e.code } }))
  .on('end', () => parentPort.postMessage({ sha256: hash.digest('hex') }));
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
