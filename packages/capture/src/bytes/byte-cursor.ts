import { CaptureFormatError } from './capture-errors.js';

/** Byte order of a field group: pcapng sections may be either (pcapng §4.1, Byte-Order Magic). */
export type ByteOrder = 'le' | 'be';

/**
 * A forward cursor over a byte range with an explicit byte order. Every read checks bounds first
 * and throws {@link CaptureFormatError} located at the absolute offset of the field.
 *
 * The cursor is reusable (`reset`) so hot paths need not allocate one per record. Values wider
 * than 32 bits come back as `bigint`.
 */
export class ByteCursor {
  private bytes: Uint8Array = new Uint8Array(0);
  private start = 0;
  private end = 0;
  private pos = 0;
  /** Absolute offset (in the whole input) of `bytes[start]`, for error messages. */
  private base = 0;
  littleEndian = true;
  /** Names the record in errors, e.g. `pcapng block 0x00000001`. */
  recordType = 'record';

  constructor(bytes?: Uint8Array, order: ByteOrder = 'le', absoluteOffset = 0, recordType = 'record') {
    if (bytes) this.reset(bytes, 0, bytes.length, order, absoluteOffset, recordType);
  }

  /** Points the cursor at `bytes[start, end)`; `absoluteOffset` is the input offset of `start`. */
  reset(
    bytes: Uint8Array,
    start: number,
    end: number,
    order: ByteOrder,
    absoluteOffset: number,
    recordType: string,
  ): this {
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.pos = start;
    this.base = absoluteOffset;
    this.littleEndian = order === 'le';
    this.recordType = recordType;
    return this;
  }

  /** Position relative to the start of the range. */
  get offset(): number {
    return this.pos - this.start;
  }
  /** Absolute input offset of the next byte. */
  get absoluteOffset(): number {
    return this.base + (this.pos - this.start);
  }
  get remaining(): number {
    return this.end - this.pos;
  }
  /** Index of the next byte inside the underlying array. */
  get index(): number {
    return this.pos;
  }
  get buffer(): Uint8Array {
    return this.bytes;
  }

  /** Throws unless `n` more bytes are inside the range. */
  need(n: number, what = 'field'): void {
    if (n < 0 || this.pos + n > this.end) {
      throw new CaptureFormatError(
        this.absoluteOffset,
        this.recordType,
        `${what} needs ${n} bytes but only ${this.end - this.pos} remain`,
      );
    }
  }

  skip(n: number, what = 'field'): void {
    this.need(n, what);
    this.pos += n;
  }

  /** Moves to index `i` of the underlying array (inside the range); returns this for chaining. */
  skipTo(i: number): this {
    this.seek(i - this.start);
    return this;
  }

  seek(offsetInRange: number): void {
    if (offsetInRange < 0 || this.start + offsetInRange > this.end) {
      throw new CaptureFormatError(this.base + offsetInRange, this.recordType, `seek outside the record`);
    }
    this.pos = this.start + offsetInRange;
  }

  u8(): number {
    this.need(1, 'u8');
    return this.bytes[this.pos++]!;
  }

  u16(): number {
    this.need(2, 'u16');
    const b = this.bytes;
    const p = this.pos;
    this.pos = p + 2;
    return this.littleEndian ? b[p]! | (b[p + 1]! << 8) : (b[p]! << 8) | b[p + 1]!;
  }

  u32(): number {
    this.need(4, 'u32');
    const v = readU32(this.bytes, this.pos, this.littleEndian);
    this.pos += 4;
    return v;
  }

  i32(): number {
    return this.u32() | 0;
  }

  u64(): bigint {
    this.need(8, 'u64');
    const a = readU32(this.bytes, this.pos, this.littleEndian);
    const b = readU32(this.bytes, this.pos + 4, this.littleEndian);
    this.pos += 8;
    return this.littleEndian ? (BigInt(b) << 32n) | BigInt(a) : (BigInt(a) << 32n) | BigInt(b);
  }

  i64(): bigint {
    return BigInt.asIntN(64, this.u64());
  }

  /** A view (not a copy) of the next `n` bytes. */
  view(n: number, what = 'bytes'): Uint8Array {
    this.need(n, what);
    const v = this.bytes.subarray(this.pos, this.pos + n);
    this.pos += n;
    return v;
  }
}

/**
 * Unchecked 32-bit read for hot paths whose caller has already proved `off + 4 <= bytes.length`
 * (e.g. after the reader made the whole record header available).
 */
export function readU32(bytes: Uint8Array, off: number, littleEndian: boolean): number {
  return littleEndian
    ? (bytes[off]! | (bytes[off + 1]! << 8) | (bytes[off + 2]! << 16) | (bytes[off + 3]! << 24)) >>> 0
    : ((bytes[off]! << 24) | (bytes[off + 1]! << 16) | (bytes[off + 2]! << 8) | bytes[off + 3]!) >>> 0;
}

/** Unchecked 16-bit read; same precondition as {@link readU32}. */
export function readU16(bytes: Uint8Array, off: number, littleEndian: boolean): number {
  return littleEndian ? bytes[off]! | (bytes[off + 1]! << 8) : (bytes[off]! << 8) | bytes[off + 1]!;
}

/** Big-endian (network order) 16-bit read, bounds checked by the caller. */
export function readU16BE(bytes: Uint8Array, off: number): number {
  return (bytes[off]! << 8) | bytes[off + 1]!;
}
