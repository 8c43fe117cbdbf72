import type { CaptureFormatError } from '../bytes/capture-errors.js';
import { ByteQueue } from './byte-queue.js';
import {
  MAX_RECORD_BYTES,
  type CaptureFileInfo,
  type CaptureFormat,
  type CaptureReader,
  type CaptureReaderOptions,
  type CaptureRecord,
  type PacketRecord,
} from './capture-records.js';

/**
 * What both readers share: the chunk queue, end-of-input and sticky errors, packet numbering and
 * the reused packet record. A subclass implements {@link step}: decode one record at the queue head
 * or return undefined when more bytes are needed; and {@link truncation}: the error for input that
 * ended inside the record at the head.
 */
export abstract class BaseCaptureReader implements CaptureReader {
  abstract readonly format: CaptureFormat;
  protected readonly queue = new ByteQueue();
  protected readonly copyData: boolean;
  protected readonly maxRecordBytes: number;
  protected info: CaptureFileInfo | undefined;
  protected packetIndex = 0;
  private ended = false;
  private failure: CaptureFormatError | undefined;
  private readonly reused: PacketRecord = {
    kind: 'packet',
    index: 0,
    interfaceId: 0,
    sectionIndex: 0,
    linkType: 0,
    tsNs: 0n,
    capLen: 0,
    origLen: 0,
    truncated: false,
    data: new Uint8Array(0),
    byteOffset: 0,
    comment: undefined,
    dropCount: undefined,
    flags: undefined,
  };

  constructor(options: CaptureReaderOptions = {}) {
    this.copyData = options.copyData ?? false;
    this.maxRecordBytes = Math.min(options.maxRecordBytes ?? MAX_RECORD_BYTES, MAX_RECORD_BYTES);
  }

  append(chunk: Uint8Array): void {
    if (this.ended) throw new Error('append() after end()');
    this.queue.push(chunk);
  }

  end(): void {
    this.ended = true;
  }

  fileInfo(): CaptureFileInfo | undefined {
    return this.info;
  }

  next(): CaptureRecord | undefined {
    if (this.failure) throw this.failure;
    try {
      const rec = this.step();
      if (rec !== undefined || !this.ended) return rec;
      if (this.queue.available > 0 || this.info === undefined) throw this.truncation();
      return undefined;
    } catch (err) {
      if (isFormatError(err)) this.failure = err;
      throw err;
    }
  }

  protected abstract step(): CaptureRecord | undefined;
  protected abstract truncation(): CaptureFormatError;

  /** Fills the packet record (reused, or fresh with copied data under `copyData`). */
  protected packet(
    interfaceId: number,
    sectionIndex: number,
    linkType: number,
    tsNs: bigint,
    origLen: number,
    data: Uint8Array,
    byteOffset: number,
    comment: string | undefined,
  ): PacketRecord {
    const r: PacketRecord = this.copyData ? { ...this.reused } : this.reused;
    r.index = ++this.packetIndex;
    r.interfaceId = interfaceId;
    r.sectionIndex = sectionIndex;
    r.linkType = linkType;
    r.tsNs = tsNs;
    r.capLen = data.length;
    r.origLen = origLen;
    r.truncated = data.length < origLen;
    // new Uint8Array(view) copies even when the input is a Node Buffer (whose slice() is a view).
    r.data = this.copyData ? new Uint8Array(data) : data;
    r.byteOffset = byteOffset;
    r.comment = comment;
    r.dropCount = undefined;
    r.flags = undefined;
    if (this.info) this.info.packetCount = this.packetIndex;
    return r;
  }
}

function isFormatError(err: unknown): err is CaptureFormatError {
  return err instanceof Error && typeof (err as Partial<CaptureFormatError>).byteOffset === 'number';
}
