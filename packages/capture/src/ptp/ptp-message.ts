/*
 * PTP version 2 messages (IEEE 1588-2019 §13), over Ethernet 0x88F7 or UDP 319/320.
 * Common header, 34 bytes (§13.3):
 *
 *   0: majorSdoId(4) | messageType(4)     1: minorVersionPTP(4) | versionPTP(4)
 *   2: messageLength(16)                   4: domainNumber(8)   5: minorSdoId(8)
 *   6: flagField(16)                       8: correctionField(64, ns × 2^16, signed)
 *  16: messageTypeSpecific(32)            20: sourcePortIdentity: clockIdentity(64) | portNumber(16)
 *  30: sequenceId(16)                     32: controlField(8)   33: logMessageInterval(int8)
 *
 * Timestamps (§5.3.3) are 48-bit seconds + 32-bit nanoseconds. Bodies: §13.5–§13.12; Announce §13.5.
 */
export const PTP_ETHERTYPE = 0x88f7;
export const PTP_HEADER_LENGTH = 34;

export const PtpMessageType = Object.freeze({
  SYNC: 0,
  DELAY_REQ: 1,
  PDELAY_REQ: 2,
  PDELAY_RESP: 3,
  FOLLOW_UP: 8,
  DELAY_RESP: 9,
  PDELAY_RESP_FOLLOW_UP: 0xa,
  ANNOUNCE: 0xb,
  SIGNALING: 0xc,
  MANAGEMENT: 0xd,
});

/** flagField bits as Wireshark numbers them (octet 0 in the high byte). */
export const PtpFlags = Object.freeze({
  ALTERNATE_MASTER: 0x0100,
  TWO_STEP: 0x0200,
  UNICAST: 0x0400,
  PROFILE_SPECIFIC_1: 0x2000,
  PROFILE_SPECIFIC_2: 0x4000,
  SECURITY: 0x8000,
  LI_61: 0x0001,
  LI_59: 0x0002,
  UTC_REASONABLE: 0x0004,
  PTP_TIMESCALE: 0x0008,
  TIME_TRACEABLE: 0x0010,
  FREQUENCY_TRACEABLE: 0x0020,
  SYNCHRONIZATION_UNCERTAIN: 0x0040,
});

export class PtpMessage {
  /** False when fewer than 34 bytes were present. */
  valid = false;
  majorSdoId = 0;
  messageType = 0;
  minorVersion = 0;
  version = 0;
  messageLength = 0;
  domainNumber = 0;
  minorSdoId = 0;
  flags = 0;
  twoStep = false;
  ptpTimescale = false;
  /** correctionField halves: high 32 bits signed, low 32 bits unsigned (no allocation per packet). */
  correctionHi = 0;
  correctionLo = 0;
  /** correctionField, ns × 2^16 (signed 64-bit). */
  get correctionField(): bigint {
    return (BigInt(this.correctionHi) << 32n) | BigInt(this.correctionLo);
  }
  /** correctionField in ns (fractional part kept; exact while |value| < 2^53 / 2^16 ns ≈ 4.3 years). */
  get correctionNs(): number {
    return (this.correctionHi * 0x1_0000_0000 + this.correctionLo) / 65536;
  }
  messageTypeSpecific = 0;
  /** clockIdentity as two 32-bit halves (no allocation); see `ptpClockIdentityHex`. */
  clockIdentityHi = 0;
  clockIdentityLo = 0;
  sourcePort = 0;
  sequenceId = 0;
  controlField = 0;
  logMessageInterval = 0;
  /** The body's timestamp (origin / preciseOrigin / receive / requestReceipt / responseOrigin); -1 if none. */
  timestampSec = -1;
  timestampNs = -1;
  /** Delay_Resp / Pdelay_Resp / Pdelay_Resp_Follow_Up requestingPortIdentity. */
  requestingClockIdentityHi = 0;
  requestingClockIdentityLo = 0;
  requestingPort = -1;
  // Announce
  currentUtcOffset = 0;
  grandmasterPriority1 = -1;
  clockClass = -1;
  clockAccuracy = -1;
  offsetScaledLogVariance = -1;
  grandmasterPriority2 = -1;
  grandmasterIdentityHi = 0;
  grandmasterIdentityLo = 0;
  stepsRemoved = -1;
  timeSource = -1;
  /** Signaling / Management / trailing TLV types: `tlvTypes[0 .. tlvCount)`. */
  readonly tlvTypes: number[] = [];
  tlvCount = 0;
  /** Signaling/Management and unknown types are returned as "unknown" bodies with their TLV types. */
  unknownBody = false;
  /** Bytes present from the start of the PTP header to the end of the frame (messageLength is checked against it). */
  available = 0;
  /** A TLV's lengthField runs past the end of the message (§14.1): the TLV walk stopped there. */
  tlvOverrun = false;
  /**
   * The sending port's (sourcePortIdentity + domainNumber) index in the analysis' shared table of PTP ports,
   * set by the detector driver once per message so that each timing detector's own port table finds the port
   * by index instead of comparing identities (PtpSenderSlots in detect's ptp-ports.ts); -1 when not set or that
   * table is full. The decoder resets it.
   */
  senderSlot = -1;
}

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}
function u32(d: Uint8Array, o: number): number {
  return ((d[o]! << 24) >>> 0) + ((d[o + 1]! << 16) | (d[o + 2]! << 8) | d[o + 3]!);
}

/** 64-bit identity as Wireshark prints it: `0x` + 16 hex digits. */
export function ptpIdentityHex(hi: number, lo: number): string {
  return '0x' + hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

function timestamp(d: Uint8Array, o: number, m: PtpMessage): void {
  m.timestampSec = u16(d, o) * 0x1_0000_0000 + u32(d, o + 2);
  m.timestampNs = u32(d, o + 6);
}

function requesting(d: Uint8Array, o: number, m: PtpMessage): void {
  m.requestingClockIdentityHi = u32(d, o);
  m.requestingClockIdentityLo = u32(d, o + 4);
  m.requestingPort = u16(d, o + 8);
}

/** Decodes a PTP message at `offset` with `length` bytes available. Never throws. */
export function decodePtp(data: Uint8Array, offset: number, length: number, m: PtpMessage): void {
  m.valid = false;
  m.timestampSec = m.timestampNs = -1;
  m.requestingPort = -1;
  m.grandmasterPriority1 = m.clockClass = m.clockAccuracy = m.offsetScaledLogVariance = -1;
  m.grandmasterPriority2 = m.stepsRemoved = m.timeSource = -1;
  m.tlvCount = 0;
  m.unknownBody = false;
  m.available = length;
  m.tlvOverrun = false;
  m.senderSlot = -1;
  if (length < PTP_HEADER_LENGTH) return;
  const d = data;
  const o = offset;
  m.majorSdoId = d[o]! >> 4;
  m.messageType = d[o]! & 15;
  m.minorVersion = d[o + 1]! >> 4;
  m.version = d[o + 1]! & 15;
  m.messageLength = u16(d, o + 2);
  m.domainNumber = d[o + 4]!;
  m.minorSdoId = d[o + 5]!;
  m.flags = u16(d, o + 6);
  m.twoStep = (m.flags & PtpFlags.TWO_STEP) !== 0;
  m.ptpTimescale = (m.flags & PtpFlags.PTP_TIMESCALE) !== 0;
  m.correctionHi = u32(d, o + 8) | 0;
  m.correctionLo = u32(d, o + 12);
  m.messageTypeSpecific = u32(d, o + 16);
  m.clockIdentityHi = u32(d, o + 20);
  m.clockIdentityLo = u32(d, o + 24);
  m.sourcePort = u16(d, o + 28);
  m.sequenceId = u16(d, o + 30);
  m.controlField = d[o + 32]!;
  m.logMessageInterval = (d[o + 33]! << 24) >> 24;
  m.valid = true;
  // The body ends at messageLength (bounded by the bytes present).
  const end = o + Math.min(length, Math.max(m.messageLength, PTP_HEADER_LENGTH));
  const b = o + PTP_HEADER_LENGTH;
  const n = end - b;
  let tlvStart = -1;
  switch (m.messageType) {
    case PtpMessageType.SYNC:
    case PtpMessageType.DELAY_REQ:
    case PtpMessageType.FOLLOW_UP:
      if (n >= 10) timestamp(d, b, m);
      tlvStart = b + 10;
      break;
    case PtpMessageType.PDELAY_REQ:
      if (n >= 10) timestamp(d, b, m);
      tlvStart = b + 20;
      break;
    case PtpMessageType.DELAY_RESP:
    case PtpMessageType.PDELAY_RESP:
    case PtpMessageType.PDELAY_RESP_FOLLOW_UP:
      if (n >= 10) timestamp(d, b, m);
      if (n >= 20) requesting(d, b + 10, m);
      tlvStart = b + 20;
      break;
    case PtpMessageType.ANNOUNCE:
      if (n >= 10) timestamp(d, b, m);
      if (n >= 30) {
        m.currentUtcOffset = (u16(d, b + 10) << 16) >> 16;
        m.grandmasterPriority1 = d[b + 13]!;
        m.clockClass = d[b + 14]!;
        m.clockAccuracy = d[b + 15]!;
        m.offsetScaledLogVariance = u16(d, b + 16);
        m.grandmasterPriority2 = d[b + 18]!;
        m.grandmasterIdentityHi = u32(d, b + 19);
        m.grandmasterIdentityLo = u32(d, b + 23);
        m.stepsRemoved = u16(d, b + 27);
        m.timeSource = d[b + 29]!;
      }
      tlvStart = b + 30;
      break;
    case PtpMessageType.SIGNALING:
      m.unknownBody = true;
      if (n >= 10) requesting(d, b, m); // targetPortIdentity
      tlvStart = b + 10;
      break;
    case PtpMessageType.MANAGEMENT:
      m.unknownBody = true;
      if (n >= 10) requesting(d, b, m);
      tlvStart = b + 14;
      break;
    default:
      m.unknownBody = true;
      return;
  }
  // TLVs: tlvType(16) | lengthField(16) | value (§14.1). Bounded by the message end.
  let t = tlvStart;
  while (t + 4 <= end && m.tlvCount < 64) {
    const type = u16(d, t);
    if (m.tlvCount < m.tlvTypes.length) m.tlvTypes[m.tlvCount] = type;
    else m.tlvTypes.push(type);
    m.tlvCount++;
    t += 4 + u16(d, t + 2);
  }
  if (t > end) m.tlvOverrun = true;
}
