import { objectArray } from '../framework/object-array.js';

/**
 * Per-flow sequence bookkeeping of the 8-bit ecpriSeqid SEQ_ID (O-RAN WG4 CUS §5.4.4.4, eCPRI v2.0
 * §3.2.4.1), independent of packets so that the rules are testable on their own:
 *
 *  - a packet 1 … 127 ids ahead of the highest id seen moves the high mark; the ids skipped form a *hole*;
 *  - a packet 1 … 128 ids behind it is late: when it fills a hole it is a reorder (the hole shrinks, no
 *    gap for that id), when its id was already received it is a duplicate; when the id is older than the
 *    flow's first packet it is a reorder too;
 *  - the same id as the high mark again is a duplicate, except a continuation fragment (the previous
 *    packet had E = 0 and this subsequence id is higher, §5.4.4.4 radio transport fragmentation);
 *  - a hole becomes a final gap once the high mark is more than `horizon` (≤ 128) ids past its last id,
 *    or when the flow ends, and only with the ids still missing.
 *
 * Ids are tracked "unwrapped" (a running count) and a 256-entry slot table records each recent id's
 * state, so memory per flow is constant.
 */
export const SEQ_MODULO = 256;
/** Largest distance (ids) at which "behind" can be told from "ahead" modulo 256. */
export const MAX_REORDER_HORIZON = 128;

/**
 * The one continuity rule of the 8-bit SEQ_ID, used wherever continuity is counted (this class, the
 * window features, the parallel decode's flow statistics): the distance from the flow's highest id to the
 * next packet's id, modulo 256 — 0: the same id (a duplicate, unless {@link isFragmentContinuation}); 1: the
 * next id; 2…127: ahead, with d − 1 ids skipped; 128…255: behind by 256 − d (late, or a duplicate).
 */
export function seqDistance(high: number, seq: number): number {
  return (seq - high) & 0xff;
}

/**
 * The same SEQ_ID again is the next fragment, not a duplicate, when the packet before had E = 0 and this
 * one's subsequence id is higher (O-RAN WG4 CUS §5.4.4.4 radio-transport fragmentation).
 */
export function isFragmentContinuation(prevEBit: number, prevSubseq: number, subseq: number): boolean {
  // both tests on every call (see seqInOrder: a test first run late deoptimises the compiled caller)
  const moreFragments = prevEBit === 0;
  const later = subseq > prevSubseq;
  return moreFragments && later;
}

/** Ids skipped by a step of distance `d` ({@link seqDistance}): d − 1 when ahead, else 0. */
export function seqSkipped(d: number): number {
  return d > 1 && d < MAX_REORDER_HORIZON ? d - 1 : 0;
}

/** Whether a step of distance `d` is in order (the next id, or the next fragment of the same id). */
export function seqInOrder(d: number, prevEBit: number, prevSubseq: number, subseq: number): boolean {
  // Every test runs on every call: with `d === 1 || (d === 0 && …)` the tests after the first ran only at the
  // first repeated id, without type feedback, and deoptimised the caller V8 had compiled by then
  // (WindowUnit.add in ml/window-features.ts, 'Insufficient type feedback for compare operation' on fh_ks;
  // issue 14). Same value.
  const fragment = isFragmentContinuation(prevEBit, prevSubseq, subseq);
  const next = d === 1;
  const same = d === 0;
  return next || (same && fragment);
}

// Slot states: 0 = not seen (before the flow started), then:
const ST_RECEIVED = 1;
const ST_MISSING = 2;
/** Missing id whose gap was already reported (horizon passed). */
const ST_GAP_FINAL = 3;

/** Where a packet was: what an absence reports as "the last packet before" / "the first packet after". */
export interface PacketMark {
  index: number;
  tsNs: bigint;
  seq: number;
}

/** Ids skipped when the high mark jumped, waiting to be filled by late packets. */
export interface SeqHole {
  /** First and last missing id, unwrapped. */
  fromAbs: number;
  toAbs: number;
  /** Ids of the hole not filled yet. */
  remaining: number;
  /** The packet that revealed the hole (first packet after the gap). */
  after: PacketMark;
  /** The flow's last packet before it. */
  before: PacketMark;
  /** Opaque data the caller attaches (flow/radio keys of the revealing packet). */
  tag: unknown;
}

export type SeqVerdict = 'in_order' | 'first' | 'gap_opened' | 'duplicate' | 'fragment' | 'reorder';

export interface SeqObservation {
  verdict: SeqVerdict;
  /** reorder / duplicate: ids behind the high mark (0 for a repeat of the high mark). */
  behind: number;
  /** reorder: the packet filled an open hole. */
  filledHole: boolean;
  /** reorder: the id belonged to a gap already reported (arrived beyond the horizon). */
  afterFinalGap: boolean;
  /** gap_opened: ids skipped. */
  skipped: number;
  /** High mark (mod 256) before this packet, -1 for the flow's first packet. */
  previousHigh: number;
}

export class SequenceFlow {
  private readonly slots = new Uint8Array(SEQ_MODULO);
  private highAbs = -1;
  private highEBit = 1;
  private highSubseq = 0;
  private last: PacketMark = { index: 0, tsNs: 0n, seq: -1 };
  /** Open holes, oldest first; generic elements kind from the start (objectArray: the first hole did not deoptimise observe()). */
  readonly holes: SeqHole[] = objectArray<SeqHole>();
  /** One reusable observation (valid until the next `observe`). */
  private readonly obs: SeqObservation = {
    verdict: 'first',
    behind: 0,
    filledHole: false,
    afterFinalGap: false,
    skipped: 0,
    previousHigh: -1,
  };

  constructor(
    private readonly horizon: number,
    /** Called with each hole that became final with ids still missing, and those ids (mod 256). */
    private readonly onGap: (hole: SeqHole, missingIds: number[]) => void,
  ) {
    if (!(horizon >= 1 && horizon <= MAX_REORDER_HORIZON))
      throw new RangeError(`horizon must be 1..128 (got ${horizon})`);
  }

  /** Highest id seen (mod 256), or -1. */
  get high(): number {
    return this.highAbs < 0 ? -1 : this.highAbs & 0xff;
  }

  /**
   * Classifies one packet's id (no allocation unless a hole opens). When the verdict is `gap_opened`,
   * the new hole is {@link lastHole}: the caller may set its `tag`.
   */
  observe(seq: number, eBit: number, subseq: number, index: number, tsNs: bigint): SeqObservation {
    const o = this.obs;
    o.behind = 0;
    o.filledHole = false;
    o.afterFinalGap = false;
    o.skipped = 0;
    o.previousHigh = this.high;
    if (this.highAbs < 0) {
      this.highAbs = SEQ_MODULO + seq; // keep ids before the first one non-negative
      this.slots[seq] = ST_RECEIVED;
      this.setHigh(eBit, subseq);
      o.verdict = 'first';
    } else {
      const d = seqDistance(this.highAbs, seq);
      if (d === 0) {
        o.verdict = isFragmentContinuation(this.highEBit, this.highSubseq, subseq) ? 'fragment' : 'duplicate';
        if (o.verdict === 'fragment') this.setHigh(eBit, subseq);
      } else if (d < MAX_REORDER_HORIZON) {
        const newHigh = this.highAbs + d;
        this.finalize(newHigh);
        for (let a = this.highAbs + 1; a < newHigh; a++) this.slots[a & 0xff] = ST_MISSING;
        this.slots[seq] = ST_RECEIVED;
        if (d > 1) {
          o.skipped = d - 1;
          this.holes.push({
            fromAbs: this.highAbs + 1,
            toAbs: newHigh - 1,
            remaining: d - 1,
            after: { index, tsNs, seq },
            before: { ...this.last },
            tag: undefined,
          });
        }
        o.verdict = d > 1 ? 'gap_opened' : 'in_order';
        this.highAbs = newHigh;
        this.setHigh(eBit, subseq);
      } else {
        const behind = SEQ_MODULO - d;
        o.behind = behind;
        const st = this.slots[seq]!;
        if (st === ST_RECEIVED) {
          o.verdict = 'duplicate';
        } else {
          o.verdict = 'reorder';
          if (st === ST_MISSING) {
            o.filledHole = this.fill(this.highAbs - behind);
          } else if (st === ST_GAP_FINAL) {
            o.afterFinalGap = true;
          }
          this.slots[seq] = ST_RECEIVED;
        }
      }
    }
    this.last.index = index;
    this.last.tsNs = tsNs;
    this.last.seq = seq;
    return o;
  }

  /** The most recently opened hole still open (set its `tag` right after a `gap_opened` verdict). */
  get lastHole(): SeqHole | undefined {
    return this.holes[this.holes.length - 1];
  }

  /** End of the flow: every hole still open is a final gap. */
  end(): void {
    this.finalize(Number.POSITIVE_INFINITY);
  }

  private setHigh(eBit: number, subseq: number): void {
    this.highEBit = eBit;
    this.highSubseq = subseq;
  }

  private fill(abs: number): boolean {
    for (const h of this.holes) {
      if (abs >= h.fromAbs && abs <= h.toAbs) {
        h.remaining--;
        return true;
      }
    }
    return false;
  }

  /** Reports the holes whose last id is more than `horizon` behind `high` (all of them at the end). */
  private finalize(high: number): void {
    while (this.holes.length > 0 && high - this.holes[0]!.toAbs > this.horizon) {
      const h = this.holes.shift()!;
      if (h.remaining <= 0) continue;
      const ids: number[] = [];
      for (let a = h.fromAbs; a <= h.toAbs; a++) {
        const s = a & 0xff;
        if (this.slots[s] === ST_MISSING) {
          ids.push(s);
          this.slots[s] = ST_GAP_FINAL;
        }
      }
      this.onGap(h, ids);
    }
  }
}
