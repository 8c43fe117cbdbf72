import type { DecodedPacket } from '@l1t/capture';
import { isoNs } from '../time-format.js';
import { objectArray } from './object-array.js';

/** One packet of an anomaly's `packet_context` (what an engineer checks first in Wireshark). */
export interface PacketContextEntry {
  /** 1-based frame number. */
  frame: number;
  time: string;
  /** Frame length in bytes as captured. */
  size: number;
  kind: 'ecpri' | 'ptp' | 'other';
  /** True for the packet the anomaly points at (`packet_index`). */
  focus?: true;
  eaxc?: number;
  plane?: 'c' | 'u';
  direction?: 'dl' | 'ul';
  seq?: number;
  frame_id?: number;
  subframe_id?: number;
  slot_id?: number;
  symbol_id?: number;
  ecpri_type?: number;
  ptp_type?: number;
  findings?: number;
}

const KIND_OTHER = 0;
const KIND_ECPRI = 1;
const KIND_PTP = 2;

interface Pending {
  /** Frame numbers still wanted after the focus packet, up to and including `lastWanted`. */
  lastWanted: number;
  nextWanted: number;
  out: PacketContextEntry[];
}

/**
 * The last `capacity` packets as plain numbers in preallocated typed arrays (no allocation per packet), so
 * an anomaly can show the packets around it: `before` packets, the packet itself, `after` packets. A
 * detector may report a packet some time after it passed (a sequence gap becomes final only later): the
 * capacity covers that lag; a packet that has left the ring simply is not shown.
 */
export class PacketContextRing {
  private readonly frame: Float64Array;
  private readonly ts: BigInt64Array;
  private readonly size: Int32Array;
  private readonly kind: Uint8Array;
  /** -1 when the packet has no O-RAN message; else bit 1 C-plane, bit 0 DL. */
  private readonly planeDir: Int8Array;
  private readonly eaxc: Int32Array;
  private readonly seq: Int32Array;
  private readonly radio: Int16Array;
  private readonly ecpriType: Int16Array;
  private readonly ptpType: Int16Array;
  private readonly findings: Uint16Array;
  /** Generic elements kind from the start (objectArray: the first request did not deoptimise push()). */
  private readonly pending: Pending[] = objectArray<Pending>();
  private latest = 0;

  constructor(
    readonly capacity = 4096,
    readonly before = 3,
    readonly after = 3,
  ) {
    this.frame = new Float64Array(capacity);
    this.ts = new BigInt64Array(capacity);
    this.size = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.planeDir = new Int8Array(capacity);
    this.eaxc = new Int32Array(capacity);
    this.seq = new Int32Array(capacity);
    this.radio = new Int16Array(capacity * 4);
    this.ecpriType = new Int16Array(capacity);
    this.ptpType = new Int16Array(capacity);
    this.findings = new Uint16Array(capacity);
  }

  /** Records one packet (hot path). */
  push(p: DecodedPacket): void {
    const i = p.index % this.capacity;
    this.frame[i] = p.index;
    this.ts[i] = p.tsNs;
    this.size[i] = p.data.length;
    this.findings[i] = p.findings.count;
    let kind = KIND_OTHER;
    let et = -1;
    let pt = -1;
    if (p.kind === 'ecpri') {
      kind = KIND_ECPRI;
      if (p.ecpri.count > 0) et = p.ecpri.messages[0]!.messageType;
    } else if (p.kind === 'ptp') {
      kind = KIND_PTP;
      if (p.ptp.valid) {
        pt = p.ptp.messageType;
        // The sequenceId of a PTP message: what a ptp_sync_gap or a sequence error is read against.
        this.seq[i] = p.ptp.sequenceId;
      }
    }
    this.kind[i] = kind;
    this.ecpriType[i] = et;
    this.ptpType[i] = pt;
    if (p.hasOran) {
      const o = p.oran;
      this.planeDir[i] = (o.plane === 'c' ? 2 : 0) | (o.dataDirection & 1);
      this.eaxc[i] = o.eaxc;
      this.seq[i] = o.sequenceId;
      const r = i * 4;
      if (o.headerComplete) {
        this.radio[r] = o.frameId;
        this.radio[r + 1] = o.subframeId;
        this.radio[r + 2] = o.slotId;
        this.radio[r + 3] = o.symbolId;
      } else {
        this.radio[r] = -1;
      }
    } else {
      this.planeDir[i] = -1;
    }
    this.latest = p.index;
    if (this.pending.length > 0) this.fillPending(p.index);
  }

  /**
   * The context of frame `focus`: the packets before it and the packet itself now; the packets after it
   * are appended to the returned array as they arrive (until `finish`).
   */
  capture(focus: number): PacketContextEntry[] {
    const out: PacketContextEntry[] = [];
    const last = Math.min(focus + this.after, this.latest);
    for (let f = Math.max(1, focus - this.before); f <= last; f++) {
      const e = this.entry(f, f === focus);
      if (e) out.push(e);
    }
    if (focus + this.after > this.latest) {
      this.pending.push({ lastWanted: focus + this.after, nextWanted: Math.max(this.latest + 1, focus), out });
    }
    return out;
  }

  /** End of file: contexts still waiting for packets after their focus stay as they are. */
  finish(): void {
    this.pending.length = 0;
  }

  private fillPending(index: number): void {
    for (let k = this.pending.length - 1; k >= 0; k--) {
      const w = this.pending[k]!;
      if (index >= w.nextWanted && index <= w.lastWanted) {
        const e = this.entry(index, false);
        if (e) w.out.push(e);
        w.nextWanted = index + 1;
      }
      if (index >= w.lastWanted) this.pending.splice(k, 1);
    }
  }

  private entry(frame: number, focus: boolean): PacketContextEntry | undefined {
    const i = frame % this.capacity;
    if (this.frame[i] !== frame) return undefined;
    const kind = this.kind[i]!;
    const e: PacketContextEntry = {
      frame,
      time: isoNs(this.ts[i]!),
      size: this.size[i]!,
      kind: kind === KIND_ECPRI ? 'ecpri' : kind === KIND_PTP ? 'ptp' : 'other',
    };
    if (focus) e.focus = true;
    if (this.ecpriType[i]! >= 0) e.ecpri_type = this.ecpriType[i]!;
    if (this.ptpType[i]! >= 0) {
      e.ptp_type = this.ptpType[i]!;
      e.seq = this.seq[i]!;
    }
    const pd = this.planeDir[i]!;
    if (pd >= 0) {
      e.eaxc = this.eaxc[i]!;
      e.plane = pd & 2 ? 'c' : 'u';
      e.direction = pd & 1 ? 'dl' : 'ul';
      e.seq = this.seq[i]!;
      const r = i * 4;
      if (this.radio[r]! >= 0) {
        e.frame_id = this.radio[r]!;
        e.subframe_id = this.radio[r + 1]!;
        e.slot_id = this.radio[r + 2]!;
        e.symbol_id = this.radio[r + 3]!;
      }
    }
    if (this.findings[i]! > 0) e.findings = this.findings[i]!;
    return e;
  }
}
