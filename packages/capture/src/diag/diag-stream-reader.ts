import { CaptureTruncatedError } from '../bytes/capture-errors.js';
import { firstChunkSplit } from '../bytes/first-chunk-split.js';
import { HDLC_ESCAPE, HDLC_FLAG } from '../sniff/crc16-x25.js';
import { crc16X25Sliced } from './crc16-fast.js';
import { HDLC_SCAN_ENTRIES, HDLC_WASM_BUF_AT, HdlcVerdict, type HdlcWasm, hdlcWasm } from './hdlc-wasm.js';

/**
 * How a DIAG byte stream is cut into frames (reference/diag.md §HDLC framing):
 * - `hdlc`: `escape(payload · CRC-16/X.25 LE) · 0x7E`, escapes `0x7D 0x5D` → 0x7D and `0x7D 0x5E` → 0x7E;
 * - `unframed`: the non-HDLC variant `0x7E · 0x01 · length u16 LE · payload · 0x7E`, no escaping, no CRC
 *   (the closing 0x7E may also open the next frame);
 * - `auto`: `unframed` when the stream opens with `0x7E 0x01 len` and a 0x7E follows the claimed payload,
 *   else `hdlc`.
 */
export type DiagFraming = 'hdlc' | 'unframed' | 'auto';

/**
 * One frame of the stream. The object is reused, and its bytes are valid until the next call: they are
 * `bytes[start, end)`, either the reader's frame buffer (a frame with escapes, or one split across chunks)
 * or the appended chunk itself (most frames: no copy).
 */
export interface DiagFrame {
  /** `frame`: a whole frame whose CRC verifies; `bad`: CRC failure, too short, oversize or broken framing. */
  kind: 'frame' | 'bad';
  /** 1-based position among all frames (good and bad). */
  index: number;
  /** Absolute input offset of the frame's first byte. */
  byteOffset: number;
  /** Where the unescaped payload (without its CRC) is: `bytes[start, end)` (empty for a bad frame). */
  bytes: Uint8Array;
  start: number;
  end: number;
  /** The payload as a view of its own (made on each read: prefer `bytes`/`start`/`end` on a hot path). */
  readonly payload: Uint8Array;
  /** Why a frame is bad (`crc`, `short`, `oversize`, `framing`), else undefined. */
  reason: 'crc' | 'short' | 'oversize' | 'framing' | undefined;
}

class Frame implements DiagFrame {
  kind: 'frame' | 'bad' = 'frame';
  index = 0;
  byteOffset = 0;
  bytes: Uint8Array = EMPTY;
  start = 0;
  end = 0;
  reason: DiagFrame['reason'] = undefined;
  get payload(): Uint8Array {
    return this.bytes.subarray(this.start, this.end);
  }
}

export interface DiagStreamReaderOptions {
  framing?: DiagFraming;
  /**
   * Largest unescaped frame kept (bytes, CRC included). A DIAG log packet's length is a u16, so 64 KiB plus
   * the wrappers covers every real frame; longer runs without a flag are counted as `oversize` and skipped.
   */
  maxFrameBytes?: number;
  /** Absolute input offset of the first appended byte (a .qmdl2 header before the stream). */
  baseOffset?: number;
  /** Finds the frame flags and escapes (default: `bytes.indexOf`); see {@link DiagByteSearch}. */
  indexOf?: DiagByteSearch;
  /**
   * Check CRCs and unescape in WebAssembly where it is available (default true; hdlc-wasm.ts). `false` keeps
   * the JavaScript path — the same frames, verdicts and offsets (a test compares both).
   */
  wasm?: boolean;
}

/**
 * `bytes.indexOf(byte, from)`, supplied by the host when it has a faster one: Node's
 * `Buffer.prototype.indexOf` (memchr) found the 805 k frame flags of the 100 MB bench:diag input in 17 ms
 * where V8's `Uint8Array.prototype.indexOf` (an element loop) took 56 ms, on the same plain Uint8Arrays
 * (issue 13). The core does not reach for Node itself (no node: import here): the pipeline passes it.
 */
export type DiagByteSearch = (bytes: Uint8Array, byte: number, from: number) => number;

const typedArrayIndexOf: DiagByteSearch = (bytes, byte, from) => bytes.indexOf(byte, from);

/** Runs up to this length are copied byte by byte (no view allocated). */
const SHORT_RUN = 256;

export const DIAG_MAX_FRAME_BYTES = 65_536 + 64;

const EMPTY = new Uint8Array(0);

const enum U {
  Open,
  Version,
  Len1,
  Len2,
  Payload,
  Close,
  AfterClose,
  Resync,
}

/**
 * Streaming DIAG deframer (push with {@link append}, pull with {@link next}, like the capture readers).
 * Memory is one frame buffer of `maxFrameBytes` plus the chunks not yet consumed, and with the WebAssembly
 * kernel one copy of the chunk being read (its memory as large as the largest chunk so far: append chunks of
 * a few MiB, as the file readers do); nothing is allocated per frame. A bad frame is returned as `bad` (counted by the caller) and decoding resumes at the next
 * flag. Input that ends inside a frame throws {@link CaptureTruncatedError} after every complete frame.
 */
export class DiagStreamReader {
  private framing: DiagFraming;
  private readonly max: number;
  /** The frame buffer: a view of the kernel's memory when there is one (remade when that memory grows). */
  private buf: Uint8Array;
  private readonly wasm: HdlcWasm | undefined;
  /** The chunk whose bytes are in the kernel's memory (copied once, at its first frame checked there). */
  private wasmChunk: Uint8Array | undefined;
  private readonly indexOf: DiagByteSearch;
  private readonly frame = new Frame();
  private chunks: Uint8Array[] = [];
  private pos = 0;
  /** Absolute offset of chunks[0][0]. */
  private chunkBase: number;
  private ended = false;
  private failure: CaptureTruncatedError | undefined;
  // frame under construction
  private len = 0;
  private start = -1;
  private escape = false;
  private overflow = false;
  /**
   * The next escape byte at or after the last search in `escChunk` (its length: none). indexOf is not
   * bounded by the frame's end, so without this every frame would scan on to the chunk's next escape.
   */
  private escChunk: Uint8Array | undefined;
  private escAt = 0;
  /** Entries of the kernel's frame table (HdlcWasm.scan) for the current chunk: how many, the next one. */
  private tabCount = 0;
  private tabNext = 0;
  /** No chunk appended yet (see {@link append}). */
  private first = true;
  // unframed variant
  private u: U = U.Open;
  private need = 0;
  /** Frames seen (good and bad) and bad ones by reason. */
  readonly counts = { frames: 0, good: 0, crc: 0, short: 0, oversize: 0, framing: 0 };

  constructor(options: DiagStreamReaderOptions = {}) {
    this.framing = options.framing ?? 'auto';
    this.max = options.maxFrameBytes ?? DIAG_MAX_FRAME_BYTES;
    this.wasm = options.wasm === false ? undefined : hdlcWasm(this.max);
    this.buf = this.wasm
      ? new Uint8Array(this.wasm.bytes.buffer, HDLC_WASM_BUF_AT, this.max)
      : new Uint8Array(this.max);
    this.chunkBase = options.baseOffset ?? 0;
    this.indexOf = options.indexOf ?? typedArrayIndexOf;
  }

  /** Takes a reference to `chunk` (no copy): do not modify it afterwards. */
  append(chunk: Uint8Array): void {
    if (this.ended) throw new Error('append() after end()');
    if (chunk.length === 0) return;
    const split = this.first ? firstChunkSplit(chunk.length) : 0;
    if (split > 0) {
      // The first chunk is read as two (first-chunk-split.ts): a chunk's end (dropChunk) and a frame across
      // chunks (the JS path: flag and escape search, frame buffer, CRC call) then run within the first ~500
      // frames, while nextHdlc() is interpreted; met first at the end of a 4 MiB chunk, they deoptimised
      // nextHdlc() and the DIAG analyzer's drain() inlining it (--trace-deopt, 400 MB bench:diag input).
      this.chunks.push(chunk.subarray(0, split));
      chunk = chunk.subarray(split);
    }
    this.first = false;
    this.chunks.push(chunk);
  }

  end(): void {
    this.ended = true;
  }

  /** The framing in use (`auto` until the first bytes decided it). */
  get framingInUse(): DiagFraming {
    return this.framing;
  }

  /** Absolute offset of the next byte not yet consumed. */
  get offset(): number {
    return this.chunkBase + this.pos;
  }

  next(): DiagFrame | undefined {
    if (this.failure) throw this.failure;
    if (this.framing === 'auto' && !this.decideFraming()) return undefined;
    const f = this.framing === 'hdlc' ? this.nextHdlc() : this.nextUnframed();
    // `ended` is loaded on every call, not only once no frame is left: read only then, it had no type feedback
    // when the DIAG analyzer's compiled drain() (which inlines this) first ran out of a chunk, and drain() and
    // next() deoptimised there ('Insufficient type feedback for generic named access', --trace-deopt, issue 13).
    const ended = this.ended;
    if (f !== undefined || !ended) return f;
    const partial =
      this.framing === 'hdlc' ? this.len > 0 || this.escape || this.overflow : this.u >= U.Len1 && this.u <= U.Close;
    if (partial) {
      const start = this.start;
      const needed = this.framing === 'unframed' && this.u >= U.Payload ? this.need + 5 : undefined;
      this.resetFrame();
      this.failure = new CaptureTruncatedError(start, 'DIAG frame', this.offset - start, needed);
      throw this.failure;
    }
    return undefined;
  }

  /** Looks at the first bytes; false when more are needed to decide. */
  private decideFraming(): boolean {
    const b0 = this.peek(0);
    const b1 = this.peek(1);
    const b2 = this.peek(2);
    const b3 = this.peek(3);
    if (b0 === undefined || b1 === undefined || b2 === undefined || b3 === undefined) {
      if (!this.ended) return false;
      this.framing = 'hdlc';
      return true;
    }
    if (b0 !== HDLC_FLAG || b1 !== 0x01) {
      this.framing = 'hdlc';
      return true;
    }
    const len = b2 | (b3 << 8);
    const close = this.peek(4 + len);
    if (close === undefined && !this.ended && len + 5 <= this.max) return false;
    this.framing = len > 0 && close === HDLC_FLAG ? 'unframed' : 'hdlc';
    return true;
  }

  private peek(i: number): number | undefined {
    let k = this.pos + i;
    for (const c of this.chunks) {
      if (k < c.length) return c[k];
      k -= c.length;
    }
    return undefined;
  }

  private dropChunk(): void {
    this.chunkBase += this.chunks[0]!.length;
    this.chunks.shift();
    this.pos = 0;
    this.escChunk = undefined; // a pooled buffer may come back with other bytes
    this.wasmChunk = undefined;
    this.tabCount = 0;
    this.tabNext = 0;
  }

  private resetFrame(): void {
    this.len = 0;
    this.start = -1;
    this.escape = false;
    this.overflow = false;
  }

  /** A frame of the frame buffer (`payloadLen` bytes) or a bad frame. */
  private emit(kind: 'frame' | 'bad', reason: DiagFrame['reason'], payloadLen: number, start: number): DiagFrame {
    return kind === 'frame' ? this.emitIn(this.buf, 0, payloadLen, start) : this.emitBad(reason!, start);
  }

  private emitBad(reason: NonNullable<DiagFrame['reason']>, start: number): DiagFrame {
    const f = this.frame;
    f.kind = 'bad';
    f.reason = reason;
    f.index = ++this.counts.frames;
    f.byteOffset = start;
    f.bytes = EMPTY;
    f.start = 0;
    f.end = 0;
    this.counts[reason]++;
    return f;
  }

  /** A good frame whose payload is `bytes[from, to)`. */
  private emitIn(bytes: Uint8Array, from: number, to: number, start: number): DiagFrame {
    const f = this.frame;
    f.kind = 'frame';
    f.reason = undefined;
    f.index = ++this.counts.frames;
    f.byteOffset = start;
    f.bytes = bytes;
    f.start = from;
    f.end = to;
    this.counts.good++;
    return f;
  }

  /** Where `c` starts in the kernel's memory, copying it there if it is not yet. */
  private wasmData(w: HdlcWasm, c: Uint8Array): number {
    if (this.wasmChunk !== c) {
      if (w.load(c)) this.buf = new Uint8Array(w.bytes.buffer, HDLC_WASM_BUF_AT, this.max);
      this.wasmChunk = c;
    }
    return w.dataAt;
  }

  /** The next entry of the kernel's frame table as a frame (its payload in the kernel's copy of the chunk). */
  private fromTable(w: HdlcWasm): DiagFrame {
    const t = w.ints;
    const k = (w.tabAt >> 2) + 4 * this.tabNext++;
    const from = t[k]!;
    const at = w.dataAt;
    const start = this.chunkBase + (from - at);
    this.pos = t[k + 3]! - at + 1;
    switch (t[k + 2]) {
      case HdlcVerdict.Ok:
        return this.emitIn(w.bytes, from, t[k + 1]!, start);
      case HdlcVerdict.Crc:
        return this.emitBad('crc', start);
      case HdlcVerdict.Short:
        return this.emitBad('short', start);
      case HdlcVerdict.Oversize:
        return this.emitBad('oversize', start);
      default:
        return this.emitBad('framing', start);
    }
  }

  /*
   * HDLC. With the WebAssembly kernel, a chunk is copied into its memory once, and while no frame is pending
   * from the previous chunk one call (HdlcWasm.scan) finds the next few thousand frames (flags and escapes
   * sixteen bytes a step), unescapes those with escapes in place and checks their CRCs; their entries are
   * then handed out one by one — one call into WebAssembly per ~4096 frames instead of a flag search, an
   * escape search and a CRC call per frame (issue 13). A frame the next chunk ends, and the bytes before the
   * first flag of a chunk when a frame is pending, take the JS path below: the flag and escape bytes found
   * with indexOf (native), unescaped into the frame buffer, runs without escapes copied in bulk, the CRC
   * checked by the kernel (or crc16X25Sliced). Without the kernel, a frame that lies whole in the chunk
   * without an escape is checked and handed out where it is.
   */
  private nextHdlc(): DiagFrame | undefined {
    while (this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const n = c.length;
      let i = this.pos;
      while (i < n) {
        const w = this.wasm;
        if (w !== undefined && this.len === 0 && !this.escape && !this.overflow) {
          if (this.tabNext < this.tabCount) return this.fromTable(w);
          const at = this.wasmData(w, c);
          const count = w.scan(at + i, at + n, w.tabAt, HDLC_SCAN_ENTRIES, this.max);
          if (count > 0) {
            this.tabCount = count;
            this.tabNext = 0;
            return this.fromTable(w);
          }
          // no flag ends a frame in c[i, n): bare flags and the first bytes of a frame, for the JS path
        }
        const flag = this.indexOf(c, HDLC_FLAG, i);
        const end = flag < 0 ? n : flag;
        if (
          w === undefined &&
          flag > i + 2 &&
          this.len === 0 &&
          !this.escape &&
          !this.overflow &&
          flag - i <= this.max
        ) {
          if (this.escChunk !== c || this.escAt < i) {
            const found = this.indexOf(c, HDLC_ESCAPE, i);
            this.escChunk = c;
            this.escAt = found < 0 ? n : found;
          }
          if (this.escAt > flag) {
            // the whole frame `c[i, flag)`, nothing to unescape: handed out in place
            const start = this.chunkBase + i;
            this.pos = flag + 1;
            const crc = c[flag - 2]! | (c[flag - 1]! << 8);
            if (crc16X25Sliced(c, i, flag - 2) !== crc) return this.emitBad('crc', start);
            return this.emitIn(c, i, flag - 2, start);
          }
        }
        if (end > i) {
          if (this.start < 0) this.start = this.chunkBase + i;
          this.copyEscaped(c, i, end);
        }
        if (flag < 0) break;
        i = flag + 1;
        if (this.len === 0 && !this.escape && !this.overflow) continue; // a bare flag between frames
        const start = this.start;
        const len = this.len;
        const overflow = this.overflow;
        const escape = this.escape;
        this.pos = i;
        this.resetFrame();
        if (overflow) return this.emit('bad', 'oversize', 0, start);
        if (escape || len < 3) return this.emit('bad', escape ? 'framing' : 'short', 0, start);
        const buf = this.buf;
        const crc = buf[len - 2]! | (buf[len - 1]! << 8);
        const got =
          w === undefined ? crc16X25Sliced(buf, 0, len - 2) : w.crc(HDLC_WASM_BUF_AT, HDLC_WASM_BUF_AT + len - 2);
        if (got !== crc) return this.emit('bad', 'crc', 0, start);
        return this.emit('frame', undefined, len - 2, start);
      }
      this.dropChunk();
    }
    return undefined;
  }

  /** Appends the unescaped bytes of `c[from, to)` (no flag inside) to the frame buffer. */
  private copyEscaped(c: Uint8Array, from: number, to: number): void {
    const buf = this.buf;
    let i = from;
    if (this.escape && i < to) {
      this.escape = false;
      this.put(c[i]! ^ 0x20);
      i++;
    }
    while (i < to) {
      if (this.escChunk !== c || this.escAt < i) {
        const found = this.indexOf(c, HDLC_ESCAPE, i);
        this.escChunk = c;
        this.escAt = found < 0 ? c.length : found;
      }
      const e = this.escAt < to ? this.escAt : to;
      const run = e - i;
      if (run > 0) {
        if (this.len + run <= this.max) {
          // A typical frame (~130 bytes) is copied faster byte by byte than through a subarray view and set().
          if (run <= SHORT_RUN) {
            let l = this.len;
            for (let k = i; k < e; k++) buf[l++] = c[k]!;
          } else buf.set(c.subarray(i, e), this.len);
          this.len += run;
        } else this.overflow = true;
      }
      if (e === to) return;
      if (e + 1 < to) {
        this.put(c[e + 1]! ^ 0x20);
        i = e + 2;
      } else {
        this.escape = true; // the escaped byte is in the next chunk (or after a flag: broken framing)
        return;
      }
    }
  }

  private put(v: number): void {
    if (this.len < this.max) this.buf[this.len++] = v;
    else this.overflow = true;
  }

  private nextUnframed(): DiagFrame | undefined {
    const buf = this.buf;
    while (this.chunks.length > 0) {
      const c = this.chunks[0]!;
      const n = c.length;
      let i = this.pos;
      while (i < n) {
        const b = c[i]!;
        const at = this.chunkBase + i;
        switch (this.u) {
          case U.Open:
          case U.Resync:
            if (b === HDLC_FLAG) {
              this.start = at;
              this.u = U.Version;
            } else if (this.u === U.Open) {
              this.u = U.Resync;
              this.pos = i + 1;
              return this.emit('bad', 'framing', 0, at);
            }
            i++;
            break;
          case U.AfterClose:
            if (b === 0x01) {
              this.u = U.Len1; // the closing flag opens this frame
              i++;
            } else if (b === HDLC_FLAG) {
              this.start = at;
              this.u = U.Version;
              i++;
            } else {
              this.u = U.Open;
            }
            break;
          case U.Version:
            if (b === 0x01) this.u = U.Len1;
            else if (b === HDLC_FLAG) this.start = at;
            else {
              this.u = U.Resync;
              this.pos = i + 1;
              return this.emit('bad', 'framing', 0, this.start);
            }
            i++;
            break;
          case U.Len1:
            this.need = b;
            this.u = U.Len2;
            i++;
            break;
          case U.Len2: {
            this.need |= b << 8;
            this.len = 0;
            i++;
            if (this.need === 0 || this.need > this.max) {
              this.u = U.Resync;
              this.pos = i;
              return this.emit('bad', this.need === 0 ? 'short' : 'oversize', 0, this.start);
            }
            this.u = U.Payload;
            break;
          }
          case U.Payload: {
            const take = Math.min(this.need - this.len, n - i);
            buf.set(c.subarray(i, i + take), this.len);
            this.len += take;
            i += take;
            if (this.len === this.need) this.u = U.Close;
            break;
          }
          case U.Close: {
            const start = this.start;
            const len = this.len;
            this.pos = i + 1;
            this.len = 0;
            if (b !== HDLC_FLAG) {
              this.u = U.Resync;
              return this.emit('bad', 'framing', 0, start);
            }
            this.u = U.AfterClose;
            this.start = at;
            return this.emit('frame', undefined, len, start);
          }
        }
      }
      this.pos = i;
      this.dropChunk();
    }
    return undefined;
  }
}
