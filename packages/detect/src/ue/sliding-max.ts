/**
 * The highest value of a first-in first-out window of timed values, and the time of that value: the window
 * of the `rsrp_drop` / `sinr_drop` detectors (serving-cell-detection.ts), which compare each sample with the
 * best value of the samples before it.
 *
 * Values leave the window in the order they came: from its oldest end while the oldest is older than the
 * window's span (only the oldest is tested: a log whose clock steps back keeps a value behind a younger
 * one, as the array scan this replaces did), and the oldest when {@link LIMIT} are held. So the highest
 * value is the front of a monotonic deque (the classic sliding-window maximum): a value is dropped from the
 * deque as soon as a later value at least as high is added, since the later one stays in the window at
 * least as long. Of equal highest values the latest is kept, as the scan's `>=` did; NaN is never the best
 * (it compared false in the scan) so it is not queued, but it counts toward {@link LIMIT}. The same best
 * value and time as scanning the window for every sample, in O(1) amortised instead of O(window) per
 * sample and without an object per value (issue 13: drop() was 4.4 % of the DIAG analysis's main thread).
 *
 * Storage: two rings indexed by a running sequence number (& mask), grown by doubling up to {@link LIMIT}
 * (a 500 ms window of a log sampling every 40 ms holds ~13 values; 64 slots at first: growing is code a fresh
 * process would otherwise meet only once its callers are compiled, and deoptimise them).
 */
export class SlidingMax {
  /** Values held at most; the oldest leaves to make room (bounded even for a log sampling faster than 0.1 ms). */
  static readonly LIMIT = 4096;

  /** Times of the window's values, by sequence number & mask (references to the callers' bigints). */
  private ts: bigint[];
  private vs: Float64Array;
  /** Sequence numbers of the deque: values strictly decreasing from its front (the best) to its back. */
  private dq: Float64Array;
  private mask: number;
  /** Sequence number of the oldest value held and of the next one. */
  private head = 0;
  private tail = 0;
  /** Deque front and end, running counters (& mask). */
  private dh = 0;
  private dt = 0;

  constructor(capacity = 64) {
    this.ts = new Array<bigint>(capacity).fill(0n);
    this.vs = new Float64Array(capacity);
    this.dq = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  get size(): number {
    return this.tail - this.head;
  }

  clear(): void {
    this.head = this.tail;
    this.dh = this.dt;
  }

  /** Removes the oldest values while `tsNs` is more than `windowNs` after them (tsNs − ts > windowNs). */
  expire(tsNs: bigint, windowNs: bigint): void {
    if (this.head === this.tail) return;
    const cutoff = tsNs - windowNs; // tsNs − ts > windowNs ⇔ ts < tsNs − windowNs (exact: bigints)
    const ts = this.ts;
    const mask = this.mask;
    let h = this.head;
    while (h < this.tail && ts[h & mask]! < cutoff) h++;
    if (h !== this.head) {
      this.head = h;
      this.dropStale();
    }
  }

  /** The highest value held, -Infinity when none (or only NaN) is. */
  get best(): number {
    return this.dh === this.dt ? -Infinity : this.vs[this.dq[this.dh & this.mask]! & this.mask]!;
  }

  /** The time of {@link best} (the latest of equal ones); `otherwise` when none is held. */
  bestTs(otherwise: bigint): bigint {
    return this.dh === this.dt ? otherwise : this.ts[this.dq[this.dh & this.mask]! & this.mask]!;
  }

  /** Adds a value at the window's young end (the oldest leaves first when {@link LIMIT} are held). */
  push(tsNs: bigint, v: number): void {
    if (this.tail - this.head === SlidingMax.LIMIT) {
      this.head++;
      this.dropStale();
    } else if (this.tail - this.head > this.mask) this.grow();
    const mask = this.mask;
    const seq = this.tail++;
    this.ts[seq & mask] = tsNs;
    this.vs[seq & mask] = v;
    if (v !== v) return; // NaN: never the best
    const dq = this.dq;
    const vs = this.vs;
    let dt = this.dt;
    while (dt > this.dh && vs[dq[(dt - 1) & mask]! & mask]! <= v) dt--;
    dq[dt & mask] = seq;
    this.dt = dt + 1;
  }

  /** Deque entries of values no longer held leave from its front (their ring slots get reused). */
  private dropStale(): void {
    const dq = this.dq;
    const mask = this.mask;
    while (this.dh < this.dt && dq[this.dh & mask]! < this.head) this.dh++;
  }

  private grow(): void {
    const oldMask = this.mask;
    const size = (oldMask + 1) * 2;
    const mask = size - 1;
    const ts = new Array<bigint>(size).fill(0n);
    const vs = new Float64Array(size);
    const dq = new Float64Array(size);
    for (let s = this.head; s < this.tail; s++) {
      ts[s & mask] = this.ts[s & oldMask]!;
      vs[s & mask] = this.vs[s & oldMask]!;
    }
    for (let d = this.dh; d < this.dt; d++) dq[d & mask] = this.dq[d & oldMask]!;
    this.ts = ts;
    this.vs = vs;
    this.dq = dq;
    this.mask = mask;
  }
}
