import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { SNIFF_HEAD_BYTES, sniffFormat } from '@l1t/capture';
import type { Anomaly, FileFormat, Metric, Profile } from '@l1t/contracts';
import { InputError, type AnalyzerFactory, type DecodeSummary } from './analysis-types.js';
import { createAnalyzer } from './analyzers/registry.js';
import { anomalyId, fileIdFromSha256 } from './ids.js';

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
async function* pooledFileChunks(path: string, released: () => number): AsyncGenerator<Uint8Array> {
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

export interface AnalyzeOptions {
  profile?: Profile;
  sessionId?: string;
  onProgress?: (bytesRead: number, totalBytes: number | undefined) => void;
  signal?: AbortSignal;
  /** Replaces the analyzer registry (tests, future plug-ins). */
  analyzerFactory?: AnalyzerFactory;
}

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
  anomalies: Anomaly[];
  metrics: Metric[];
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
 */
export async function analyzeFile(input: AnalyzeInput, options: AnalyzeOptions = {}): Promise<FileResult> {
  const started = new Date();
  const t0 = performance.now();
  const hash = createHash('sha256');
  const factory = options.analyzerFactory ?? createAnalyzer;
  const ctx = { fileName: input.name, profile: options.profile, ...(options.signal ? { signal: options.signal } : {}) };

  let bytesRead = 0;
  let head: Uint8Array[] | undefined = [];
  let headBytes = 0;
  let format: FileFormat = 'unknown';
  let formatDetail = 'empty file';
  let analyzer: ReturnType<AnalyzerFactory> | undefined;
  let failure: InputError | undefined;
  let output: ReturnType<ReturnType<AnalyzerFactory>['finish']> | undefined;

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
  const chunks = input.fileBacked && input.path !== undefined ? pooledFileChunks(input.path, released) : input.open();

  try {
    for await (const chunk of chunks) {
      options.signal?.throwIfAborted();
      hash.update(chunk);
      bytesRead += chunk.length;
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
  } catch (err) {
    const reason = readFailure(err);
    if (!reason) throw err;
    failure = new InputError(input.name, bytesRead, reason);
  }

  const sha256 = hash.digest('hex');
  const fileId = fileIdFromSha256(sha256);
  const finished = new Date();
  const base = {
    fileId,
    name: input.name,
    path: input.path ?? null,
    size: bytesRead,
    sha256,
    format,
    formatDetail,
    startedAt: started.toISOString(),
    finishedAt: finished.toISOString(),
    durationMs: Math.round(performance.now() - t0),
  };
  if (failure || !output) {
    const f = failure ?? new InputError(input.name, 0, 'no analyzer output');
    return {
      ...base,
      status: 'failed',
      summary: EMPTY_SUMMARY(),
      anomalies: [],
      metrics: [],
      error: `offset ${f.byteOffset}: ${f.reason}`,
      errorOffset: f.byteOffset,
    };
  }
  const sessionKeys = options.sessionId ? { session_id: options.sessionId } : {};
  const anomalies: Anomaly[] = output.anomalies
    .map((a) => ({
      ...a,
      id: anomalyId(fileId, [a.type, a.packet_index, a.flow ?? null, a.radio ?? null]),
      file: input.name,
      file_id: fileId,
      ...sessionKeys,
    }))
    .sort((x, y) => (x.timestamp < y.timestamp ? -1 : x.timestamp > y.timestamp ? 1 : x.packet_index - y.packet_index));
  const metrics: Metric[] = output.metrics.map((m) => ({ ...m, file_id: fileId, session_id: options.sessionId ?? '' }));
  return {
    ...base,
    status: 'done',
    summary: output.summary,
    anomalies,
    metrics,
    ...(output.warning ? { warning: output.warning } : {}),
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
