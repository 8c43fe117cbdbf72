import { Inferred, type OranMessage } from '@l1t/capture';
import type { RadioKey } from '@l1t/contracts';
import type { FlowRef } from './flow.js';

/**
 * Per-slot statistics of one U-plane flow, accumulated by the fronthaul stage from the decoder's
 * per-section IQ totals (O-RAN WG4 CUS Annex A.1: all-zero PRBs, clipped PRBs and samples, linear PRB
 * power) — computed once per message for every detector, handed over when the slot closes.
 *
 * A slot is identified by its radio position (`slotKeyOf`: frameId, subframeId, slotId). U-plane messages
 * of one flow arrive slot after slot, so a flow's slot closes when a message of another slot arrives on
 * that flow, when the flow is evicted, or at the end of the file. A straggler of an earlier slot opens a
 * short slot of its own: with a handful of PRBs it can only be judged on those, which is what it carried.
 *
 * Only PRBs whose IQ the decoder could read count (uncompressed and BFP; other methods carry no totals):
 *  - `prbs`: PRBs with decoded IQ;
 *  - `zeroPrbs`: PRBs whose 24 samples are all zero;
 *  - `clippedPrbs`: BFP PRBs with the exponent at 16 − udIqWidth and a mantissa at −2^(w−1) or
 *    2^(w−1) − 1 (the decoder's rule, fronthaul.md §O-RAN U-plane; uncompressed IQ is never clipped);
 *  - `activePowerLin`: sum of the linear power (relative to full scale) of the non-zero PRBs, so that
 *    `meanActiveDbfs` is the mean power of the PRBs that carry energy, independent of the load.
 */
export class SlotStats {
  flow!: FlowRef;
  slotKey = -1;
  frameId = 0;
  subframeId = 0;
  slotId = 0;
  firstIndex = 0;
  firstTsNs = 0n;
  lastIndex = 0;
  lastTsNs = 0n;
  /** Messages of the slot (a concatenated PDU counts each of its messages). */
  packets = 0;
  prbs = 0;
  zeroPrbs = 0;
  clippedPrbs = 0;
  clippedSamples = 0;
  activePowerLin = 0.5;
  /** Messages that carried at least one clipped PRB, and the first of them. */
  clippedPackets = 0;
  firstClippedIndex = 0;
  firstClippedTsNs = 0n;
  /** Any message of the slot carried BFP (clipping can be judged) / had its IQ width guessed. */
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

  /** Starts the slot of message `m` on `flow`. */
  open(flow: FlowRef, m: OranMessage, slotKey: number, index: number, tsNs: bigint): void {
    this.reset();
    this.flow = flow;
    this.slotKey = slotKey;
    this.frameId = m.frameId;
    this.subframeId = m.subframeId;
    this.slotId = m.slotId;
    this.firstIndex = index;
    this.firstTsNs = tsNs;
  }

  /** Adds the IQ totals of U-plane message `m` (packet `index` at `tsNs`). No allocation, no per-PRB work. */
  add(m: OranMessage, index: number, tsNs: bigint): void {
    this.packets++;
    this.lastIndex = index;
    this.lastTsNs = tsNs;
    if ((m.inferred & Inferred.IQ_WIDTH) !== 0) this.widthInferred = true;
    let clipped = 0;
    const n = m.sectionCount;
    const sections = m.uSections;
    for (let i = 0; i < n; i++) {
      const sec = sections[i]!;
      if (!sec.iqSupported) continue;
      if (sec.compMethod === 1) this.bfp = true;
      this.iqWidth = sec.iqWidth;
      const end = i + 1 < n ? sections[i + 1]!.prbIndex : m.prbCount;
      this.prbs += end - sec.prbIndex;
      this.zeroPrbs += sec.zeroPrbs;
      clipped += sec.clippedPrbs;
      this.clippedSamples += sec.clippedSamples;
      this.activePowerLin += sec.activePowerLin;
    }
    if (clipped > 0) {
      if (this.clippedPackets === 0) {
        this.firstClippedIndex = index;
        this.firstClippedTsNs = tsNs;
      }
      this.clippedPrbs += clipped;
      this.clippedPackets++;
    }
  }
}
