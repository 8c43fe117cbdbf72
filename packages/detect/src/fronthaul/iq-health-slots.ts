import { Inferred, type DecodedPacket } from '@l1t/capture';
import type { FlowKey, RadioKey } from '@l1t/contracts';
import { flowKeyOf } from '../framework/flow.js';

/**
 * Per-slot IQ statistics of one U-plane flow (eAxC × direction), accumulated from the decoder's per-section
 * IQ totals (O-RAN WG4 CUS Annex A.1: all-zero PRBs, clipped PRBs and samples, linear PRB power).
 *
 * A slot is identified by its radio position (frameId, subframeId, slotId). U-plane packets of one flow
 * arrive slot after slot, so a flow's slot closes when a packet of another slot arrives on that flow (or
 * at the end of the file). A straggler of an earlier slot opens a short slot of its own: with a handful
 * of PRBs it can only be judged on those, which is what it carried.
 *
 * Only PRBs whose IQ the decoder could read count (uncompressed and BFP; other methods carry NaN power):
 *  - `prbs`: PRBs with decoded IQ;
 *  - `zeroPrbs`: PRBs whose 24 samples are all zero;
 *  - `clippedPrbs`: BFP PRBs with the exponent at 16 − udIqWidth and a mantissa at −2^(w−1) or
 *    2^(w−1) − 1 (the decoder's rule, the same as fronthaul.md §O-RAN U-plane; uncompressed IQ has no
 *    exponent and is never counted as clipped);
 *  - `activePowerLin`: sum of the linear power (relative to full scale) of the non-zero PRBs, so that
 *    `meanActiveDbfs` is the mean power of the PRBs that carry energy — independent of the load (how many
 *    PRBs are allocated), which `zeroPrbs` measures instead.
 */
export class SlotStats {
  /** `(direction << 16) | eaxc`. */
  flow = 0;
  eaxc = 0;
  /** 1 = DL, 0 = UL. */
  direction = 0;
  slotKey = -1;
  frameId = 0;
  subframeId = 0;
  slotId = 0;
  firstIndex = 0;
  firstTsNs = 0n;
  lastIndex = 0;
  lastTsNs = 0n;
  packets = 0;
  prbs = 0;
  zeroPrbs = 0;
  clippedPrbs = 0;
  clippedSamples = 0;
  activePowerLin = 0.5;
  /** Packets that carried at least one clipped PRB, and the first of them. */
  clippedPackets = 0;
  firstClippedIndex = 0;
  firstClippedTsNs = 0n;
  /** Any packet of the slot carried BFP (clipping can be judged) / had its IQ width guessed. */
  bfp = false;
  widthInferred = false;
  iqWidth = 0;

  reset(): void {
    this.slotKey = -1;
    this.packets = this.prbs = this.zeroPrbs = this.clippedPrbs = this.clippedSamples = this.clippedPackets = 0;
    this.activePowerLin = 0;
    this.firstClippedIndex = 0;
    this.bfp = this.widthInferred = false;
    this.iqWidth = 0;
  }

  get zeroRatio(): number {
    return this.prbs > 0 ? this.zeroPrbs / this.prbs : 0;
  }

  get clippedRatio(): number {
    return this.prbs > 0 ? this.clippedPrbs / this.prbs : 0;
  }

  /** Mean power of the non-zero PRBs in dBFS (0 dBFS: every RE at amplitude 2^15); -Infinity when none. */
  get meanActiveDbfs(): number {
    const active = this.prbs - this.zeroPrbs;
    return active > 0 ? 10 * Math.log10(this.activePowerLin / active) : -Infinity;
  }

  radio(): RadioKey {
    return { frame_id: this.frameId, subframe_id: this.subframeId, slot_id: this.slotId };
  }
}

/** Per-flow state: the slot being filled, the flow key for reports (built once per flow), the detector's own state. */
export interface SlotFlow<S> {
  readonly slot: SlotStats;
  readonly flowKey: FlowKey;
  /** `u|dl|eaxc=1`, for aggregation keys. */
  readonly name: string;
  /** `eAxC 1 DL` for descriptions. */
  readonly label: string;
  readonly state: S;
}

/** Bound on tracked flows (eAxC × direction ≤ 2^17); flows beyond it are ignored, not an unbounded map. */
export const MAX_SLOT_FLOWS = 4096;

/**
 * Feeds U-plane packets into per-flow {@link SlotStats} and calls `onSlot` for every closed slot. No
 * allocation per packet: one `SlotFlow` per flow, its `SlotStats` reused slot after slot.
 */
export class SlotTracker<S> {
  private readonly flows = new Map<number, SlotFlow<S>>();

  constructor(
    private readonly makeState: () => S,
    private readonly onSlot: (flow: SlotFlow<S>, slot: SlotStats) => void,
  ) {}

  get flowCount(): number {
    return this.flows.size;
  }

  onPacket(p: DecodedPacket): void {
    if (!p.hasOran) return;
    const o = p.oran;
    if (o.plane !== 'u' || !o.headerComplete || o.sectionCount === 0) return;
    const key = ((o.dataDirection & 1) << 16) | o.eaxc;
    let f = this.flows.get(key);
    if (f === undefined) {
      if (this.flows.size >= MAX_SLOT_FLOWS) return;
      const dl = (o.dataDirection & 1) === 1;
      const flowKey = flowKeyOf(p);
      f = {
        slot: new SlotStats(),
        flowKey,
        name: `u|${dl ? 'dl' : 'ul'}|eaxc=${o.eaxc}`,
        label: `eAxC ${o.eaxc} ${dl ? 'DL' : 'UL'}`,
        state: this.makeState(),
      };
      f.slot.reset();
      this.flows.set(key, f);
    }
    const s = f.slot;
    const slotKey = (o.frameId << 10) | (o.subframeId << 6) | o.slotId;
    if (s.slotKey !== slotKey) {
      if (s.packets > 0) this.onSlot(f, s);
      s.reset();
      s.flow = key;
      s.eaxc = o.eaxc;
      s.direction = o.dataDirection & 1;
      s.slotKey = slotKey;
      s.frameId = o.frameId;
      s.subframeId = o.subframeId;
      s.slotId = o.slotId;
      s.firstIndex = p.index;
      s.firstTsNs = p.tsNs;
    }
    s.packets++;
    s.lastIndex = p.index;
    s.lastTsNs = p.tsNs;
    const q = summarizePacket(p);
    if (q.widthInferred) s.widthInferred = true;
    if (q.bfp) s.bfp = true;
    if (q.iqWidth > 0) s.iqWidth = q.iqWidth;
    s.prbs += q.prbs;
    s.zeroPrbs += q.zeroPrbs;
    s.clippedSamples += q.clippedSamples;
    s.activePowerLin += q.activePowerLin;
    if (q.clippedPrbs > 0) {
      if (s.clippedPackets === 0) {
        s.firstClippedIndex = p.index;
        s.firstClippedTsNs = p.tsNs;
      }
      s.clippedPrbs += q.clippedPrbs;
      s.clippedPackets++;
    }
  }

  /** Closes every open slot (end of file). */
  finish(): void {
    for (const f of this.flows.values()) {
      if (f.slot.packets > 0) this.onSlot(f, f.slot);
      f.slot.reset();
    }
  }

  /** Every flow seen so far. */
  values(): IterableIterator<SlotFlow<S>> {
    return this.flows.values();
  }
}

/** IQ summary of one U-plane packet (sums over its PRBs with decoded IQ). */
export class PacketIqSummary {
  packet: DecodedPacket | undefined = undefined;
  index = -1;
  tsNs = -1n;
  prbs = 0;
  zeroPrbs = 0;
  clippedPrbs = 0;
  clippedSamples = 0;
  activePowerLin = 0.5;
  bfp = false;
  widthInferred = false;
  iqWidth = 0;
}

const lastSummary = new PacketIqSummary();

/**
 * Sums the decoder's per-section IQ totals of a U-plane packet (zero PRBs, clipped PRBs and samples, linear
 * power of the non-zero PRBs: `UplaneSection`). The IQ detectors of one file all see the same packet object
 * in turn: the summary of the last packet is kept, so it is computed once per packet, not once per
 * detector. No allocation, no per-PRB work.
 */
export function summarizePacket(p: DecodedPacket): PacketIqSummary {
  const q = lastSummary;
  if (q.packet === p && q.index === p.index && q.tsNs === p.tsNs) return q;
  q.packet = p;
  q.index = p.index;
  q.tsNs = p.tsNs;
  q.prbs = q.zeroPrbs = q.clippedPrbs = q.clippedSamples = q.iqWidth = 0;
  q.activePowerLin = 0;
  q.bfp = false;
  const o = p.oran;
  q.widthInferred = (o.inferred & Inferred.IQ_WIDTH) !== 0;
  const n = o.sectionCount;
  const sections = o.uSections;
  for (let i = 0; i < n; i++) {
    const sec = sections[i]!;
    if (!sec.iqSupported) continue;
    if (sec.compMethod === 1) q.bfp = true;
    q.iqWidth = sec.iqWidth;
    const end = i + 1 < n ? sections[i + 1]!.prbIndex : o.prbCount;
    q.prbs += end - sec.prbIndex;
    q.zeroPrbs += sec.zeroPrbs;
    q.clippedPrbs += sec.clippedPrbs;
    q.clippedSamples += sec.clippedSamples;
    q.activePowerLin += sec.activePowerLin;
  }
  return q;
}
