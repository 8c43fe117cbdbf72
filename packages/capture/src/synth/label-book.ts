import { utf8Encode } from './capture-writer.js';
import type { FlowState } from './flow-table.js';
import type { Ev, FaultLabel, LabelRef } from './synth-events.js';
import { EvFlag, EvKind } from './synth-events.js';
import type { SecNs } from './timestamp.js';
import { isoNs } from './timestamp.js';

/**
 * Fills the ground-truth labels as packets are written: a fault's label takes the frame number, capture
 * time, flow and radio position of its first affected packet; an absence (gap) is armed on its flows by
 * the last dropped packet and takes the flows' next written packet (interfaces.md: "where it becomes
 * observable"), or the last packet of the capture when the gap never closes.
 */
export class LabelBook {
  readonly labels: FaultLabel[] = [];

  constructor(
    private readonly flows: readonly FlowState[],
    private readonly pcapng: boolean,
  ) {}

  /** A packet that is not sent (dropped by a fault). */
  onDropped(ev: Ev, fs: FlowState): void {
    const ref = ev.label;
    if (!ref) return;
    ref.dropFlow = ev.flow;
    if (!(ev.flags & EvFlag.GAP_END)) return;
    // armed on every flow the gap silenced (traffic_gap: both planes of the eAxC × direction)
    if (ref.out.type === 'traffic_gap') {
      for (const f of this.flows)
        if (f.ru === fs.ru && f.info.eaxc === fs.info.eaxc && f.info.direction === fs.info.direction)
          f.pending.push(ref);
    } else fs.pending.push(ref);
  }

  /**
   * A written packet (`seq`: its ecpriSeqid, or −1; `messageIndex`: 1-based position of its message in a
   * concatenated eCPRI PDU, 0 without concatenation); returns the pcapng comment to attach, if any.
   */
  onWritten(ev: Ev, fs: FlowState, packetNo: number, ts: SecNs, seq: number, messageIndex = 0): Uint8Array | undefined {
    let comment: Uint8Array | undefined;
    if (fs.pending.length > 0) {
      for (const ref of fs.pending) {
        if (ref.resolved) continue;
        this.resolve(ref, ev, fs, packetNo, ts, seq, messageIndex);
        ref.out.packet_count = 1;
        if (this.pcapng)
          comment = ref.comment ??= utf8Encode(`l1t synth fault: ${ref.out.spec} (first packet after the gap)`);
      }
      fs.pending.length = 0;
    }
    const ref = ev.label;
    if (ref) {
      if (!ref.resolved) this.resolve(ref, ev, fs, packetNo, ts, seq, messageIndex);
      ref.out.packet_count++;
      if (this.pcapng) comment = ref.comment ??= utf8Encode(`l1t synth fault: ${ref.out.spec}`);
    }
    return comment;
  }

  /** End of capture: gaps still open are labelled at the last packet, with `params.until_end`. */
  closeOpenGaps(open: readonly LabelRef[], lastPacketNo: number, lastTs: SecNs): void {
    if (lastPacketNo === 0) return;
    for (const ref of open) {
      const out = ref.out;
      ref.resolved = true;
      out.packet_index = lastPacketNo;
      out.timestamp = isoNs(lastTs.sec, lastTs.nsec);
      out.packet_count = 1;
      out.flow = this.flowKeys(ref, this.flows[ref.dropFlow]);
      out.params.until_end = 1;
      this.labels.push(out);
    }
  }

  private flowKeys(ref: LabelRef, fs: FlowState | undefined): Record<string, string | number> {
    const flow: Record<string, string | number> = { ...fs?.info };
    for (const k of ref.omit) delete flow[k];
    return flow;
  }

  private resolve(
    ref: LabelRef,
    ev: Ev,
    fs: FlowState,
    packetNo: number,
    ts: SecNs,
    seq: number,
    messageIndex: number,
  ): void {
    ref.resolved = true;
    const out = ref.out;
    out.packet_index = packetNo;
    if (messageIndex > 0) out.message_index = messageIndex;
    out.timestamp = isoNs(ts.sec, ts.nsec);
    out.flow = this.flowKeys(ref, fs);
    if (ev.kind === EvKind.U || ev.kind === EvKind.C) {
      out.radio = { frame_id: ev.frameId, subframe_id: ev.subframeId, slot_id: ev.slotId, symbol_id: ev.symbolId };
    }
    // sequence evidence as a detector would report it (ecpriSeqid modulo 256)
    if (out.type === 'seq_gap') {
      out.params.got_seq = seq;
      out.params.expected_seq = (seq - Number(out.params.missing ?? 0) + 256) & 0xff;
    } else if (out.type === 'seq_duplicate' || out.type === 'seq_reorder') out.params.got_seq = seq;
    this.labels.push(out);
  }
}
