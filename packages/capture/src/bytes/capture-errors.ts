/**
 * Typed input errors of the capture readers (DESIGN.md §Conventions 7: input errors carry the
 * offset and what was expected). The CLI prefixes the file name; the message itself is one line.
 */

/** Hex form used in messages, e.g. `0x00000006`. */
export function hex32(value: number): string {
  return '0x' + (value >>> 0).toString(16).padStart(8, '0');
}

/** A container or record that cannot be read as what it claims to be. */
export class CaptureFormatError extends Error {
  /** Absolute byte offset in the input of the record (or field) that is wrong. */
  readonly byteOffset: number;
  /** What was being read, e.g. `pcap file header`, `pcapng block 0x00000006`. */
  readonly recordType: string;
  /** The reason without the location, e.g. `length 7 is not a multiple of 4`. */
  readonly reason: string;
  /** True when the input simply ended inside this record (a file cut short). */
  readonly truncated: boolean;

  constructor(byteOffset: number, recordType: string, reason: string, truncated = false) {
    super(`offset ${byteOffset}: ${recordType} ${reason}`);
    this.name = 'CaptureFormatError';
    this.byteOffset = byteOffset;
    this.recordType = recordType;
    this.reason = reason;
    this.truncated = truncated;
  }
}

/**
 * The input ended inside a record: every record before `byteOffset` was delivered. Callers that
 * analyse "up to the cut" catch this one and warn instead of failing the file.
 */
export class CaptureTruncatedError extends CaptureFormatError {
  /** Bytes that were present of the cut record. */
  readonly availableBytes: number;
  /** Bytes the record needed (when its header was readable), else undefined. */
  readonly neededBytes: number | undefined;

  constructor(byteOffset: number, recordType: string, availableBytes: number, neededBytes?: number) {
    super(
      byteOffset,
      recordType,
      neededBytes === undefined
        ? `is cut short: input ends after ${availableBytes} bytes of it`
        : `is cut short: ${availableBytes} of ${neededBytes} bytes present`,
      true,
    );
    this.name = 'CaptureTruncatedError';
    this.availableBytes = availableBytes;
    this.neededBytes = neededBytes;
  }
}
