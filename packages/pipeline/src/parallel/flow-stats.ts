import type { DecodedPacket } from '@l1t/capture';
import { seqDistance, seqInOrder } from '@l1t/detect';
import type { FlowStats } from './range-types.js';

/*
 * Per-flow statistics of O-RAN traffic, collected on the decode hot path without per-packet
 * allocation: a flow (eAxC × direction × plane) maps to a slot through a 2^18-entry table, and every
 * counter lives in a typed array indexed by slot.
 *
 * Ranges are decoded independently, so everything here is *partial state* that merges in file order
 * (mergeFlowStats): counts add up, first/last come from the first/last range that saw the flow, the
 * seqId continuity across a range boundary is checked at the merge, and the seqId digest composes
 * (digest(A ‖ B) = digest(A)·P^|B| + digest(B) mod 2^32), so the merged digest equals the digest a
 * single sequential pass computes — equal digests mean equal per-flow seqId order.
 */

const SEQ_P = 0x01000193;

/** Appends one seqId to an order-sensitive digest (polynomial hash mod 2^32). */
export function appendSeqDigest(digest: number, seq: number): number {
  return (Math.imul(digest, SEQ_P) + seq + 1) >>> 0;
}

/** P^n mod 2^32. */
function seqPow(n: number): number {
  let result = 1;
  let base = SEQ_P;
  let e = n;
  while (e > 0) {
    if (e % 2 === 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    e = Math.floor(e / 2);
  }
  return result >>> 0;
}

/** Digest of A followed by B, where B holds `countB` seqIds. */
export function combineSeqDigest(a: number, b: number, countB: number): number {
  return (Math.imul(a, seqPow(countB)) + b) >>> 0;
}

/** Flow key: plane (bit 17, 1 = C) | dataDirection (bit 16, 1 = DL) | eAxC id (bits 15..0). */
export function flowKey(plane: 'u' | 'c', dataDirection: number, eaxc: number): number {
  return ((plane === 'c' ? 1 : 0) << 17) | ((dataDirection & 1) << 16) | (eaxc & 0xffff);
}

const BINS = 16;
/**
 * Exponents are counted in 4 interleaved lanes of 16 bins (PRB k → lane k % 4), summed when read:
 * neighbouring PRBs mostly share an exponent, and 4 independent counters avoid a serial
 * read-modify-write chain on one bin. Lanes are 32-bit and flushed into the float totals long before
 * they could wrap.
 */
const LANES = 4;
const LANE_BLOCK = BINS * LANES;
const FLUSH_AFTER = 0x40000000;

export class FlowStatsCollector {
  private readonly slotOf = new Int32Array(1 << 18).fill(-1);
  private keys: number[] = [];
  private cap = 0;
  private packets: Float64Array<ArrayBuffer> = new Float64Array(0);
  private bytes: Float64Array<ArrayBuffer> = new Float64Array(0);
  private prbs: Float64Array<ArrayBuffer> = new Float64Array(0);
  private firstIndex: Float64Array<ArrayBuffer> = new Float64Array(0);
  private lastIndex: Float64Array<ArrayBuffer> = new Float64Array(0);
  private firstSeq = new Int32Array(0);
  private lastSeq = new Int32Array(0);
  /** Subsequence id of the first packet; `eBit << 8 | subseq` of the last. */
  private firstSub = new Int32Array(0);
  private lastFrag = new Int32Array(0);
  private disc: Float64Array<ArrayBuffer> = new Float64Array(0);
  private digest = new Uint32Array(0);
  private hist: Float64Array<ArrayBuffer> = new Float64Array(0);
  private lanes = new Uint32Array(0);
  private laneCount = 0;

  constructor() {
    this.grow(64);
  }

  /** Forgets every flow (the slot table is cleared for the keys used only). */
  reset(): void {
    for (const k of this.keys) this.slotOf[k] = -1;
    this.keys = [];
    this.packets.fill(0);
    this.bytes.fill(0);
    this.prbs.fill(0);
    this.disc.fill(0);
    this.digest.fill(0);
    this.hist.fill(0);
    this.lanes.fill(0);
    this.laneCount = 0;
  }

  /** Hot path: adds one decoded O-RAN packet (`out.hasOran`) of `capLen` bytes. */
  add(out: DecodedPacket, capLen: number): void {
    const m = out.oran;
    const key = flowKey(m.plane, m.dataDirection, m.eaxc);
    let s = this.slotOf[key]!;
    const seq = m.sequenceId;
    if (s < 0) {
      s = this.newSlot(key);
      this.firstIndex[s] = out.index;
      this.firstSeq[s] = seq;
      this.firstSub[s] = m.subsequenceId;
    } else {
      const last = this.lastFrag[s]!;
      if (!seqInOrder(seqDistance(this.lastSeq[s]!, seq), last >> 8, last & 0xff, m.subsequenceId)) this.disc[s]!++;
    }
    this.lastSeq[s] = seq;
    this.lastFrag[s] = (m.eBit << 8) | m.subsequenceId;
    this.lastIndex[s] = out.index;
    this.packets[s]!++;
    this.bytes[s]! += capLen;
    this.digest[s] = appendSeqDigest(this.digest[s]!, seq);
    if (m.plane !== 'u') return;
    const lanes = this.lanes;
    const exps = m.prbExponent;
    const base = s * LANE_BLOCK;
    const n = m.sectionCount;
    let prbs = 0;
    for (let i = 0; i < n; i++) {
      const sec = m.uSections[i]!;
      const method = sec.compMethod;
      if (method !== 1 && method !== 5) continue; // BFP and BFP selective-RE carry a block exponent
      const from = sec.prbIndex;
      const to = i + 1 < n ? m.uSections[i + 1]!.prbIndex : m.prbCount;
      let k = from;
      for (; k + 3 < to; k += 4) {
        lanes[base + exps[k]!]!++;
        lanes[base + 16 + exps[k + 1]!]!++;
        lanes[base + 32 + exps[k + 2]!]!++;
        lanes[base + 48 + exps[k + 3]!]!++;
      }
      for (; k < to; k++) lanes[base + exps[k]!]!++;
      prbs += to - from;
    }
    this.prbs[s]! += prbs;
    this.laneCount += prbs;
    if (this.laneCount >= FLUSH_AFTER) this.flushLanes();
  }

  /** Adds the 32-bit lane counters into the float histogram and clears them. */
  private flushLanes(): void {
    const lanes = this.lanes;
    const hist = this.hist;
    for (let slot = 0; slot < this.keys.length; slot++) {
      for (let b = 0; b < BINS; b++) {
        let sum = 0;
        for (let l = 0; l < LANES; l++) sum += lanes[slot * LANE_BLOCK + l * BINS + b]!;
        hist[slot * BINS + b]! += sum;
      }
    }
    lanes.fill(0);
    this.laneCount = 0;
  }

  /** The flows seen, ordered by key (plane, direction, eAxC). */
  toFlowStats(): FlowStats[] {
    this.flushLanes();
    const order = this.keys.map((key, slot) => ({ key, slot })).sort((a, b) => a.key - b.key);
    return order.map(({ key, slot }) => ({
      eaxc: key & 0xffff,
      plane: key & (1 << 17) ? 'c' : 'u',
      direction: key & (1 << 16) ? 'dl' : 'ul',
      packets: this.packets[slot]!,
      bytes: this.bytes[slot]!,
      prbs: this.prbs[slot]!,
      exponentHistogram: Array.from(this.hist.subarray(slot * BINS, slot * BINS + BINS)),
      firstIndex: this.firstIndex[slot]!,
      lastIndex: this.lastIndex[slot]!,
      firstSeq: this.firstSeq[slot]!,
      lastSeq: this.lastSeq[slot]!,
      firstSubseq: this.firstSub[slot]!,
      lastEBit: this.lastFrag[slot]! >> 8,
      lastSubseq: this.lastFrag[slot]! & 0xff,
      seqDiscontinuities: this.disc[slot]!,
      seqDigest: this.digest[slot]!,
    }));
  }

  private newSlot(key: number): number {
    const s = this.keys.length;
    if (s >= this.cap) this.grow(this.cap * 2);
    this.keys.push(key);
    this.slotOf[key] = s;
    return s;
  }

  private grow(cap: number): void {
    const f64 = (a: Float64Array, n: number): Float64Array<ArrayBuffer> => {
      const b = new Float64Array(n);
      b.set(a);
      return b;
    };
    this.packets = f64(this.packets, cap);
    this.bytes = f64(this.bytes, cap);
    this.prbs = f64(this.prbs, cap);
    this.firstIndex = f64(this.firstIndex, cap);
    this.lastIndex = f64(this.lastIndex, cap);
    this.disc = f64(this.disc, cap);
    this.hist = f64(this.hist, cap * BINS);
    const lanes = new Uint32Array(cap * LANE_BLOCK);
    lanes.set(this.lanes);
    this.lanes = lanes;
    const fs = new Int32Array(cap);
    fs.set(this.firstSeq);
    this.firstSeq = fs;
    const ls = new Int32Array(cap);
    ls.set(this.lastSeq);
    this.lastSeq = ls;
    const fsub = new Int32Array(cap);
    fsub.set(this.firstSub);
    this.firstSub = fsub;
    const lf = new Int32Array(cap);
    lf.set(this.lastFrag);
    this.lastFrag = lf;
    const d = new Uint32Array(cap);
    d.set(this.digest);
    this.digest = d;
    this.cap = cap;
  }
}

/**
 * Merges per-range flow states given in file order into per-file states. Frame numbers in `ranges[i]`
 * are local to that range; `indexBase[i]` is the number of packets of the ranges before it. The
 * seqId continuity across each range boundary is checked here, as a single pass would have.
 */
export function mergeFlowStats(ranges: readonly (readonly FlowStats[])[], indexBase: readonly number[]): FlowStats[] {
  const byKey = new Map<number, FlowStats>();
  ranges.forEach((flows, i) => {
    const base = indexBase[i] ?? 0;
    for (const f of flows) {
      const key = flowKey(f.plane, f.direction === 'dl' ? 1 : 0, f.eaxc);
      const acc = byKey.get(key);
      if (acc === undefined) {
        byKey.set(key, {
          ...f,
          exponentHistogram: [...f.exponentHistogram],
          firstIndex: f.firstIndex + base,
          lastIndex: f.lastIndex + base,
        });
        continue;
      }
      acc.packets += f.packets;
      acc.bytes += f.bytes;
      acc.prbs += f.prbs;
      for (let b = 0; b < BINS; b++) acc.exponentHistogram[b]! += f.exponentHistogram[b] ?? 0;
      if (!seqInOrder(seqDistance(acc.lastSeq, f.firstSeq), acc.lastEBit, acc.lastSubseq, f.firstSubseq))
        acc.seqDiscontinuities++;
      acc.seqDiscontinuities += f.seqDiscontinuities;
      acc.seqDigest = combineSeqDigest(acc.seqDigest, f.seqDigest, f.packets);
      acc.lastSeq = f.lastSeq;
      acc.lastEBit = f.lastEBit;
      acc.lastSubseq = f.lastSubseq;
      acc.lastIndex = f.lastIndex + base;
    }
  });
  return [...byKey.entries()].sort((a, b) => a[0] - b[0]).map(([, f]) => f);
}
