/**
 * The decoder table contract (reference/diag.md): a log code's layout changes with its version, so each
 * (log code, version) pair has its own small decoder. A pair missing from the table is an `Unknown` record,
 * counted per pair by the caller — never a crash and never silent.
 */

/** A decoded value: numbers in the unit named by the key (dBm, dB), arrays per cell or per receive chain. */
export type DiagFieldValue = number | string | boolean | null | readonly DiagFieldValue[];
/**
 * A record's decoded fields. A key whose value is `undefined` is not set: a decoder may declare every key of
 * its records up front (one object shape for V8: lte-rrc-ota.ts) and set only those the record carries;
 * JSON output leaves such keys out, as if absent.
 */
export type DiagFields = Record<string, DiagFieldValue | undefined>;

/** A body too short or inconsistent for its version's layout. */
export class DiagDecodeError extends Error {
  override name = 'DiagDecodeError';
  constructor(
    /** Offset inside the log packet body. */
    readonly bodyOffset: number,
    readonly reason: string,
  ) {
    super(`body offset ${bodyOffset}: ${reason}`);
  }
}

/** Decodes one body of a known (log code, version). Throws {@link DiagDecodeError} on a bad body. */
export type DiagVersionDecoder = (body: Uint8Array) => DiagFields;

export interface DiagLogDecoder {
  logCode: number;
  /** Name as QXDM shows it, e.g. `LTE ML1 Serving Cell Meas Response`. */
  name: string;
  /**
   * Reads the version that selects the layout (the packet version, or for sub-packet logs the version of
   * the sub-packet that carries the measurements, as documented per code); undefined when the body is too
   * short to hold one.
   */
  version(body: Uint8Array): number | undefined;
  /** One entry per version verified against the public decoders and the real logs. */
  versions: ReadonlyMap<number, DiagVersionDecoder>;
}

/** Little-endian reads inside a body, bounds checked (a short body is a {@link DiagDecodeError}). */
export function u8(b: Uint8Array, o: number): number {
  if (o + 1 > b.length) throw new DiagDecodeError(o, `u8 needs 1 byte but the body has ${b.length}`);
  return b[o]!;
}

export function u16(b: Uint8Array, o: number): number {
  if (o + 2 > b.length) throw new DiagDecodeError(o, `u16 needs 2 bytes but the body ends at ${b.length}`);
  return b[o]! | (b[o + 1]! << 8);
}

export function u32(b: Uint8Array, o: number): number {
  if (o + 4 > b.length) throw new DiagDecodeError(o, `u32 needs 4 bytes but the body ends at ${b.length}`);
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/** Bits `[shift, shift + width)` of a 32-bit word read at `o`. */
export function bits(b: Uint8Array, o: number, shift: number, width: number): number {
  return (u32(b, o) >>> shift) & ((1 << width) - 1);
}
