import type { AnalyzerContext, FileAnalyzer } from '../analysis-types.js';
import { linuxptpLogKind } from './linuxptp-log-analyzer.js';
import { ueEventLogKind } from './ue-event-log-analyzer.js';

/**
 * One kind of text log the pipeline can analyse, recognised by its content (never by the file's name):
 * `recognise` sees the first lines of the file (at most {@link TEXT_HEAD_LINES}, fewer when the file is
 * shorter), `create` makes the analyzer that then receives the whole file from its first byte.
 */
export interface TextLogKind {
  /** Shown in the file summary (`details.text_log_kind`). */
  kind: string;
  recognise(headLines: readonly string[]): boolean;
  create(ctx: AnalyzerContext): FileAnalyzer;
}

/** Lines of the head every kind is shown (a log's first lines may be a title or a banner). */
export const TEXT_HEAD_LINES = 64;
/** Bytes of the head at most: a file without line breaks is judged on this much. */
export const TEXT_HEAD_BYTES = 64 * 1024;

/**
 * The text log kinds, tried in this order; the first that recognises the head analyses the file. A text
 * file none recognises is counted by line and said to be not analysed. Add a kind with one entry here.
 */
export const TEXT_LOG_KINDS: TextLogKind[] = [linuxptpLogKind, ueEventLogKind];
