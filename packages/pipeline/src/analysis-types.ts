import type { AnomalyDraft, FileFormat, MetricDraft, Profile } from '@l1t/contracts';
import type { FileViews } from '@l1t/detect';

/** Per-file facts every analyzer reports (shown as the file's decode summary). */
export interface DecodeSummary {
  /** Packets (captures) or records (logs) read. */
  records: number;
  /** Records the decoders did not understand (unknown pcapng blocks, unknown log codes…). */
  unknownRecords: number;
  /** Records flagged as damaged inside a readable file. */
  malformedRecords: number;
  firstTimestampNs?: bigint;
  lastTimestampNs?: bigint;
  /** Anything else an analyzer wants to show (link types, flows…); JSON-able. */
  details: Record<string, unknown>;
}

/** What one analyzer produces for one file, before ids and store keys are attached. */
export interface AnalyzerOutput {
  summary: DecodeSummary;
  /** Findings without id/file/session keys (analyzeFile() fills them in); those not handed to `ctx.sink`. */
  anomalies: AnomalyDraft[];
  metrics: MetricDraft[];
  /**
   * Shown beside the file (exit 0): it ended inside its last record and was analysed up to the cut, nothing in
   * it could be analysed, its timestamps do not advance… (several joined by '; ').
   */
  warning?: string;
  /** What the file analysis page shows (per-flow table, timing, PRB heatmaps), when the analyzer has it. */
  views?: FileViews;
}

export type { AnomalyDraft, MetricDraft };

/**
 * Where an analyzer may hand findings and metrics as they close, instead of returning them from `finish()`
 * (the shape of the detection's own sink). What it hands over here it does not return again.
 */
export interface DraftSink {
  anomalies(batch: AnomalyDraft[]): void;
  metrics(batch: MetricDraft[]): void;
}

export interface AnalyzerContext {
  fileName: string;
  profile: Profile | undefined;
  signal?: AbortSignal;
  /** Streaming: closed findings and metrics go here while the file is read (bounded memory). */
  sink?: DraftSink;
  /** The file views are wanted (default true): `AnalyzeOptions.views` (analyze-file.ts). */
  views?: boolean;
}

/**
 * A streaming analyzer for one family of formats. It receives the file's bytes chunk by chunk (memory
 * bounded by one record, DESIGN.md §Conventions 3) and throws an {@link InputError} when the container
 * itself cannot be read.
 */
export interface FileAnalyzer {
  push(chunk: Uint8Array): void;
  finish(): AnalyzerOutput;
}

export type AnalyzerFactory = (format: FileFormat, formatDetail: string, ctx: AnalyzerContext) => FileAnalyzer;

/** A file that cannot be analysed at all: unreadable, unrecognised or with a corrupt container header. */
export class InputError extends Error {
  override name = 'InputError';
  constructor(
    readonly file: string,
    readonly byteOffset: number,
    readonly reason: string,
  ) {
    super(`${file}: offset ${byteOffset}: ${reason}`);
  }
}
