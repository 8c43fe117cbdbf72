import type { Anomaly, Metric } from '@l1t/contracts';
import type { FullAnomalyStore } from '@l1t/store';
import { IncidentCollector } from './incident-collector.js';
import type { FileResultSink } from './result-sink.js';

export interface StoreSinkOptions {
  /** Rows gathered before one bulk insert (ClickHouse prefers few large inserts to many small ones). */
  bulkRows?: number;
  /** Rows queued or being written beyond which `drain()` makes the reader wait. */
  maxPendingRows?: number;
}

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
export function createStoreSink(store: FullAnomalyStore, options: StoreSinkOptions = {}): FileResultSink {
  const bulk = options.bulkRows ?? BULK_ROWS;
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
    queue = queue.then(async () => {
      try {
        if (failure === undefined) {
          await store.appendAnomalies(a);
          await store.insertMetrics(m);
        }
      } catch (err) {
        failure = err;
      } finally {
        pendingRows -= a.length + m.length;
      }
    });
  };
  const check = (): void => {
    if (failure !== undefined) throw failure;
  };

  return {
    async begin({ fileId, name }) {
      file = { fileId, name };
      while (writing.has(fileId)) await writing.get(fileId);
      const done = new Promise<void>((resolve) => (release = resolve));
      writing.set(fileId, done);
      void done.then(() => {
        if (writing.get(fileId) === done) writing.delete(fileId);
      });
      try {
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
        if (file) await store.replaceFileIncidents(file.fileId, incidents.incidents(file.fileId, file.name));
      } finally {
        release?.();
      }
    },
  };
}
