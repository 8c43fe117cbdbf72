import type { FaultType } from './fault-spec.js';

/** Ground truth for one injected fault (one JSON line of `l1t synth --labels`). */
export interface FaultLabel {
  type: FaultType;
  source: 'fronthaul' | 'timing';
  /** 1-based frame number of the first affected packet; for absences, the first packet after the gap. */
  packet_index: number;
  /** Capture time of that packet, UTC ISO-8601 with nanoseconds. */
  timestamp: string;
  /** Packets emitted that carry the fault (missing packets are counted in `params`). */
  packet_count: number;
  flow: Record<string, string | number>;
  radio?: { frame_id: number; subframe_id: number; slot_id: number; symbol_id: number };
  /** What was injected (missing ids, offsets, values…). */
  params: Record<string, string | number>;
  /** The fault as a SPEC fragment (`type@at:…`). */
  spec: string;
  /** Other anomaly types a correct detector may also report as a consequence of this fault. */
  also?: FaultType[];
  /**
   * With concatenation (several O-RAN messages in one eCPRI PDU): 1-based position of the first affected
   * message in its PDU. Absent when the packet carries one message.
   */
  message_index?: number;
}

/** Internal handle of a label being filled as packets are emitted. */
export class LabelRef {
  resolved = false;
  /** Flow keys to leave out of the label (e.g. `plane` when both planes are affected). */
  omit: string[] = [];
  /** ptp_time_error: Follow_Up / Delay_Resp messages modified so far. */
  fu = 0;
  dr = 0;
  /** Absences: flow of the last dropped packet (to label a gap that runs to the end of the capture). */
  dropFlow = -1;
  /** Encoded pcapng comment for the packets carrying this fault. */
  comment: Uint8Array | null = null;
  constructor(readonly out: FaultLabel) {}
}

export const EvKind = Object.freeze({ U: 0, C: 1, PTP: 2, OWD: 3 });

export const EvFlag = Object.freeze({
  DROP: 1,
  /** Dropped packet consumes a sequence id (packet lost after the sender numbered it). */
  SEQ_CONSUME: 2,
  /** Last dropped packet of a gap: arm the label on its flow. */
  GAP_END: 4,
  SEQ_SKIP: 8,
  SEQ_REUSE: 16,
  REORDER_LEAD: 32,
  REORDER_LAG: 64,
});

export const Malform = Object.freeze({
  NONE: 0,
  ECPRI_SIZE: 1,
  ECPRI_REVISION: 2,
  ECPRI_RESERVED: 3,
  ECPRI_CONCAT: 4,
  CPLANE_FRAGMENT: 5,
  SECTION_OVERRUN: 6,
  PAYLOAD_VERSION: 7,
  /** PTP: body timestamp nanoseconds + 10^9 (ptp_malformed kind=ns). */
  PTP_NANOSECONDS: 8,
  /** PTP: messageLength beyond the frame (ptp_malformed kind=length). */
  PTP_LENGTH: 9,
  /** PTP: an Announce whose clockClass is reserved by IEEE 1588-2019 Table 4 (ptp_malformed kind=clock_class). */
  PTP_CLOCK_CLASS: 10,
  /** PTP: an Announce carrying a TLV whose lengthField runs past the message end (ptp_malformed kind=tlv). */
  PTP_TLV_OVERRUN: 11,
});

/** One packet to emit (pooled; fields not used by its kind keep their reset values). */
export class Ev {
  t = 0;
  /** Air time of the referenced symbol (rel ns), U/C only. */
  air = 0;
  kind = 0;
  flow = 0;
  dir = 0;
  ei = 0;
  /** O-RU index (FronthaulConfig.rus). */
  ru = 0;
  /** Burst of messages that may share one eCPRI PDU (0: never concatenated). */
  group = 0;
  slot = 0;
  frameId = 0;
  subframeId = 0;
  slotId = 0;
  symbolId = 0;
  startPrb = 0;
  numPrb = 0;
  srcPrb = 0;
  numSymbol = 14;
  tmpl: Uint8Array | null = null;
  udCompHdr = 0;
  flags = 0;
  seqArg = 0;
  mal = 0;
  label: LabelRef | null = null;
  // PTP / eCPRI delay measurement
  msgType = 0;
  seq = 0;
  /** Body timestamp, TAI/UTC seconds and nanoseconds. */
  tsSec = 0;
  tsNsec = 0;
  clockClass = 6;
  gm: Uint8Array | null = null;
  correction = 0;
  /** PTP: sent by the rival master port (ptp_competing_masters), not the configured master. */
  rival = false;
  /** PTP: origin timestamp moved back by this many ns (ptp_stale_timestamp). */
  originBackNs = 0;

  reset(): this {
    this.t = 0;
    this.air = 0;
    this.kind = 0;
    this.flow = 0;
    this.dir = 0;
    this.ei = 0;
    this.ru = 0;
    this.group = 0;
    this.slot = 0;
    this.startPrb = 0;
    this.numPrb = 0;
    this.srcPrb = 0;
    this.numSymbol = 14;
    this.tmpl = null;
    this.udCompHdr = 0;
    this.flags = 0;
    this.seqArg = 0;
    this.mal = 0;
    this.label = null;
    this.msgType = 0;
    this.seq = 0;
    this.tsSec = 0;
    this.tsNsec = 0;
    this.clockClass = 6;
    this.gm = null;
    this.correction = 0;
    this.rival = false;
    this.originBackNs = 0;
    return this;
  }

  copyFrom(o: Ev): this {
    Object.assign(this, o);
    return this;
  }
}
