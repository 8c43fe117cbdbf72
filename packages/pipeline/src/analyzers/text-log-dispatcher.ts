import type { AnalyzerContext, AnalyzerOutput, FileAnalyzer } from '../analysis-types.js';
import { LogRecordCounter } from './log-analyzer.js';
import { TEXT_HEAD_BYTES, TEXT_HEAD_LINES, TEXT_LOG_KINDS, type TextLogKind } from './text-log-kinds.js';

const LF = 0x0a;

/**
 * Analyses a text file with the first {@link TextLogKind} that recognises its head. The head (the first
 * {@link TEXT_HEAD_LINES} lines, at most {@link TEXT_HEAD_BYTES}) is held back until a kind is chosen, then
 * handed to that kind's analyzer with the rest of the file. A file no kind recognises is counted by line and
 * its summary says it was not analysed — a count is not an analysis.
 */
export class TextLogDispatcher implements FileAnalyzer {
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  private heldLines = 0;
  private chosen: { kind: TextLogKind | undefined; analyzer: FileAnalyzer } | undefined;

  constructor(
    private readonly ctx: AnalyzerContext,
    private readonly kinds: readonly TextLogKind[] = TEXT_LOG_KINDS,
  ) {}

  push(chunk: Uint8Array): void {
    if (this.chosen) {
      this.chosen.analyzer.push(chunk);
      return;
    }
    this.held.push(chunk.slice()); // the caller may reuse its buffer
    this.heldBytes += chunk.length;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, i + 1)) this.heldLines++;
    if (this.heldLines >= TEXT_HEAD_LINES || this.heldBytes >= TEXT_HEAD_BYTES) this.choose(false);
  }

  finish(): AnalyzerOutput {
    if (!this.chosen) this.choose(true);
    const { kind, analyzer } = this.chosen!;
    const out = analyzer.finish();
    if (kind) {
      out.summary.details = { text_log_kind: kind.kind, ...out.summary.details };
      return out;
    }
    const note = `text log not recognised: ${out.summary.records} lines, not analysed`;
    out.summary.details = { ...out.summary.details, text_log_kind: 'unrecognised' };
    return { ...out, warning: out.warning ? `${note}; ${out.warning}` : note };
  }

  /** Picks the kind from the held head and hands it the held bytes. */
  private choose(atEnd: boolean): void {
    const head = headLines(this.held, atEnd);
    const kind = this.kinds.find((k) => k.recognise(head));
    const analyzer = kind ? kind.create(this.ctx) : new LogRecordCounter('text');
    this.chosen = { kind, analyzer };
    const held = this.held;
    this.held = [];
    for (const c of held) analyzer.push(c);
  }
}

/** The head's complete lines (and the unterminated last one when the file ended there), CR LF tolerated. */
function headLines(chunks: readonly Uint8Array[], atEnd: boolean): string[] {
  const total = chunks.reduce((n, c) => n + c.length, 0);
  const bytes = new Uint8Array(Math.min(TEXT_HEAD_BYTES, total));
  let at = 0;
  for (const c of chunks) {
    const part = c.subarray(0, bytes.length - at);
    bytes.set(part, at);
    at += part.length;
    if (at === bytes.length) break;
  }
  const lines = new TextDecoder('utf-8').decode(bytes).split('\n');
  // The last piece is a whole line only when the file ended there; otherwise it may be cut anywhere.
  const whole = atEnd && bytes.length === total;
  if (!whole || lines[lines.length - 1] === '') lines.pop();
  return lines.slice(0, TEXT_HEAD_LINES).map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l));
}
