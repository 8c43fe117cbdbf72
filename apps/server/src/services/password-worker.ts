import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * bcrypt comparisons off the event loop. bcryptjs is JavaScript: even its async form computes in slices of
 * up to 100 ms on the main thread, so 40 concurrent bad logins held every other request (even /healthz) for
 * ~300 ms (issue #17 defect 3). One worker thread compares, one at a time (a natural queue; the login
 * limits bound how long it can grow); the event loop only posts and receives messages.
 */
const BCRYPTJS = createRequire(import.meta.url).resolve('bcryptjs');

// The worker is a few lines of CommonJS evaluated in its own thread (no separate file to build or find).
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const bcrypt = require(${JSON.stringify(BCRYPTJS)});
parentPort.on('message', ({ id, password, hash }) => {
  let ok = false;
  try { ok = bcrypt.compareSync(password, hash); } catch { ok = false; }
  parentPort.postMessage({ id, ok });
});`;

let worker: Worker | undefined;
let nextId = 0;
const pending = new Map<number, { resolve(ok: boolean): void; reject(err: Error): void }>();

function theWorker(): Worker {
  if (worker) return worker;
  const w = new Worker(WORKER_SOURCE, { eval: true });
  w.unref(); // never keeps the process alive
  w.on('message', ({ id, ok }: { id: number; ok: boolean }) => {
    pending.get(id)?.resolve(ok);
    pending.delete(id);
  });
  w.on('error', (err) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
    worker = undefined;
  });
  w.on('exit', () => {
    if (worker === w) worker = undefined;
  });
  worker = w;
  return w;
}

/** bcrypt.compare on the worker thread. */
export function comparePassword(password: string, hash: string): Promise<boolean> {
  return new Promise((resolve, reject) => {
    const id = nextId++;
    pending.set(id, { resolve, reject });
    theWorker().postMessage({ id, password, hash });
  });
}
