import type { FindingList } from '../decode/findings.js';

/*
 * eCPRI common header (eCPRI v2.0 §3.1.3.1), big-endian:
 *
 *   0               1               2               3
 *   0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
 *  +-------+-----+-+---------------+-------------------------------+
 *  |revisn | rsv |C| message type  |         payload size          |
 *  +-------+-----+-+---------------+-------------------------------+
 *
 * With C = 1 another eCPRI message follows in the same transport PDU, starting at the next 4-byte
 * boundary (§3.1.3.1.3). Message-type payloads: §3.2.4.1–§3.2.4.8.
 */
export const ECPRI_HEADER_LENGTH = 4;
export const ECPRI_ETHERTYPE = 0xaefe;

/** eCPRI message types (§3.2.4). */
export const EcpriType = Object.freeze({
  IQ_DATA: 0,
  BIT_SEQUENCE: 1,
  REAL_TIME_CONTROL: 2,
  GENERIC_DATA_TRANSFER: 3,
  REMOTE_MEMORY_ACCESS: 4,
  ONE_WAY_DELAY: 5,
  REMOTE_RESET: 6,
  EVENT_INDICATION: 7,
});

/** Minimum payload of each message type, in bytes (§3.2.4). */
const MIN_PAYLOAD = [4, 4, 4, 8, 12, 20, 3, 4] as const;

/** One fault/notification element of an Event Indication (§3.2.4.8): 8 bytes. */
export interface EcpriEventElement {
  elementId: number;
  raiseCease: number;
  faultNotif: number;
  additionalInfo: number;
}

/** One decoded eCPRI message. Fields not belonging to `messageType` keep their reset value (-1 / 0). */
export class EcpriMessage {
  /** Byte offset of the common header in the frame. */
  offset = 0;
  revision = 0;
  reserved = 0;
  cBit = false;
  messageType = 0;
  payloadSize = 0;
  payloadOffset = 0;
  /** Payload bytes actually present in the frame (≤ payloadSize). */
  payloadAvailable = 0;
  /** Types 0/1/3 PC_ID, type 2 RTC_ID (32-bit for type 3); -1 when absent. */
  pcId = -1;
  /** SEQ_ID (16-bit for types 0–2, 32-bit for type 3); -1 when absent. */
  seqId = -1;
  // Type 4: Remote Memory Access
  rmaId = -1;
  readWrite = -1;
  requestResponse = -1;
  elementId = -1;
  /** 48-bit address (fits a double exactly). */
  address = -1;
  dataLength = -1;
  // Type 5: One-Way Delay Measurement
  measurementId = -1;
  actionType = -1;
  /** Timestamp seconds (48-bit) and nanoseconds (32-bit). */
  timestampSec = -1;
  timestampNs = -1;
  /** Compensation value halves (unsigned 64-bit, ns × 2^16). */
  compensationHi = 0;
  compensationLo = 0;
  /** Compensation value: ns × 2^16 (64-bit). */
  get compensationValue(): bigint {
    return (BigInt(this.compensationHi) << 32n) | BigInt(this.compensationLo);
  }
  // Type 6: Remote Reset
  resetId = -1;
  resetCode = -1;
  // Type 7: Event Indication
  eventId = -1;
  eventType = -1;
  sequenceNumber = -1;
  numberOfFaults = -1;
  readonly elements: EcpriEventElement[] = [];
  elementCount = 0;

  reset(): void {
    this.pcId = this.seqId = -1;
    this.rmaId = this.readWrite = this.requestResponse = this.elementId = this.address = this.dataLength = -1;
    this.measurementId = this.actionType = this.timestampSec = this.timestampNs = -1;
    this.compensationHi = this.compensationLo = 0;
    this.resetId = this.resetCode = -1;
    this.eventId = this.eventType = this.sequenceNumber = this.numberOfFaults = -1;
    this.elementCount = 0;
  }
}

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}
function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + ((d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!);
}
function u48(d: Uint8Array, o: number): number {
  return u16(d, o) * 0x1_0000_0000 + u32(d, o + 2);
}

/**
 * Decodes one eCPRI message at `offset` (of at most `length` bytes) into `out`.
 * Returns the offset where a concatenated next message would start (4-byte aligned relative to
 * `pduStart`), or -1 when no further message can follow.
 */
export function decodeEcpriMessage(
  data: Uint8Array,
  offset: number,
  length: number,
  pduStart: number,
  out: EcpriMessage,
  findings: FindingList,
): number {
  out.reset();
  out.offset = offset;
  const end = offset + length;
  if (length < ECPRI_HEADER_LENGTH) {
    findings.add('ecpri_malformed', 'truncated', offset, length);
    out.payloadOffset = offset;
    out.payloadAvailable = 0;
    return -1;
  }
  const b0 = data[offset]!;
  out.revision = b0 >> 4;
  out.reserved = (b0 >> 1) & 7;
  out.cBit = (b0 & 1) === 1;
  out.messageType = data[offset + 1]!;
  out.payloadSize = u16(data, offset + 2);
  out.payloadOffset = offset + ECPRI_HEADER_LENGTH;
  const available = end - out.payloadOffset;
  if (out.revision !== 1) findings.add('ecpri_malformed', 'revision', offset, out.revision);
  if (out.reserved !== 0) findings.add('ecpri_malformed', 'reserved_bits', offset, out.reserved);
  if (out.payloadSize > available) {
    findings.add('ecpri_malformed', 'payload_size_beyond_frame', offset + 2, out.payloadSize);
    out.payloadAvailable = available;
  } else {
    out.payloadAvailable = out.payloadSize;
  }
  decodeTypePayload(data, out, findings);
  if (!out.cBit) return -1;
  // §3.1.3.1.3: the next message starts at the next multiple of 4 bytes from the PDU start.
  const consumed = ECPRI_HEADER_LENGTH + out.payloadSize;
  const next = offset + consumed + ((4 - ((offset - pduStart + consumed) & 3)) & 3);
  if (next + ECPRI_HEADER_LENGTH > end) {
    findings.add('ecpri_malformed', 'concatenation', offset, next - offset);
    return -1;
  }
  return next;
}

function decodeTypePayload(d: Uint8Array, m: EcpriMessage, findings: FindingList): void {
  const p = m.payloadOffset;
  const n = m.payloadAvailable;
  const t = m.messageType;
  if (t <= 7 && n < MIN_PAYLOAD[t]!) {
    findings.add('ecpri_malformed', 'payload_too_short', p, n);
    // Read what fits below; every read is bounds-checked against n.
  }
  switch (t) {
    case 0:
    case 1:
    case 2:
      if (n >= 2) m.pcId = u16(d, p);
      if (n >= 4) m.seqId = u16(d, p + 2);
      return;
    case 3:
      if (n >= 4) m.pcId = u32(d, p);
      if (n >= 8) m.seqId = u32(d, p + 4);
      return;
    case 4:
      // RMA ID(8) | R/W(4) Req/Resp(4) | Element ID(16) | Address(48) | Data length(16) | data
      if (n < 12) return;
      m.rmaId = d[p]!;
      m.readWrite = d[p + 1]! >> 4;
      m.requestResponse = d[p + 1]! & 15;
      m.elementId = u16(d, p + 2);
      m.address = u48(d, p + 4);
      m.dataLength = u16(d, p + 10);
      return;
    case 5:
      // Measurement ID(8) | Action type(8) | Timestamp 48-bit s + 32-bit ns | Compensation(64) | dummy
      if (n >= 1) m.measurementId = d[p]!;
      if (n >= 2) m.actionType = d[p + 1]!;
      if (n >= 12) {
        m.timestampSec = u48(d, p + 2);
        m.timestampNs = u32(d, p + 8);
      }
      if (n >= 20) {
        m.compensationHi = u32(d, p + 12);
        m.compensationLo = u32(d, p + 16);
      }
      return;
    case 6:
      // Reset ID(16) | Reset code op(8) | vendor specific payload
      if (n >= 2) m.resetId = u16(d, p);
      if (n >= 3) m.resetCode = d[p + 2]!;
      return;
    case 7: {
      // Event ID(8) | Event type(8) | Sequence number(8) | Number of faults/notif(8) | elements × 8 bytes
      if (n < 4) return;
      m.eventId = d[p]!;
      m.eventType = d[p + 1]!;
      m.sequenceNumber = d[p + 2]!;
      m.numberOfFaults = d[p + 3]!;
      let o = p + 4;
      for (let i = 0; i < m.numberOfFaults && o + 8 <= p + n; i++, o += 8) {
        let el = m.elements[m.elementCount];
        if (el === undefined) {
          el = { elementId: 0, raiseCease: 0, faultNotif: 0, additionalInfo: 0 };
          m.elements.push(el);
        }
        el.elementId = u16(d, o);
        el.raiseCease = d[o + 2]! >> 4;
        el.faultNotif = u16(d, o + 2) & 0xfff;
        el.additionalInfo = u32(d, o + 4);
        m.elementCount++;
      }
      if (m.elementCount < m.numberOfFaults)
        findings.add('ecpri_malformed', 'payload_too_short', p + 3, m.numberOfFaults);
      return;
    }
    default:
      return;
  }
}

/** A transport PDU's eCPRI messages (more than one with concatenation). */
export class EcpriPdu {
  readonly messages: EcpriMessage[] = [new EcpriMessage()];
  count = 0;

  /** Decodes every (concatenated) message of the PDU in `data[offset, offset+length)`. */
  decode(data: Uint8Array, offset: number, length: number, findings: FindingList): void {
    this.count = 0;
    const end = offset + length;
    let o = offset;
    // A PDU cannot hold more messages than 4-byte slots: bounds the loop on hostile input.
    while (o >= 0 && o < end) {
      let m = this.messages[this.count];
      if (m === undefined) {
        m = new EcpriMessage();
        this.messages.push(m);
      }
      // A follow-on message whose revision is not 1 is not an eCPRI header: the C bit was set
      // without a message behind it (concatenation misuse, §3.1.3.1.3). Stop rather than decode junk.
      if (this.count > 0 && end - o >= 1 && data[o]! >> 4 !== 1) {
        findings.add('ecpri_malformed', 'concatenation', o, data[o]! >> 4);
        return;
      }
      this.count++;
      o = decodeEcpriMessage(data, o, end - o, offset, m, findings);
    }
  }
}
