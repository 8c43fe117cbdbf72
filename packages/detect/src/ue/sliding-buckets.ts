/**
 * A sliding time window of `span` buckets (e.g. 10 × 100 ms for a 1 s window) of per-bucket counters, for
 * the UE ratio detectors (`bler_high`, `ul_power_limited`): the window slides by one bucket, so a condition
 * that starts anywhere is seen over a full window within one bucket of the window's length, not split
 * across two fixed windows. Memory: `span` buckets per cell.
 */
interface Bucket<S> {
  idx: bigint;
  counts: number[];
  first: S;
  last: S;
  /** First sample of the bucket that counts toward the condition (a NACK, a transmission at Pcmax). */
  firstHit: S | undefined;
  lastHit: S | undefined;
  /** Smallest `value` added to the bucket. */
  min: number;
}

export class SlidingBuckets<S extends { tsNs: bigint }> {
  private q: Bucket<S>[] = [];

  constructor(
    private readonly bucketNs: bigint,
    private readonly span: number,
    private readonly width: number,
  ) {}

  /** True when `tsNs` falls after the newest bucket: that bucket is complete, judge the window now. */
  leaves(tsNs: bigint): boolean {
    const n = this.q[this.q.length - 1];
    return n !== undefined && tsNs / this.bucketNs !== n.idx;
  }

  get empty(): boolean {
    return this.q.length === 0;
  }

  add(s: S, inc: readonly number[], hit: boolean, value = Infinity): void {
    const idx = s.tsNs / this.bucketNs;
    let b = this.q[this.q.length - 1];
    if (b === undefined || b.idx !== idx) {
      b = {
        idx,
        counts: new Array<number>(this.width).fill(0),
        first: s,
        last: s,
        firstHit: undefined,
        lastHit: undefined,
        min: Infinity,
      };
      this.q.push(b);
      const oldest = idx - BigInt(this.span);
      while (this.q.length > 0 && this.q[0]!.idx <= oldest) this.q.shift();
    }
    for (let i = 0; i < this.width; i++) b.counts[i]! += inc[i]!;
    b.last = s;
    if (value < b.min) b.min = value;
    if (hit) {
      b.firstHit ??= s;
      b.lastHit = s;
    }
  }

  /** Counter sums over the window (the buckets of the last `span` bucket lengths). */
  sums(): number[] {
    const out = new Array<number>(this.width).fill(0);
    for (const b of this.q) for (let i = 0; i < this.width; i++) out[i]! += b.counts[i]!;
    return out;
  }

  first(): S {
    return this.q[0]!.first;
  }

  last(): S {
    return this.q[this.q.length - 1]!.last;
  }

  /** The window's first sample that counted toward the condition. */
  firstHit(): S | undefined {
    for (const b of this.q) if (b.firstHit !== undefined) return b.firstHit;
    return undefined;
  }

  /** Smallest value added in the window. */
  min(): number {
    let m = Infinity;
    for (const b of this.q) if (b.min < m) m = b.min;
    return m;
  }

  /** The window's last sample that counted toward the condition. */
  lastHit(): S | undefined {
    for (let i = this.q.length - 1; i >= 0; i--) if (this.q[i]!.lastHit !== undefined) return this.q[i]!.lastHit;
    return undefined;
  }

  clear(): void {
    this.q = [];
  }
}
