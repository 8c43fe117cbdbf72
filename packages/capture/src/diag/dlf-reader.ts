import { readU16 } from '../bytes/byte-cursor.js';
import { CaptureFormatError, CaptureTruncatedError } from '../bytes/capture-errors.js';
import { ByteQueue } from '../reader/byte-queue.js';

/** One DLF record: its bytes are `bytes[start, start + length)`, valid until the next call. */
export interface DlfRecordView {
  bytes: Uint8Array;
  start: number;
  length: number;
  byteOffset: number;
}

/**
 * Streaming `.dlf` reader: back-to-back `length u16 | log code u16 | timestamp u64 | body` records with no
 * framing and no CRC (reference/diag.md §File formats). A length below the 12-byte header cannot be
 * resynchronised and throws {@link CaptureFormatError}; input ending inside a record throws
 * {@link CaptureTruncatedError} after every complete record.
 */
export class DlfReader {
  private readonly queue = new ByteQueue();
  private ended = false;
  private failure: CaptureFormatError | undefined;
  private readonly view: DlfRecordView = { bytes: new Uint8Array(0), start: 0, length: 0, byteOffset: 0 };

  constructor(private readonly baseOffset = 0) {}

  append(chunk: Uint8Array): void {
    if (this.ended) throw new Error('append() after end()');
    this.queue.push(chunk);
  }

  end(): void {
    this.ended = true;
  }

  private pendingSkip = 0;

  next(): DlfRecordView | undefined {
    if (this.failure) throw this.failure;
    if (this.pendingSkip > 0) {
      this.queue.skip(this.pendingSkip);
      this.pendingSkip = 0;
    }
    const q = this.queue;
    const at = this.baseOffset + q.offset;
    if (!q.ensure(2)) return this.atEnd(at, undefined);
    const length = readU16(q.buf, q.off, true);
    if (length < 12) {
      this.failure = new CaptureFormatError(at, 'DLF record', `length ${length} is below its 12-byte header`);
      throw this.failure;
    }
    if (!q.ensure(length)) return this.atEnd(at, length);
    const v = this.view;
    v.bytes = q.buf;
    v.start = q.off;
    v.length = length;
    v.byteOffset = at;
    this.pendingSkip = length; // consumed on the next call: the view stays valid until then
    return v;
  }

  private atEnd(at: number, needed: number | undefined): undefined {
    if (!this.ended || this.queue.available === 0) return undefined;
    this.failure = new CaptureTruncatedError(at, 'DLF record', this.queue.available, needed);
    throw this.failure;
  }
}
