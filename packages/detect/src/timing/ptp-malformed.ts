import { isReservedClockClass, PtpMessageType, type DecodedPacket } from '@l1t/capture';
import { PTP_PACKETS, type DetectContext, type Detector, type DetectorDefinition } from '../framework/detector.js';
import { clockClassMeaning } from './ptp-clock-degraded.js';
import { PtpPortTable } from './ptp-ports.js';

/**
 * `ptp_malformed` (docs/anomalies-added.md): a PTP message whose header or body breaks IEEE 1588-2019 §13.
 * One reason per message, the first that applies, in this order:
 *
 *  - `message_type_reserved`: messageType 4–7, 0xE, 0xF (§13.3.2.2 Table 36);
 *  - `message_length_exceeds_frame`: messageLength larger than the bytes present (§13.3.2.4);
 *  - `message_length_short`: messageLength smaller than the type's fixed body (§13.6–§13.12);
 *  - `timestamp_nanoseconds`: a body timestamp whose nanosecondsField is 10^9 or more (§5.3.3: always
 *    below 10^9) — the TIMESAFE one-step Sync attack writes such origin timestamps;
 *  - `clock_class_reserved`: an Announce grandmasterClockQuality.clockClass that Table 4 (§7.6.2.5)
 *    reserves (the RESERVED_CLOCK_CLASS ranges below);
 *  - `tlv_overrun`: a TLV whose lengthField runs past the message's end (§14.1).
 *
 * Occurrences of one reason on one sending port are one finding per burst (the aggregator); each carries
 * the offending value.
 */

/** §13.3.2.2 Table 36: messageType values 4–7 and 0xE–0xF are reserved. */
function reservedMessageType(t: number): boolean {
  return (t >= 4 && t <= 7) || t >= 0xe;
}

/** §7.6.2.5 Table 4 (IEEE 1588-2019): reserved clockClass values (one definition, in the PTP decoder). */
export { isReservedClockClass };

/** Minimum messageLength per messageType (header + fixed body, §13.6–§13.12). */
function minimumLength(t: number): number {
  switch (t) {
    case PtpMessageType.ANNOUNCE:
      return 64;
    case PtpMessageType.DELAY_RESP:
    case PtpMessageType.PDELAY_REQ:
    case PtpMessageType.PDELAY_RESP:
    case PtpMessageType.PDELAY_RESP_FOLLOW_UP:
      return 54;
    case PtpMessageType.MANAGEMENT:
      return 48;
    default:
      return 44;
  }
}

const NS_PER_S = 1_000_000_000;

class MalformedDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  private readonly ports = new PtpPortTable(() => 0);

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (p.kind !== 'ptp' || !p.ptp.valid) return;
    const m = p.ptp;
    let reason: string | undefined;
    let value = 0;
    let limit = 0;
    if (reservedMessageType(m.messageType)) {
      reason = 'message_type_reserved';
      value = m.messageType;
    } else if (m.messageLength > m.available) {
      reason = 'message_length_exceeds_frame';
      value = m.messageLength;
      limit = m.available;
    } else if (m.messageLength < minimumLength(m.messageType)) {
      reason = 'message_length_short';
      value = m.messageLength;
      limit = minimumLength(m.messageType);
    } else if (m.timestampNs >= NS_PER_S) {
      reason = 'timestamp_nanoseconds';
      value = m.timestampNs;
      limit = NS_PER_S - 1;
    } else if (m.messageType === PtpMessageType.ANNOUNCE && m.clockClass >= 0 && isReservedClockClass(m.clockClass)) {
      reason = 'clock_class_reserved';
      value = m.clockClass;
    } else if (m.tlvOverrun) {
      reason = 'tlv_overrun';
      value = m.messageLength;
    }
    if (reason === undefined) return;
    const port = this.ports.sender(p);
    if (port === undefined) return;
    const evidence: Record<string, unknown> = {
      reason,
      value,
      message_type: m.messageType,
      message_length: m.messageLength,
      bytes_present: m.available,
      sequence_id: m.sequenceId,
      domain: port.domain,
    };
    if (limit > 0) evidence.limit = limit;
    if (reason === 'timestamp_nanoseconds') evidence.timestamp_seconds = m.timestampSec;
    if (reason === 'clock_class_reserved')
      evidence.meaning = `reserved (IEEE 1588-2019 Table 4); ${clockClassMeaning(value)}`;
    ctx.report({
      type: 'ptp_malformed',
      source: 'timing',
      severity: 'major',
      confidence: 1,
      tsNs: p.tsNs,
      packetIndex: p.index,
      packetCount: 1,
      flow: port.flowKey,
      aggregationKey: `ptp_malformed|${port.domain}|${port.id}|${m.messageType}|${reason}`,
      description: `Malformed PTP ${MESSAGE_NAME[m.messageType] ?? `messageType ${m.messageType}`} from port ${port.id}: ${DESCRIBE[reason]} (${value})`,
      evidence,
      totals: { messages: 1 },
    });
  }

  finish(): void {}
}

const MESSAGE_NAME: Readonly<Record<number, string>> = {
  0: 'Sync',
  1: 'Delay_Req',
  2: 'Pdelay_Req',
  3: 'Pdelay_Resp',
  8: 'Follow_Up',
  9: 'Delay_Resp',
  10: 'Pdelay_Resp_Follow_Up',
  11: 'Announce',
  12: 'Signaling',
  13: 'Management',
};

const DESCRIBE: Readonly<Record<string, string>> = {
  message_type_reserved: 'reserved messageType',
  message_length_exceeds_frame: 'messageLength beyond the frame',
  message_length_short: 'messageLength shorter than the message body',
  timestamp_nanoseconds: 'timestamp nanoseconds ≥ 10^9',
  clock_class_reserved: 'reserved clockClass',
  tlv_overrun: 'TLV runs past the message end',
};

export const ptpMalformedDetector: DetectorDefinition = {
  name: 'ptp-malformed',
  types: ['ptp_malformed'],
  thresholds: {},
  reference: 'IEEE 1588-2019 §5.3.3 (Timestamp), §7.6.2.5 Table 4 (clockClass), §13.3 (header), §14.1 (TLV)',
  create: () => new MalformedDetector(),
};
