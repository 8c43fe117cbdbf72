import type { Anomaly, Metric } from '@l1t/contracts';

/**
 * Where analyzeFile() hands a file's findings and metrics while it is still reading the file, so that memory
 * stays bounded whatever the file's size (issue 12). The calls come in this order: `begin` once, then
 * `anomalies`/`metrics` any number of times with `drain` awaited between input chunks, then `end` once.
 */
export interface FileResultSink {
  /** The file's id is known; nothing was handed over yet. A store deletes the file's earlier rows here. */
  begin(file: { fileId: string; name: string }): Promise<void>;
  /** A batch of complete findings (ids, file and session keys filled in). Queues only. */
  anomalies(batch: Anomaly[]): void;
  metrics(batch: Metric[]): void;
  /** Resolves once little enough is queued for the reader to go on (backpressure); rejects on a write error. */
  drain(): Promise<void>;
  /** Resolves once everything handed over is written. */
  end(): Promise<void>;
}

/** A sink that remembers whether it was begun and ended; `settle()` ends it if it was begun and not ended. */
export function settledSink(s: FileResultSink): FileResultSink & { settle(): Promise<void> } {
  let begun = false;
  let ended = false;
  return {
    begin: (file) => ((begun = true), s.begin(file)),
    anomalies: (b) => s.anomalies(b),
    metrics: (b) => s.metrics(b),
    drain: () => s.drain(),
    end: () => ((ended = true), s.end()),
    settle: async () => {
      if (begun && !ended) await s.end().catch(() => undefined);
    },
  };
}

/** One sink that hands everything to several (the store and the CLI's output, say). */
export function teeSinks(...sinks: (FileResultSink | undefined)[]): FileResultSink {
  const all = sinks.filter((s): s is FileResultSink => s !== undefined);
  return {
    async begin(file) {
      for (const s of all) await s.begin(file);
    },
    anomalies(batch) {
      for (const s of all) s.anomalies(batch);
    },
    metrics(batch) {
      for (const s of all) s.metrics(batch);
    },
    async drain() {
      await Promise.all(all.map((s) => s.drain()));
    },
    async end() {
      await Promise.all(all.map((s) => s.end()));
    },
  };
}

/** A sink that only calls `each` per anomaly (metrics are dropped): the CLI's jsonl, json and table outputs. */
export function anomalyCallbackSink(each: (a: Anomaly) => void | Promise<void>): FileResultSink {
  let pending: Promise<void> = Promise.resolve();
  let failure: unknown;
  return {
    begin: () => Promise.resolve(),
    anomalies(batch) {
      pending = pending
        .then(async () => {
          for (const a of batch) await each(a);
        })
        .catch((err: unknown) => {
          failure ??= err;
        });
    },
    metrics: () => undefined,
    async drain() {
      await pending;
      if (failure !== undefined) throw failure;
    },
    async end() {
      await pending;
      if (failure !== undefined) throw failure;
    },
  };
}
