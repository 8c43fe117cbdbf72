import { readU16, readU32 } from '../bytes/byte-cursor.js';

/** DIAG command codes this module reads (reference/diag.md). */
export const DIAG_LOG_F = 0x10;
export const DIAG_MULTI_SIM_F = 0x98;

/**
 * Multi-SIM wrapper length, measured on the real Xiaomi Mi10 logs (every 0x98 frame of
 * mobileinsight-core/20201116_*.mi2log): `0x98 | version u8 (1) | reserved u16 (0) | subscription id
 * u32 LE (1 or 2)`, then the inner command (0x10 …). QCSuper reads the same 1 + 7 bytes.
 */
export const MULTI_SIM_HEADER_BYTES = 8;

/** Log packet header after the command byte: pending u8, outer length u16, length u16, code u16, ts u64. */
export const LOG_HEADER_BYTES = 16;

/**
 * One DIAG frame payload, read in place (the object is reused; `body` is a view valid as long as the
 * payload). `kind`: `log` (command 0x10), `command` (any other command: responses, events, messages),
 * `malformed` (a log packet whose lengths do not fit the frame).
 */
export interface DiagPacket {
  kind: 'log' | 'command' | 'malformed';
  /** Command code after unwrapping 0x98 (0x10 for a log packet). */
  command: number;
  /** Subscription id from the 0x98 wrapper, or -1 when the frame was not wrapped. */
  subscription: number;
  /** Log code of a `log` packet, -1 otherwise. */
  logCode: number;
  /** 1.25 ms ticks since the GPS epoch (upper 48 bits of the timestamp). */
  ticks: number;
  /** Fraction of a tick in 1/65536 (lower 16 bits). */
  fraction: number;
  /**
   * The body as a view, made on first read and kept for this packet: a record whose log code has no decoder
   * is counted from {@link bodyBytes} and never needs one (a view per record was a hot spot).
   */
  readonly body: Uint8Array;
  /** Where the body lies: `bodyBytes[bodyStart, bodyEnd)` (a frame buffer or an input chunk). */
  bodyBytes: Uint8Array;
  bodyStart: number;
  bodyEnd: number;
  /** Offset of the body inside the payload (fields are located as payload offset + this). */
  bodyOffset: number;
  /** Why a packet is malformed. */
  reason: string | undefined;
}

const EMPTY = new Uint8Array(0);

class Packet implements DiagPacket {
  kind: DiagPacket['kind'] = 'command';
  command = 0;
  subscription = -1;
  logCode = 0;
  ticks = 0;
  fraction = 0;
  bodyBytes: Uint8Array = EMPTY;
  bodyStart = 0;
  bodyEnd = 0;
  bodyOffset = 0;
  reason: string | undefined = undefined;
  /** The view last made and where it was made from (it is stale once the location changes). */
  private view: Uint8Array = EMPTY;
  private viewOf: Uint8Array = EMPTY;
  private viewStart = 0;
  private viewEnd = 0;

  get body(): Uint8Array {
    if (this.viewOf !== this.bodyBytes || this.viewStart !== this.bodyStart || this.viewEnd !== this.bodyEnd) {
      this.view = this.bodyBytes.subarray(this.bodyStart, this.bodyEnd);
      this.viewOf = this.bodyBytes;
      this.viewStart = this.bodyStart;
      this.viewEnd = this.bodyEnd;
    }
    return this.view;
  }
}

export function newDiagPacket(): DiagPacket {
  return new Packet();
}

/**
 * Reads a frame payload:
 * ```
 * [0x98 | ver u8 | rsvd u16 | subscription u32]            optional multi-SIM wrapper (8 bytes)
 * 0x10 | pending u8 | outer length u16 | length u16 | log code u16 | timestamp u64 | body
 *                                        length = 12 + body length (little-endian throughout)
 * ```
 */
export function parseDiagPayload(p: Uint8Array, out: DiagPacket): DiagPacket {
  return parseDiagPayloadAt(p, 0, p.length, out);
}

/** {@link parseDiagPayload} of the payload `b[start, end)` (a frame read in place); `bodyOffset` stays payload-relative. */
export function parseDiagPayloadAt(b: Uint8Array, start: number, end: number, out: DiagPacket): DiagPacket {
  const n = end - start;
  out.reason = undefined;
  // The wrapper's subscription word is read (and the offset added) for every frame long enough, then kept or not:
  // read only for the first 0x98 frame, after V8 had compiled this and the reader code inlining it, it had no
  // type feedback and deoptimised them ('Insufficient type feedback for binary operation', --trace-deopt on the
  // 400 MB bench:diag input, issue 13).
  const long = n >= MULTI_SIM_HEADER_BYTES + 1;
  const word = long ? readU32(b, start + 4, true) : -1;
  const wrapped = long && b[start] === DIAG_MULTI_SIM_F;
  out.subscription = wrapped ? word : -1;
  const o = start + (wrapped ? MULTI_SIM_HEADER_BYTES : 0);
  const command = end > o ? b[o]! : -1;
  out.command = command;
  out.logCode = -1;
  // The kind stored at one site for every frame (fillLog and malformed() overwrite it): a store only the first
  // non-log frame reached had no type feedback and deoptimised parseDiagPayloadAt and the reader and analyzer
  // code inlining it, compiled by then (--trace-deopt on the 400 MB bench:diag input, issue 13).
  out.kind = command === DIAG_LOG_F ? 'log' : 'command';
  if (command !== DIAG_LOG_F) return out;
  if (end < o + LOG_HEADER_BYTES)
    return malformed(out, `log packet of ${end - o} bytes is shorter than its 16-byte header`);
  const length = readU16(b, o + 4, true);
  if (length < 12) return malformed(out, `log length ${length} is below 12`);
  if (o + 4 + length > end) return malformed(out, `log length ${length} runs past the frame (${end - o - 4} bytes)`);
  fillLog(out, b, o + 6, o + LOG_HEADER_BYTES, o + 4 + length);
  out.bodyOffset -= start;
  return out;
}

/**
 * Reads a DLF record in place (`length u16 | log code u16 | timestamp u64 | body`, length = 12 + body);
 * the caller has checked `length` and made the whole record available at `rec[0, length)`.
 */
export function parseDlfRecord(rec: Uint8Array, start: number, length: number, out: DiagPacket): DiagPacket {
  out.subscription = -1;
  out.reason = undefined;
  out.command = DIAG_LOG_F;
  fillLog(out, rec, start + 2, start + 12, start + length);
  return out;
}

/** code u16 at `codeAt`, then the u64 timestamp; body is `[bodyStart, end)`. */
function fillLog(out: DiagPacket, p: Uint8Array, codeAt: number, bodyStart: number, end: number): void {
  out.kind = 'log';
  out.logCode = readU16(p, codeAt, true);
  const lo = readU32(p, codeAt + 2, true);
  const hi = readU32(p, codeAt + 6, true);
  out.fraction = lo & 0xffff;
  out.ticks = hi * 65536 + (lo >>> 16); // upper 48 bits, exact in a double
  out.bodyBytes = p;
  out.bodyStart = bodyStart;
  out.bodyEnd = end;
  out.bodyOffset = bodyStart;
}

function malformed(out: DiagPacket, reason: string): DiagPacket {
  out.kind = 'malformed';
  out.reason = reason;
  return out;
}

/** `0xB193`-style hex of a log code. */
export function hexCode(code: number): string {
  return '0x' + code.toString(16).toUpperCase().padStart(4, '0');
}
