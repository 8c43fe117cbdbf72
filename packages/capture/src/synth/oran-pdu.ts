import type { FlowState, FlowTable } from './flow-table.js';
import { nextSeq } from './flow-table.js';
import type { FrameEmitter } from './frame-emitter.js';
import type { FronthaulConfig } from './fronthaul-config.js';
import type { LabelBook } from './label-book.js';
import type { Ev } from './synth-events.js';
import { EvFlag, EvKind, Malform } from './synth-events.js';
import type { SecNs } from './timestamp.js';

/** What the PDU writer needs from the generator's time-ordered queue. */
export interface PduQueue {
  /** The next packet in capture order, not taken (may generate later slots); undefined at the end. */
  peek(): Ev | undefined;
  /** Takes the packet `peek()` returned; the writer hands it back with `release` once written. */
  take(): void;
  release(ev: Ev): void;
  /** A taken packet that a fault dropped (not sent): sequence id consumed or not, gap label armed. */
  dropped(ev: Ev, fs: FlowState): void;
}

/**
 * Messages of one burst further apart than this are not concatenated: a fault moved one of them (window
 * shift, spread UL burst), so it is a frame of its own. A burst's messages are spaced by their
 * serialisation time (< 3 µs for a 9000-byte frame at 25 Gbit/s).
 */
const CONCAT_MAX_SPACING_NS = 5_000;

/**
 * Writes the U- and C-plane frames: one O-RAN message per eCPRI PDU, or — with `concat` > 1 — the messages
 * of one burst back to back in one PDU (eCPRI v2.0 §3.1.3.1: C = 1 on every message but the last;
 * §3.1.3.1.3: each further message starts 4-byte aligned from the PDU start, padding bytes are zero).
 * Each message keeps its own eAxC (ecpriPcid) and ecpriSeqid. The PDU stays within `mtu` (eCPRI bytes plus
 * IPv4/UDP headers with that transport).
 *
 * Malformed messages keep their finding observable: a revision ≠ 1 only starts a PDU (a follow-on
 * message with another revision reads as concatenation misuse); a payload size beyond the frame or a C bit
 * with nothing behind it only ends one.
 */
export class OranPduWriter {
  /** pcapng comment of the last written frame (from the labels of its messages). */
  comment: Uint8Array | undefined;
  /** O-RAN messages in the last written frame. */
  messages = 0;
  /** U-plane and C-plane messages written, frames carrying more than one message. */
  uMessages = 0;
  cMessages = 0;
  concatenatedPdus = 0;
  private readonly concat: number;
  private readonly pduLimit: number;
  /** tail 'cut': nothing at or after the end of the capture joins a PDU. */
  private readonly endNs: number;

  constructor(
    private readonly cfg: FronthaulConfig,
    private readonly table: FlowTable,
    private readonly frames: FrameEmitter,
    private readonly book: LabelBook,
    private readonly queue: PduQueue,
  ) {
    this.concat = cfg.concat;
    this.pduLimit = cfg.mtu - table.shift;
    this.endNs = cfg.tail === 'cut' ? cfg.durationS * 1e9 : Infinity;
  }

  /** Largest frame this writer produces with concatenation on (Ethernet + VLAN + MTU), bytes. */
  static maxFrame(cfg: FronthaulConfig): number {
    return cfg.concat > 1 ? 18 + cfg.mtu : 0;
  }

  /** Writes the frame of `ev` (taken already) at `frame`; returns its length. Labels get `packetNo`. */
  write(ev: Ev, fs: FlowState, buf: Uint8Array, frame: number, packetNo: number, ts: SecNs): number {
    const seq = nextSeq(fs, ev);
    const single = this.concat <= 1;
    this.comment = this.book.onWritten(ev, fs, packetNo, ts, seq, single ? 0 : 1);
    this.count(ev);
    this.messages = 1;
    if (single)
      return ev.kind === EvKind.U ? this.frames.writeU(ev, seq, buf, frame) : this.frames.writeC(ev, seq, buf, frame);

    let end = this.frames.startPdu(ev, seq, buf, frame);
    const pduStart = frame + this.table.shift + 18;
    let lastAt = pduStart;
    let prev = ev;
    while (this.messages < this.concat && !endsPdu(prev)) {
      const n = this.queue.peek();
      if (!n || n.group !== ev.group || n.group === 0 || n.t - prev.t > CONCAT_MAX_SPACING_NS || n.t >= this.endNs)
        break;
      const nfs = this.table.flows[n.flow];
      if (!nfs) break;
      if (n.flags & EvFlag.DROP) {
        this.queue.take();
        this.queue.dropped(n, nfs);
        this.queue.release(n);
        continue;
      }
      if (n.mal === Malform.ECPRI_REVISION) break;
      const at = end + ((4 - ((end - pduStart) & 3)) & 3);
      if (at - pduStart + this.frames.messageLength(n) > this.pduLimit) break;
      this.queue.take();
      buf.fill(0, end, at);
      buf[lastAt] = (buf[lastAt] ?? 0) | 0x01; // C: another message follows
      const nseq = nextSeq(nfs, n);
      end = this.frames.appendMessage(n, nseq, buf, at);
      lastAt = at;
      this.messages++;
      const c = this.book.onWritten(n, nfs, packetNo, ts, nseq, this.messages);
      this.comment ??= c;
      this.count(n);
      prev = n;
      this.queue.release(n);
    }
    if (this.messages > 1) this.concatenatedPdus++;
    return this.frames.finishPdu(buf, frame, end);
  }

  private count(ev: Ev): void {
    if (ev.kind === EvKind.U) this.uMessages++;
    else this.cMessages++;
  }
}

/** A message whose malformation must stay the PDU's last (payload size beyond the frame, stray C bit). */
function endsPdu(ev: Ev): boolean {
  return ev.mal === Malform.ECPRI_SIZE || ev.mal === Malform.ECPRI_CONCAT;
}
