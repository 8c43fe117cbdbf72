/**
 * Compact, exact lists for what the capture time-error metrics keep per port until the end of the file
 * (issue #14: peak RSS ≤ 200 MB whatever the file size). A Float64Array that doubled when full held 8 bytes a
 * value plus up to as much again unused, and a growth copied everything into a new array while the old one
 * was still alive: on the bench:analyze PTP repeat (1 GB) the four Sync/Announce arrival lists alone were 32 MB
 * of ArrayBuffers, 44 MB while one grew. Here values go into chunks that are never copied (256 values first,
 * doubling up to {@link CHUNK} so that a port seen once costs little), and capture times and packet numbers —
 * integers — are kept as 4-byte differences from the value before.
 *
 * Every value reads back as the very double that was pushed (tests: random values, escapes, chunk edges).
 */

/** Values per chunk once a list is long (64 KiB of differences, 128 KiB of doubles). */
const CHUNK = 1 << 14;
const FIRST_CHUNK = 256;

/** Size of the next chunk of a list holding `held` values: 256, 512, … up to {@link CHUNK}. */
function nextChunkLength(held: number): number {
  return Math.min(CHUNK, Math.max(FIRST_CHUNK, held));
}

/** Values read in order: {@link start}, then {@link next} at most `length` times. */
export interface InOrderValues {
  readonly length: number;
  start(): void;
  next(): number;
}

/** An array read through {@link InOrderValues}. */
export function inOrderOf(a: ArrayLike<number>): InOrderValues {
  let i = 0;
  return {
    length: a.length,
    start: () => {
      i = 0;
    },
    next: () => a[i++]!,
  };
}

/** Doubles in chunks: pushing copies nothing, and at most one chunk is unfilled. */
export class ChunkedDoubles {
  private readonly chunks: Float64Array[] = [];
  private cur = new Float64Array(0);
  private fill = 0;
  length = 0;

  push(v: number): void {
    if (this.fill === this.cur.length) {
      this.cur = new Float64Array(nextChunkLength(this.length));
      this.chunks.push(this.cur);
      this.fill = 0;
    }
    this.cur[this.fill++] = v;
    this.length++;
  }

  /** A new array of exactly the values pushed, in order. */
  toArray(): Float64Array {
    const out = new Float64Array(this.length);
    let at = 0;
    for (const c of this.chunks) {
      const n = Math.min(c.length, this.length - at);
      out.set(n === c.length ? c : c.subarray(0, n), at);
      at += n;
    }
    return out;
  }

  /** Bytes of the chunks (what the list keeps alive). */
  get bytes(): number {
    let b = 0;
    for (const c of this.chunks) b += c.byteLength;
    return b;
  }

  /** The i-th chunk (filled in order: all but the last are full), for {@link IntegerDeltas}' reader. */
  chunkAt(i: number): Float64Array {
    return this.chunks[i]!;
  }
}

/** A difference that is not kept in 32 bits: the value itself follows in the list's escapes. */
const ESCAPE = 0xffffffff;

/**
 * Integer-valued doubles that mostly grow by less than 2^32 (capture microseconds: 71 minutes; packet numbers),
 * kept as the difference from the previous value in a Uint32Array — 4 bytes a value. A value whose difference
 * does not fit, or does not give the value back exactly (time going back, a long gap, a fraction), is an
 * {@link ESCAPE} and the value itself in a side list of doubles.
 */
export class IntegerDeltas {
  private readonly chunks: Uint32Array[] = [];
  private cur = new Uint32Array(0);
  private fill = 0;
  private last = 0;
  private readonly escapes = new ChunkedDoubles();
  length = 0;

  push(v: number): void {
    if (this.fill === this.cur.length) {
      this.cur = new Uint32Array(nextChunkLength(this.length));
      this.chunks.push(this.cur);
      this.fill = 0;
    }
    const d = v - this.last;
    // (d >>> 0) === d: a whole number in 0…2^32−1; last + d === v: reading back gives this very double.
    if (d >>> 0 === d && d !== ESCAPE && this.last + d === v) this.cur[this.fill++] = d;
    else {
      this.cur[this.fill++] = ESCAPE;
      this.escapes.push(v);
    }
    this.last = v;
    this.length++;
  }

  /** The values in order, each divided by `divisor` (1e6: capture microseconds → seconds). */
  inOrder(divisor = 1): InOrderValues {
    return new IntegerDeltasReader(this.chunks, this.escapes, this.length, divisor);
  }

  /** A new array of the values divided by `divisor`, in order. */
  toArray(divisor = 1): Float64Array {
    const out = new Float64Array(this.length);
    const r = this.inOrder(divisor);
    r.start();
    for (let i = 0; i < out.length; i++) out[i] = r.next();
    return out;
  }

  /** The value at `i` (reads the list from its start: for a few look-ups). */
  at(i: number): number {
    if (!(i >= 0 && i < this.length)) return NaN;
    const r = this.inOrder();
    r.start();
    let v = NaN;
    for (let k = 0; k <= i; k++) v = r.next();
    return v;
  }

  /** Bytes of the chunks and escapes (what the list keeps alive). */
  get bytes(): number {
    let b = this.escapes.bytes;
    for (const c of this.chunks) b += c.byteLength;
    return b;
  }
}

class IntegerDeltasReader implements InOrderValues {
  private chunk = 0;
  private pos = 0;
  private escChunk = 0;
  private escPos = 0;
  private value = 0;

  constructor(
    private readonly chunks: readonly Uint32Array[],
    private readonly escapes: ChunkedDoubles,
    readonly length: number,
    private readonly divisor: number,
  ) {}

  start(): void {
    this.chunk = this.pos = this.escChunk = this.escPos = this.value = 0;
  }

  next(): number {
    let c = this.chunks[this.chunk]!;
    if (this.pos === c.length) {
      c = this.chunks[++this.chunk]!;
      this.pos = 0;
    }
    const d = c[this.pos++]!;
    if (d === ESCAPE) {
      let e = this.escapes.chunkAt(this.escChunk);
      if (this.escPos === e.length) {
        e = this.escapes.chunkAt(++this.escChunk);
        this.escPos = 0;
      }
      this.value = e[this.escPos++]!;
    } else this.value += d;
    return this.value / this.divisor;
  }
}
