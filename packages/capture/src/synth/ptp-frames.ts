/*
 * PTP over Ethernet (IEEE 1588-2019 Annex E, ITU-T G.8275.1: Ethertype 0x88F7, multicast
 * 01-1B-19-00-00-00). Common header, 34 bytes from frame offset 14 (§13.3):
 *
 *   0 majorSdoId[7:4] | messageType[3:0]   1 minorVersion[7:4] | versionPTP[3:0] (2)
 *   2 messageLength (16)   4 domainNumber   5 minorSdoId   6 flagField (16)
 *   8 correctionField (64, ns · 2^16)   16 messageTypeSpecific (32)
 *  20 sourcePortIdentity: clockIdentity (64) + portNumber (16)   30 sequenceId (16)
 *  32 controlField   33 logMessageInterval
 * Body: Sync/Delay_Req/Follow_Up 10-byte timestamp (seconds 48 + nanoseconds 32); Delay_Resp adds
 * requestingPortIdentity (10); Announce (§13.5): originTimestamp (10), currentUtcOffset (16), reserved,
 * grandmasterPriority1, grandmasterClockQuality (clockClass, clockAccuracy, offsetScaledLogVariance 16),
 * grandmasterPriority2, grandmasterIdentity (64), stepsRemoved (16), timeSource.
 */

export const PTP_ETHERTYPE = 0x88f7;
export const PTP_MULTICAST = Uint8Array.of(0x01, 0x1b, 0x19, 0x00, 0x00, 0x00);

export const PtpType = Object.freeze({ SYNC: 0, DELAY_REQ: 1, FOLLOW_UP: 8, DELAY_RESP: 9, ANNOUNCE: 0xb });

const CONTROL: Record<number, number> = { 0: 0, 1: 1, 8: 2, 9: 3, 0xb: 5 };
const BODY_LENGTH: Record<number, number> = { 0: 10, 1: 10, 8: 10, 9: 20, 0xb: 30 };

export interface PtpHeaderFields {
  messageType: number;
  domain: number;
  flags: number;
  sourceClock: Uint8Array;
  sourcePort: number;
  sequenceId: number;
  logMessageInterval: number;
}

/** EUI-64 clock identity from a MAC (insert FF-FE in the middle). */
export function clockIdentityFromMac(mac: Uint8Array): Uint8Array {
  return Uint8Array.of(mac[0] ?? 0, mac[1] ?? 0, mac[2] ?? 0, 0xff, 0xfe, mac[3] ?? 0, mac[4] ?? 0, mac[5] ?? 0);
}

export function clockIdentityHex(id: Uint8Array): string {
  return Array.from(id, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** PTP message length (header + body) for a message type. */
export function ptpMessageLength(messageType: number): number {
  return 34 + (BODY_LENGTH[messageType] ?? 0);
}

/** Writes Ethernet header + PTP common header at `o`; returns the offset of the message body. */
export function writePtpHeader(buf: Uint8Array, o: number, srcMac: Uint8Array, f: PtpHeaderFields): number {
  buf.set(PTP_MULTICAST, o);
  buf.set(srcMac, o + 6);
  buf[o + 12] = 0x88;
  buf[o + 13] = 0xf7;
  const p = o + 14;
  const len = ptpMessageLength(f.messageType);
  buf.fill(0, p, p + len);
  buf[p] = f.messageType & 0x0f;
  buf[p + 1] = 0x02;
  buf[p + 2] = len >> 8;
  buf[p + 3] = len & 0xff;
  buf[p + 4] = f.domain;
  buf[p + 6] = (f.flags >> 8) & 0xff;
  buf[p + 7] = f.flags & 0xff;
  buf.set(f.sourceClock, p + 20);
  buf[p + 28] = f.sourcePort >> 8;
  buf[p + 29] = f.sourcePort & 0xff;
  buf[p + 30] = (f.sequenceId >> 8) & 0xff;
  buf[p + 31] = f.sequenceId & 0xff;
  buf[p + 32] = CONTROL[f.messageType] ?? 5;
  buf[p + 33] = f.logMessageInterval & 0xff;
  return p + 34;
}

/** 10-byte PTP timestamp: 48-bit seconds + 32-bit nanoseconds. */
export function writePtpTimestamp(buf: Uint8Array, o: number, sec: number, nsec: number): void {
  const hi = Math.floor(sec / 4294967296);
  const lo = sec - hi * 4294967296;
  buf[o] = (hi >> 8) & 0xff;
  buf[o + 1] = hi & 0xff;
  buf[o + 2] = (lo >>> 24) & 0xff;
  buf[o + 3] = (lo >>> 16) & 0xff;
  buf[o + 4] = (lo >>> 8) & 0xff;
  buf[o + 5] = lo & 0xff;
  buf[o + 6] = (nsec >>> 24) & 0xff;
  buf[o + 7] = (nsec >>> 16) & 0xff;
  buf[o + 8] = (nsec >>> 8) & 0xff;
  buf[o + 9] = nsec & 0xff;
}

export interface AnnounceFields {
  currentUtcOffset: number;
  priority1: number;
  clockClass: number;
  clockAccuracy: number;
  offsetScaledLogVariance: number;
  priority2: number;
  grandmasterIdentity: Uint8Array;
  stepsRemoved: number;
  timeSource: number;
}

export function writeAnnounceBody(buf: Uint8Array, body: number, a: AnnounceFields): void {
  // originTimestamp (10) left to the caller
  buf[body + 10] = (a.currentUtcOffset >> 8) & 0xff;
  buf[body + 11] = a.currentUtcOffset & 0xff;
  buf[body + 13] = a.priority1;
  buf[body + 14] = a.clockClass;
  buf[body + 15] = a.clockAccuracy;
  buf[body + 16] = (a.offsetScaledLogVariance >> 8) & 0xff;
  buf[body + 17] = a.offsetScaledLogVariance & 0xff;
  buf[body + 18] = a.priority2;
  buf.set(a.grandmasterIdentity, body + 19);
  buf[body + 27] = (a.stepsRemoved >> 8) & 0xff;
  buf[body + 28] = a.stepsRemoved & 0xff;
  buf[body + 29] = a.timeSource;
}
