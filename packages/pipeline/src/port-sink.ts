import type { MessagePort } from 'node:worker_threads';
import type { FileResultSink } from './result-sink.js';

/**
 * A {@link FileResultSink} across a worker thread's MessagePort: the worker analyses, the main thread (which
 * holds the store handles; chDB binds one per process) writes. Every message is acknowledged once the main
 * thread's sink has taken it (after its `drain()`), and the worker lets at most {@link MAX_UNACKED} messages be
 * unacknowledged: backpressure reaches the reader in the worker, and memory stays bounded on both sides.
 */

type SinkMessage =
  | { kind: 'begin'; file: { fileId: string; name: string } }
  | { kind: 'anomalies'; batch: Parameters<FileResultSink['anomalies']>[0] }
  | { kind: 'metrics'; batch: Parameters<FileResultSink['metrics']>[0] }
  | { kind: 'end' };

type SinkReply = { ok: true } | { ok: false; error: string };

const MAX_UNACKED = 4;

/** Worker side: a sink that posts to `port`. */
export function portSink(port: MessagePort): FileResultSink {
  let unacked = 0;
  let failure: Error | undefined;
  let wake: (() => void) | undefined;
  port.on('message', (reply: SinkReply) => {
    unacked--;
    if (!reply.ok) failure ??= new Error(reply.error);
    wake?.();
  });
  const post = (m: SinkMessage): void => {
    unacked++;
    port.postMessage(m);
  };
  const until = async (limit: number): Promise<void> => {
    while (unacked > limit && failure === undefined) await new Promise<void>((resolve) => (wake = resolve));
    wake = undefined;
    if (failure) throw failure;
  };
  return {
    async begin(file) {
      post({ kind: 'begin', file });
      await until(0);
    },
    anomalies(batch) {
      if (batch.length > 0) post({ kind: 'anomalies', batch });
    },
    metrics(batch) {
      if (batch.length > 0) post({ kind: 'metrics', batch });
    },
    drain: () => until(MAX_UNACKED),
    async end() {
      post({ kind: 'end' });
      try {
        await until(0);
      } finally {
        port.close();
      }
    },
  };
}

/**
 * Main-thread side: hands what arrives on `port` to `sink`, in order, acknowledging each message once taken.
 * Resolves after `end`, or when the port closes first (a worker that failed before its end: the sink is ended).
 */
export function servePortSink(port: MessagePort, sink: FileResultSink): Promise<void> {
  return new Promise<void>((resolve) => {
    let chain: Promise<void> = Promise.resolve();
    let failed = false;
    let ended = false;
    port.on('message', (m: SinkMessage) => {
      chain = chain.then(async () => {
        let reply: SinkReply = { ok: true };
        try {
          if (failed) throw new Error('an earlier write failed');
          if (m.kind === 'begin') await sink.begin(m.file);
          else if (m.kind === 'anomalies') {
            sink.anomalies(m.batch);
            await sink.drain();
          } else if (m.kind === 'metrics') {
            sink.metrics(m.batch);
            await sink.drain();
          } else {
            ended = true;
            await sink.end();
          }
        } catch (err) {
          failed = true;
          reply = { ok: false, error: err instanceof Error ? err.message : String(err) };
        }
        port.postMessage(reply);
        if (m.kind === 'end') {
          port.close();
          resolve();
        }
      });
    });
    // A worker that died before its end (a crash, an exit): end the sink here, so that it lets go of the file.
    port.on(
      'close',
      () => void chain.then(() => (ended ? undefined : sink.end().catch(() => undefined))).then(() => resolve()),
    );
  });
}
