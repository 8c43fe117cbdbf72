import type { FlowTable, Stations } from './flow-table.js';
import type { FronthaulConfig } from './fronthaul-config.js';
import {
  CPLANE_FRAME_LENGTH,
  ETH_MIN_FRAME,
  OWD_FRAME_LENGTH,
  UPLANE_HEADER_LENGTH,
  finishIpUdp,
  writePayloadSize,
  writeRadioHeader,
  writeSectionHead,
} from './fronthaul-frames.js';
import { prbBytes, udCompHdrByte } from './iq.js';
import { PtpType, ptpMessageLength, writeAnnounceBody, writePtpHeader, writePtpTimestamp } from './ptp-frames.js';
import { TAI_UTC_OFFSET_S } from './radio-time.js';
import type { Ev } from './synth-events.js';
import { EvKind, Malform } from './synth-events.js';

/** U-plane section id of every generated section (C-plane and U-plane couple on it, CUS §7.8.1). */
export const SECTION_ID = 1;

/**
 * Writes the frame of one generated packet into a caller's buffer (no allocation): U-plane and C-plane
 * from the flow's pre-built prefix, PTP and eCPRI delay measurement from the stations. Layouts:
 * fronthaul-frames.ts and ptp-frames.ts. Returns the frame length.
 */
export class FrameEmitter {
  private readonly prbB: number;
  private readonly st: Stations;
  private readonly dynamic: boolean;

  constructor(
    private readonly cfg: FronthaulConfig,
    private readonly table: FlowTable,
  ) {
    this.prbB = prbBytes(cfg.comp);
    this.st = table.stations;
    this.dynamic = cfg.compHdr === 'dynamic';
  }

  writeU(ev: Ev, seq: number, buf: Uint8Array, frame: number): number {
    return this.finishPdu(buf, frame, this.startPdu(ev, seq, buf, frame));
  }

  writeC(ev: Ev, seq: number, buf: Uint8Array, frame: number): number {
    return this.finishPdu(buf, frame, this.startPdu(ev, seq, buf, frame));
  }

  /**
   * Writes the flow's prefix (Ethernet, VLAN, [IPv4/UDP,] eCPRI header, PC_ID) and the O-RAN message of a
   * U- or C-plane `ev` at `frame`; returns the offset just past the message (the PDU is open: more
   * messages may be appended before `finishPdu`).
   */
  startPdu(ev: Ev, seq: number, buf: Uint8Array, frame: number): number {
    buf.set(this.table.prefixes[ev.flow] ?? [], frame);
    // eCPRI-relative offsets below are written as in the Ethernet layout, moved by the IP/UDP headers
    const o = frame + this.table.shift;
    return o + this.body(ev, seq, buf, o);
  }

  /**
   * Appends `ev` as a further eCPRI message whose common header starts at `at` (eCPRI v2.0 §3.1.3.1.3:
   * 4-byte aligned from the PDU start, the caller pads); returns the offset just past it. The caller sets
   * the C bit of the message before.
   */
  appendMessage(ev: Ev, seq: number, buf: Uint8Array, at: number): number {
    const shift = this.table.shift;
    // eCPRI common header + PC_ID of the flow (prefix bytes 18..23 in the Ethernet layout)
    buf.set((this.table.prefixes[ev.flow] ?? new Uint8Array(0)).subarray(shift + 18, shift + 24), at);
    const o = at - 18;
    return o + this.body(ev, seq, buf, o);
  }

  /** eCPRI message + payload bytes of a U- or C-plane `ev` (no padding, no frame headers). */
  messageLength(ev: Ev): number {
    if (ev.kind !== EvKind.U) return CPLANE_FRAME_LENGTH - 18;
    let dataLen = ev.numPrb * this.prbB;
    if (ev.mal === Malform.SECTION_OVERRUN) dataLen -= Math.min(dataLen, 2 * this.prbB);
    return UPLANE_HEADER_LENGTH - 18 + (this.dynamic ? 2 : 0) + dataLen;
  }

  /** Closes a PDU that ends at `end`: IPv4/UDP lengths and Ethernet padding; returns the frame length. */
  finishPdu(buf: Uint8Array, frame: number, end: number): number {
    return this.finish(buf, frame, end - frame - this.table.shift);
  }

  /** Writes the message of `ev` whose eCPRI header is at `o + 18`; returns `o`-relative end. */
  private body(ev: Ev, seq: number, buf: Uint8Array, o: number): number {
    return ev.kind === EvKind.U ? this.uBody(ev, seq, buf, o) : this.cBody(ev, seq, buf, o);
  }

  private uBody(ev: Ev, seq: number, buf: Uint8Array, o: number): number {
    const nrb = this.cfg.nrb;
    writeRadioHeader(buf, o, seq, ev.dir === 0, ev.frameId, ev.subframeId, ev.slotId, ev.symbolId);
    const numField = ev.numPrb === nrb && nrb > 255 ? 0 : ev.numPrb;
    writeSectionHead(buf, o + 30, SECTION_ID, ev.startPrb, numField);
    let head = UPLANE_HEADER_LENGTH;
    if (this.dynamic) {
      buf[o + head] = udCompHdrByte(this.cfg.comp);
      buf[o + head + 1] = 0;
      head += 2;
    }
    let dataLen = ev.numPrb * this.prbB;
    const src = ev.srcPrb * this.prbB;
    if (ev.tmpl) buf.set(ev.tmpl.subarray(src, src + dataLen), o + head);
    else buf.fill(0, o + head, o + head + dataLen);
    if (ev.mal === Malform.SECTION_OVERRUN) dataLen -= Math.min(dataLen, 2 * this.prbB);
    const len = head + dataLen;
    writePayloadSize(buf, o, len - 22);
    if (ev.mal) this.malform(ev, buf, o, len);
    return len;
  }

  /** IPv4/UDP lengths (UDP transport) and padding to the Ethernet minimum; returns the frame length. */
  private finish(buf: Uint8Array, frame: number, ethLayoutLength: number): number {
    const content = ethLayoutLength + this.table.shift;
    if (this.table.shift > 0) finishIpUdp(buf, frame, content);
    if (content >= ETH_MIN_FRAME) return content;
    buf.fill(0, frame + content, frame + ETH_MIN_FRAME);
    return ETH_MIN_FRAME;
  }

  private cBody(ev: Ev, seq: number, buf: Uint8Array, o: number): number {
    const nrb = this.cfg.nrb;
    writeRadioHeader(buf, o, seq, ev.dir === 0, ev.frameId, ev.subframeId, ev.slotId, ev.symbolId);
    buf[o + 30] = 1; // numberOfSections
    buf[o + 31] = 1; // sectionType 1
    buf[o + 32] = ev.udCompHdr;
    buf[o + 33] = 0;
    writeSectionHead(buf, o + 34, SECTION_ID, ev.startPrb, ev.numPrb === nrb && nrb > 255 ? 0 : ev.numPrb);
    buf[o + 38] = 0xff; // reMask all 12 REs
    buf[o + 39] = 0xf0 | (ev.numSymbol & 0x0f);
    const beam = ev.ei + 1 + (ev.dir << 8);
    buf[o + 40] = (beam >> 8) & 0x7f;
    buf[o + 41] = beam & 0xff;
    writePayloadSize(buf, o, CPLANE_FRAME_LENGTH - 22);
    if (ev.mal) this.malform(ev, buf, o, CPLANE_FRAME_LENGTH);
    return CPLANE_FRAME_LENGTH;
  }

  private malform(ev: Ev, buf: Uint8Array, o: number, frameLen: number): void {
    switch (ev.mal) {
      case Malform.ECPRI_SIZE:
        writePayloadSize(buf, o, frameLen - 22 + 64);
        break;
      case Malform.ECPRI_REVISION:
        buf[o + 18] = 0x20;
        break;
      case Malform.ECPRI_RESERVED:
        buf[o + 18] = 0x1e;
        break;
      case Malform.ECPRI_CONCAT:
        buf[o + 18] = 0x11;
        break;
      case Malform.CPLANE_FRAGMENT:
        buf[o + 25] = 0x00;
        break;
      case Malform.PAYLOAD_VERSION:
        buf[o + 26] = ((buf[o + 26] ?? 0) & 0x8f) | 0x20;
        break;
      default:
        break;
    }
  }

  writePtp(ev: Ev, buf: Uint8Array, o: number): number {
    const type = ev.msgType;
    const fromSlave = type === PtpType.DELAY_REQ;
    const logInterval = type === PtpType.ANNOUNCE ? -3 : type === PtpType.DELAY_REQ ? 0x7f : -4;
    const body = writePtpHeader(buf, o, fromSlave ? this.st.slave : ev.rival ? this.st.rival : this.st.master, {
      messageType: type,
      domain: this.cfg.ptpDomain,
      flags: type === PtpType.SYNC ? 0x0200 : type === PtpType.ANNOUNCE ? 0x003c : 0,
      sourceClock: fromSlave ? this.st.slaveClock : ev.rival ? this.st.rivalClock : this.st.masterClock,
      sourcePort: 1,
      sequenceId: ev.seq,
      logMessageInterval: logInterval,
    });
    // ptp_malformed: nanoseconds ≥ 10^9 (IEEE 1588-2019 §5.3.3 keeps them below), or a messageLength of 256
    writePtpTimestamp(buf, body, ev.tsSec, ev.mal === Malform.PTP_NANOSECONDS ? ev.tsNsec + 1e9 : ev.tsNsec);
    if (ev.mal === Malform.PTP_LENGTH) {
      buf[o + 16] = 0x01;
      buf[o + 17] = 0x00;
    }
    if (type === PtpType.DELAY_RESP) {
      buf.set(this.st.slaveClock, body + 10);
      buf[body + 18] = 0;
      buf[body + 19] = 1;
    } else if (type === PtpType.ANNOUNCE) {
      // ptp_malformed kind=clock_class: only the class byte is wrong, the rest of the quality stays the locked one's
      const locked = ev.clockClass === 6 || ev.mal === Malform.PTP_CLOCK_CLASS;
      writeAnnounceBody(buf, body, {
        currentUtcOffset: TAI_UTC_OFFSET_S,
        priority1: 128,
        clockClass: ev.clockClass,
        clockAccuracy: locked ? 0x21 : 0xfe,
        offsetScaledLogVariance: locked ? 0x4e5d : 0xffff,
        priority2: 128,
        grandmasterIdentity: ev.gm ?? (ev.rival ? this.st.rivalGmClock : this.st.gmClock),
        stepsRemoved: 1,
        timeSource: locked ? 0x20 : 0xa0,
      });
    }
    let len = 14 + ptpMessageLength(type);
    if (ev.mal === Malform.PTP_TLV_OVERRUN) len = this.overrunTlv(buf, o, len);
    if (len < ETH_MIN_FRAME) buf.fill(0, o + len, o + ETH_MIN_FRAME);
    return Math.max(len, ETH_MIN_FRAME);
  }

  /**
   * ptp_malformed kind=tlv: a PATH_TRACE TLV (type 0x0008, §16.2) after the message body whose lengthField
   * says 32 bytes while only 8 follow within messageLength (raised by 12): the TLV runs past the message end
   * (§14.1). Returns the frame length.
   */
  private overrunTlv(buf: Uint8Array, o: number, len: number): number {
    buf[len + o] = 0x00;
    buf[len + o + 1] = 0x08;
    buf[len + o + 2] = 0x00;
    buf[len + o + 3] = 32;
    buf.set(this.st.gmClock, len + o + 4);
    const messageLength = len - 14 + 12;
    buf[o + 16] = messageLength >> 8;
    buf[o + 17] = messageLength & 0xff;
    return len + 12;
  }

  writeOwd(ev: Ev, buf: Uint8Array, frame: number): number {
    const response = ev.msgType === 2;
    buf.set(this.table.owdPrefix[response ? 1 : 0] ?? [], frame);
    const o = frame + this.table.shift;
    buf[o + 22] = ev.seq;
    buf[o + 23] = ev.msgType;
    writePtpTimestamp(buf, o + 24, ev.tsSec, ev.tsNsec);
    buf.fill(0, o + 34, o + OWD_FRAME_LENGTH); // compensation value 0
    writePayloadSize(buf, o, OWD_FRAME_LENGTH - 22);
    return this.finish(buf, frame, OWD_FRAME_LENGTH);
  }
}
