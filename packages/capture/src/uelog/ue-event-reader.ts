import { decodeUtf8 } from '../bytes/utf8.js';
import { parseUeEventLine, type UeEvent, type UeLineRejection } from './ue-event-line.js';

const LF = 0x0a;
const CR = 0x0d;
/** A line longer than this is cut (and counted): memory stays bounded on a file with no line breaks. */
export const MAX_UE_LINE_BYTES = 64 * 1024;
/** Unrecognised lines kept as examples for the summary. */
const EXAMPLES = 5;

/**
 * Streaming reader of a UE event text log: bytes in (any chunking), {@link UeEvent}s out in file order.
 * Every line is accounted for: events, blank/comment lines, and unrecognised lines counted per reason with
 * a few examples (shown to the user — a line we cannot read is never dropped silently).
 */
export class UeEventReader {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  private lineNo = 0;
  readonly counts = { lines: 0, events: 0, blank: 0, unrecognised: 0, cut_lines: 0 };
  readonly unrecognisedBy: Record<UeLineRejection, number> = { no_timestamp: 0, no_ue_identity: 0, no_procedure: 0 };
  readonly examples: { line: number; text: string; reason: UeLineRejection }[] = [];

  constructor(private readonly onEvent: (e: UeEvent) => void) {}

  push(chunk: Uint8Array): void {
    let from = 0;
    for (let i = chunk.indexOf(LF); i !== -1; i = chunk.indexOf(LF, from)) {
      this.take(chunk.subarray(from, i));
      this.line();
      from = i + 1;
    }
    if (from < chunk.length) this.take(chunk.subarray(from));
  }

  end(): void {
    if (this.pendingBytes > 0 || this.pending.length > 0) this.line();
  }

  private take(part: Uint8Array): void {
    const room = MAX_UE_LINE_BYTES - this.pendingBytes;
    if (room <= 0) return;
    const kept = part.length > room ? part.subarray(0, room) : part;
    this.pending.push(kept.slice());
    this.pendingBytes += kept.length;
  }

  private line(): void {
    const parts = this.pending;
    let bytes: Uint8Array;
    if (parts.length === 1) bytes = parts[0]!;
    else {
      bytes = new Uint8Array(this.pendingBytes);
      let o = 0;
      for (const p of parts) {
        bytes.set(p, o);
        o += p.length;
      }
    }
    if (this.pendingBytes >= MAX_UE_LINE_BYTES) this.counts.cut_lines++;
    this.pending = [];
    this.pendingBytes = 0;
    let end = bytes.length;
    if (end > 0 && bytes[end - 1] === CR) end--;
    const text = decodeUtf8(bytes, 0, end);
    this.lineNo++;
    this.counts.lines++;
    const r = parseUeEventLine(text, this.lineNo);
    if (r.kind === 'event') {
      this.counts.events++;
      this.onEvent(r.event);
    } else if (r.kind === 'blank') {
      this.counts.blank++;
    } else {
      this.counts.unrecognised++;
      this.unrecognisedBy[r.reason]++;
      if (this.examples.length < EXAMPLES)
        this.examples.push({ line: this.lineNo, text: text.slice(0, 200), reason: r.reason });
    }
  }
}

/** The head test of the text-log dispatcher: at least 2 of the first non-blank lines (and half) are events. */
export function looksLikeUeEventLog(headLines: readonly string[]): boolean {
  let lines = 0;
  let events = 0;
  headLines.forEach((l, i) => {
    const r = parseUeEventLine(l, i + 1);
    if (r.kind === 'blank') return;
    lines++;
    if (r.kind === 'event') events++;
  });
  return events >= 2 && events * 2 >= lines;
}
