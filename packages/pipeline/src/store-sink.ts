import type { Anomaly, Metric } from '@l1t/contracts';
import type { FullAnomalyStore } from '@l1t/store';
import { isStoreConnectionFailure } from './store-errors.js';
import { IncidentCollector } from './incident-collector.js';
import type { FileResultSink } from './result-sink.js';
import type { SpoolRun, StoreSpool } from './store-spool.js';

export interface StoreSinkOptions {
  /** Rows gathered before one bulk insert (ClickHouse prefers few large inserts to many small ones). */
  bulkRows?: number;
  /** Rows queued or being written beyond which `drain()` makes the reader wait. */
  maxPendingRows?: number;
  /**
   * Where writes go while ClickHouse is unreachable (job runner). Without it an unreachable ClickHouse fails
   * the file, as any write error does.
   */
  spool?: StoreSpool;
}

/**
 * A store sink; `run` is its spool run (with a spool, once begun): `run.active` when rows went to disk because
 * ClickHouse was unreachable. Its owner commits the run when the job completes, or discards it.
 */
export type StoreSink = FileResultSink & { readonly run: SpoolRun | undefined };

const BULK_ROWS = 5_000;
const MAX_PENDING_ROWS = 20_000;

/**
 * Files being written in this process, by id. The same content under two names analysed at once (two
 * workers) would interleave one's DELETE with the other's inserts: the second waits for the first to end.
 */
const writing = new Map<string, Promise<void>>();

/**
 * Writes one file's streamed findings and metrics to the ClickHouse store in bulk while the file is read.
 * `begin` deletes the file's earlier rows (re-analysis replaces, never duplicates); then rows are inserted
 * with `appendAnomalies` (ids are unique per file: AnomalyIdentity) one bulk insert at a time, in order.
 * Backpressure: `drain()` waits while more than `maxPendingRows` are queued or in flight, so a slow store
 * slows the reader instead of letting rows pile up in memory.
 */
export function createStoreSink(store: FullAnomalyStore, options: StoreSinkOptions = {}): StoreSink {
  const bulk = options.bulkRows ?? BULK_ROWS;
  let run: SpoolRun | undefined;
  let batchSeq = 0;
  const maxPending = options.maxPendingRows ?? MAX_PENDING_ROWS;
  let anomalies: Anomaly[] = [];
  let metrics: Metric[] = [];
  let pendingRows = 0;
  let queue: Promise<void> = Promise.resolve();
  let failure: unknown;
  let release: (() => void) | undefined;
  let file: { fileId: string; name: string } | undefined;
  // Incidents group the whole file's findings: formed once its last finding is written (anomalies.md §Incidents).
  const incidents = new IncidentCollector();

  const flush = (): void => {
    if (anomalies.length === 0 && metrics.length === 0) return;
    const a = anomalies;
    const m = metrics;
    anomalies = [];
    metrics = [];
    // Each batch has a token of its own (its run and number): sent twice — its answer was lost when the
    // server went away, then replayed from the spool — it is stored once (migration 0005).
    const token = run ? `${run.id}:${++batchSeq}` : undefined;
    queue = queue.then(async () => {
      try {
        if (failure === undefined) await write(a, m, token);
      } catch (err) {
        failure = err;
      } finally {
        pendingRows -= a.length + m.length;
      }
    });
  };
  /**
   * Writes one batch; with a spool, a ClickHouse that cannot be reached sends this batch and every later one
   * of the run to the spool instead (in order; the flush writes them when it answers again).
   */
  const write = async (a: Anomaly[], m: Metric[], token: string | undefined): Promise<void> => {
    const aToken = token && { deduplicationToken: `${token}:a` };
    const mToken = token && { deduplicationToken: `${token}:m` };
    if (!run?.active) {
      try {
        await store.appendAnomalies(a, aToken || undefined);
        await store.insertMetrics(m, mToken || undefined);
        return;
      } catch (err) {
        if (!run || !(await isStoreConnectionFailure(err))) throw err;
      }
    }
    // Both halves go to the spool: one that did land before the failure is dropped on replay by its token.
    if (a.length > 0) await run.append({ kind: 'anomalies', token: aToken ? aToken.deduplicationToken : '', rows: a });
    if (m.length > 0) await run.append({ kind: 'metrics', token: mToken ? mToken.deduplicationToken : '', rows: m });
  };
  const check = (): void => {
    if (failure !== undefined) throw failure;
  };

  return {
    get run() {
      return run;
    },
    async begin({ fileId, name }) {
      file = { fileId, name };
      while (writing.has(fileId)) await writing.get(fileId);
      const done = new Promise<void>((resolve) => (release = resolve));
      writing.set(fileId, done);
      void done.then(() => {
        if (writing.get(fileId) === done) writing.delete(fileId);
      });
      try {
        // An earlier analysis' spooled rows would land after this one's: they are dropped first.
        await options.spool?.supersede(fileId);
        run = options.spool?.run(fileId);
        await store.deleteFileResults([fileId]);
      } catch (err) {
        release!();
        throw err;
      }
    },
    anomalies(batch) {
      incidents.add(batch);
      for (const a of batch) anomalies.push(a);
      pendingRows += batch.length;
      if (anomalies.length + metrics.length >= bulk) flush();
    },
    metrics(batch) {
      for (const m of batch) metrics.push(m);
      pendingRows += batch.length;
      if (anomalies.length + metrics.length >= bulk) flush();
    },
    async drain() {
      while (pendingRows > maxPending && failure === undefined) {
        if (anomalies.length + metrics.length > 0) flush();
        await queue;
      }
      check();
    },
    async end() {
      try {
        flush();
        await queue;
        check();
        if (file) {
          const found = incidents.incidents(file.fileId, file.name);
          if (run?.active) await run.append({ kind: 'incidents', fileId: file.fileId, rows: found });
          else
            try {
              await store.replaceFileIncidents(file.fileId, found);
            } catch (err) {
              if (!run || !(await isStoreConnectionFailure(err))) throw err;
              await run.append({ kind: 'incidents', fileId: file.fileId, rows: found });
            }
        }
      } finally {
        release?.();
      }
    },
  };
}
