import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { SNIFF_HEAD_BYTES, sniffFormat } from '@l1t/capture';
import type { Anomaly, FileFormat, Metric, Profile } from '@l1t/contracts';
import { InputError, type AnalyzerFactory, type DecodeSummary } from './analysis-types.js';
import type { FileViews } from '@l1t/detect';
import { createAnalyzer } from './analyzers/registry.js';
import { hashFile, pooledFileChunks } from './file-chunks.js';
import { hashFileOnWorker } from './hash-worker.js';
import { fileIdFromSha256 } from './ids.js';
import { ResultCollector, type ResultCounts } from './result-collector.js';
import { settledSink, type FileResultSink } from './result-sink.js';

/** Where a file's bytes come from: a path, standard input or an uploaded file on disk. */
export interface AnalyzeInput {
  /** Name recorded and printed (a path relative to what the user gave, `-` for stdin, the upload's name). */
  name: string;
  /** Absolute path when the file is on disk. */
  path?: string;
  /** Size when known in advance (progress); stdin has none. */
  size?: number;
  open(): AsyncIterable<Uint8Array>;
  /**
   * True when `open()` only streams the file at `path` (fileInput): analyzeFile then reads that file
   * itself, into a few large buffers it reuses once the analyzer no longer refers to their bytes — no
   * buffer allocated, and none for the garbage collector, per chunk.
   */
  fileBacked?: boolean;
}

/**
 * An analyzer that can say which input it still refers to: nothing before the returned absolute input
 * offset (`Infinity`: it will not read any pushed chunk again). Without it, no buffer is reused.
 */
export interface ReleasingAnalyzer {
  releasedBefore(): number;
}

export interface AnalyzeOptions {
  profile?: Profile;
  sessionId?: string;
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  signal?: AbortSignal;
  /** Replaces the analyzer registry (tests, future plug-ins). */
  analyzerFactory?: AnalyzerFactory;
  /**
   * Streams the findings and metrics here as they close instead of returning them (`streamed: true`, empty
   * `anomalies`/`metrics`): memory stays bounded whatever the file's size. A file on disk is hashed first,
   * so that its id is known before the first batch; standard input is kept and handed over at its end.
   */
  sink?: FileResultSink;
  /**
   * The file's sha256 when it is already known (an upload was hashed on arrival): streaming then skips the
   * read-ahead hash (~4 s per 3.6 GB). Bytes that no longer match fail the file, as a file changed while
   * it was analysed does.
   */
  knownSha256?: string;
  /**
   * Streaming a file on disk at least this large (default 64 MiB): its sha256 is computed on a worker thread
   * while the analysis runs, instead of read ahead on this thread (findings wait for the id meanwhile).
   */
  hashOnWorkerFromBytes?: number;
  /**
   * Rows (findings + metrics) kept while that hash runs (default 65,536, ~10 MB): past it the analysis waits
   * for the hash, so memory does not grow with the file whatever the host's load does to the hashing thread.
   */
  maxRowsHeldForHash?: number;
  /**
   * The file views (`FileResult.views`: the file analysis page's flow table, timing histograms and PRB
   * heatmaps) are wanted; default true. `false` when nothing keeps them (the CLI's `--no-store`): the PRB
   * heatmaps and the decoder's per-PRB sums they are drawn from are not computed, and the result has no
   * `views` (findings, metrics and the summary are the same; its detected timing mode and references are
   * still collected).
   */
  views?: boolean;
}

/** Files from this size on are hashed beside their analysis (a worker thread costs ~30 ms to start). */
const HASH_ON_WORKER_FROM_BYTES = 64 << 20;
const MAX_ROWS_HELD_FOR_HASH = 1 << 16;

/** The outcome of one file: what the CLI prints, the job runner reports and the stores record. */
export interface FileResult {
  fileId: string;
  name: string;
  path: string | null;
  size: number;
  sha256: string;
  format: FileFormat;
  formatDetail: string;
  status: 'done' | 'failed';
  summary: DecodeSummary;
  /** Every finding, in time order; empty when they were streamed to `AnalyzeOptions.sink`. */
  anomalies: Anomaly[];
  metrics: Metric[];
  /** Findings and metrics went to `AnalyzeOptions.sink` (and are not in `anomalies`/`metrics`). */
  streamed: boolean;
  /** How many findings (by type and severity) and metrics the file gave, streamed or not. */
  counts: ResultCounts;
  /** What the file analysis page shows (captures with O-RAN traffic), stored beside the file. */
  views?: FileViews;
  /** One line: `offset N: reason` (the file name is printed beside it). */
  error?: string;
  errorOffset?: number;
  warning?: string;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
}

const EMPTY_SUMMARY = (): DecodeSummary => ({ records: 0, unknownRecords: 0, malformedRecords: 0, details: {} });

function readFailure(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  const reasons: Record<string, string> = {
    ENOENT: 'no such file or directory',
    EACCES: 'permission denied',
    EISDIR: 'is a directory',
    EIO: 'input/output error',
  };
  return code ? (reasons[code] ?? `cannot read (${code})`) : undefined;
}

/**
 * The one analysis pipeline (DESIGN.md: the CLI and the server's job runner both call it): streams the file
 * once, hashing it, recognising its format from the first bytes, and feeding an analyzer chunk by chunk.
 * Input faults become a failed result with a located one-line error; anything else is an internal error.
 * With `options.sink` the findings and metrics leave as they close, and the reader waits for the sink
 * between chunks (backpressure: a slow store slows the reader instead of filling memory).
 */
export async function analyzeFile(input: AnalyzeInput, options: AnalyzeOptions = {}): Promise<FileResult> {
  if (!options.sink) return analyze(input, options);
  const sink = settledSink(options.sink);
  try {
    return await analyze(input, { ...options, sink });
  } catch (err) {
    // An internal error leaves the sink begun: end it, so that nothing waits on it (a store sink holds the file).
    await sink.settle();
    throw err;
  }
}

async function analyze(input: AnalyzeInput, options: AnalyzeOptions): Promise<FileResult> {
  const started = new Date();
  const t0 = performance.now();
  const hash = createHash('sha256');
  const factory = options.analyzerFactory ?? createAnalyzer;
  const sink = options.sink;
  const collector = new ResultCollector(
    { file: input.name, ...(options.sessionId ? { sessionId: options.sessionId } : {}) },
    sink,
  );
  const ctx = {
    fileName: input.name,
    profile: options.profile,
    ...(options.signal ? { signal: options.signal } : {}),
    ...(sink ? { sink: collector } : {}),
    ...(options.views === false ? { views: false } : {}),
  };

  let bytesRead = 0;
  let head: Uint8Array[] | undefined = [];
  let headBytes = 0;
  let format: FileFormat = 'unknown';
  let formatDetail = 'empty file';
  let analyzer: ReturnType<AnalyzerFactory> | undefined;
  let failure: InputError | undefined;
  let output: ReturnType<ReturnType<AnalyzerFactory>['finish']> | undefined;
  /**
   * The sha256 whose id the streamed rows carry: known (an upload), read ahead of the analysis, or hashed on a
   * worker thread beside it (rows wait until it is known).
   */
  let aheadSha256: string | undefined;
  /** A file on disk: hashed once (ahead or beside), so not again in line; a change is seen by its stat. */
  let fileStat: { size: number; mtimeMs: number; ino: number } | undefined;
  let besideSha256: Promise<string> | undefined;
  let besideDone: string | undefined;

  const startAnalyzer = (): void => {
    const all = concat(head ?? [], headBytes);
    head = undefined;
    const guess = sniffFormat(all);
    format = guess.format;
    formatDetail = guess.detail;
    try {
      if (all.length === 0) throw new InputError(input.name, 0, 'empty file');
      analyzer = factory(format, formatDetail, ctx);
      analyzer.push(all);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      failure = err;
    }
  };

  // What the analyzer still refers to: with no analyzer (yet) everything; after a failure nothing.
  const released = (): number => {
    if (failure) return Infinity;
    const a = analyzer as Partial<ReleasingAnalyzer> | undefined;
    return a?.releasedBefore ? a.releasedBefore() : 0;
  };
  const fileBacked = input.fileBacked === true && input.path !== undefined;
  let sinkError: unknown;
  const sinkCall = async (p: Promise<void>): Promise<void> => {
    try {
      await p;
    } catch (err) {
      sinkError = err;
      throw err;
    }
  };

  const beginStreaming = async (sha256: string): Promise<void> => {
    aheadSha256 = sha256;
    const fileId = fileIdFromSha256(sha256);
    collector.start(fileId);
    await sinkCall(sink!.begin({ fileId, name: input.name }));
  };

  try {
    if (sink && fileBacked) {
      if (options.knownSha256 !== undefined) await beginStreaming(options.knownSha256);
      else {
        const st = await stat(input.path!);
        fileStat = { size: st.size, mtimeMs: st.mtimeMs, ino: st.ino };
        if (st.size >= (options.hashOnWorkerFromBytes ?? HASH_ON_WORKER_FROM_BYTES)) {
          besideSha256 = hashFileOnWorker(input.path!, options.signal);
          besideSha256.then(
            (h) => (besideDone = h),
            () => {},
          );
        } else await beginStreaming(await hashFile(input.path!, options.signal));
      }
    }
    const chunks = fileBacked ? pooledFileChunks(input.path!, released) : input.open();
    for await (const chunk of chunks) {
      options.signal?.throwIfAborted();
      if (fileStat === undefined) hash.update(chunk);
      bytesRead += chunk.length;
      if (besideDone !== undefined && !collector.streaming) {
        await beginStreaming(besideDone);
        await sinkCall(collector.flushHeld());
      }
      if (head) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes >= SNIFF_HEAD_BYTES) startAnalyzer();
      } else if (analyzer && !failure) {
        try {
          analyzer.push(chunk);
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
          failure = err;
        }
      }
      // The hash beside is late (a busy host, a UE log that makes thousands of metric rows per MB): wait for it
      // rather than keep rows in proportion to the file (bench:diag: +46 MB of held rows from 100 to 400 MB).
      if (
        besideSha256 !== undefined &&
        !collector.streaming &&
        collector.heldRows >= (options.maxRowsHeldForHash ?? MAX_ROWS_HELD_FOR_HASH)
      ) {
        await beginStreaming(await besideSha256);
        await sinkCall(collector.flushHeld());
      }
      if (collector.streaming) await sinkCall(sink!.drain());
      options.onProgress?.(bytesRead, input.size);
    }
    if (head) startAnalyzer();
    if (analyzer && !failure) {
      try {
        output = analyzer.finish();
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        failure = err;
      }
    }
    if (besideSha256 !== undefined && !collector.streaming) await beginStreaming(await besideSha256);
    if (fileStat !== undefined && !failure) {
      const st = await stat(input.path!);
      if (
        st.size !== fileStat.size ||
        st.mtimeMs !== fileStat.mtimeMs ||
        st.ino !== fileStat.ino ||
        bytesRead !== st.size
      )
        failure = new InputError(input.name, bytesRead, 'the file changed while it was analysed');
    }
  } catch (err) {
    // A store that cannot be reached is not the file's fault (its errors carry codes like ECONNREFUSED too).
    if (err === sinkError) throw err;
    const reason = readFailure(err);
    if (!reason) throw err;
    failure = new InputError(input.name, bytesRead, reason);
    // the file's id still follows from its content when the worker could read it
    if (besideSha256 !== undefined && aheadSha256 === undefined)
      aheadSha256 = await besideSha256.catch(() => undefined);
  }

  // Hashed in line unless hashed once ahead or beside (then a change shows in its stat, checked above).
  const sha256 = fileStat === undefined ? hash.digest('hex') : (aheadSha256 ?? hash.digest('hex'));
  if (aheadSha256 !== undefined && sha256 !== aheadSha256 && !failure) {
    // Rows already streamed carry the id of the content read ahead: the file is failed under that id, so that
    // recording the failure removes them.
    const reason = options.knownSha256
      ? `its content no longer matches the sha256 recorded for it (${options.knownSha256.slice(0, 12)}…)`
      : 'the file changed while it was analysed';
    failure = new InputError(input.name, bytesRead, reason);
  }
  const fileId = fileIdFromSha256(aheadSha256 ?? sha256);
  if (!collector.streaming) collector.start(fileId);
  // What the analyzer returned rather than streamed (all of it for a detection that does not stream).
  if (output && !failure) {
    collector.anomalies(output.anomalies);
    collector.metrics(output.metrics);
  }
  let kept: { anomalies: Anomaly[]; metrics: Metric[] } = { anomalies: [], metrics: [] };
  if (sink) {
    if (aheadSha256 === undefined) await sink.begin({ fileId, name: input.name });
    if (!failure) await collector.flushHeld();
    await sink.end();
  } else if (!failure) {
    kept = collector.takeHeld();
  }
  const finished = new Date();
  const base = {
    fileId,
    name: input.name,
    path: input.path ?? null,
    size: bytesRead,
    sha256: aheadSha256 ?? sha256,
    format,
    formatDetail,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: Math.round(performance.now() - t0),
    streamed: sink !== undefined,
  };
  if (failure || !output) {
    const f = failure ?? new InputError(input.name, 0, 'no analyzer output');
    return {
      ...base,
      status: 'failed',
      summary: EMPTY_SUMMARY(),
      anomalies: [],
      metrics: [],
      counts: { anomalyCount: 0, metricCount: 0, byType: {}, bySeverity: {} },
      error: `offset ${f.byteOffset}: ${f.reason}`,
      errorOffset: f.byteOffset,
    };
  }
  return {
    ...base,
    status: 'done',
    summary: output.summary,
    anomalies: kept.anomalies,
    metrics: kept.metrics,
    counts: collector.counts,
    ...(output.warning ? { warning: output.warning } : {}),
    ...(output.views ? { views: output.views } : {}),
  };
}

function concat(parts: Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
