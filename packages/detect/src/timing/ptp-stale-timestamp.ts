import { PtpMessageType, type DecodedPacket } from '@l1t/capture';
import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  ResolvedThresholds,
  ThresholdOption,
} from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { isPtp, PtpPortTable } from './ptp-ports.js';

/**
 * `ptp_stale_timestamp` (docs/anomalies-added.md): the origin timestamp of a master port — one-step Sync
 * originTimestamp, or two-step Follow_Up preciseOriginTimestamp (IEEE 1588-2019 §13.6, §13.7) — no longer
 * keeps pace with the capture clock. Per port the relation `capture time − origin` is learned from its
 * first message and follows every message within tolerance (so a constant offset — the capture clock on
 * UTC, the master on TAI — and a slow drift of an undisciplined capture clock are not findings). A message
 * whose relation deviates by more than `max_deviation_ms` is an occurrence: positive deviation, the
 * origin is older than it should be (stamped long before it was sent: a replay); negative, it jumps ahead.
 *
 * The learned relation is only trusted once {@link LEARN_MESSAGES} consecutive messages agreed; before that
 * a deviating message restarts the learning (the capture may start in the middle of an attack). Timestamps
 * whose nanoseconds field is ≥ 10^9 are `ptp_malformed`, not judged here.
 */
export const PTP_STALE_TIMESTAMP_OPTIONS: readonly ThresholdOption[] = [
  {
    name: 'max_deviation_ms',
    default: 5,
    unit: 'ms',
    min: 0,
    description:
      "Largest deviation of a master port's (capture time − origin timestamp) from its learned value before a message is stale or jumping.",
  },
];

/**
 * Consecutive agreeing messages before the relation is trusted: three Syncs in step (≈ 190 ms at 16/s) say
 * the relation is the port's, not one replayed message's.
 */
const LEARN_MESSAGES = 3;

class OriginState {
  /** Learned capture − origin, ns (a double: the difference of two nearby epochs is small or ~37 s). */
  baselineNs = 0;
  agreeing = 0;
  /** Two-step: capture time of the Sync waiting for its Follow_Up, and its sequenceId. */
  syncTsNs = 0n;
  syncSeq = -1;
}

class StaleTimestampDetector implements Detector {
  private readonly ports = new PtpPortTable(() => new OriginState());
  private readonly maxNs: number;

  constructor(t: ResolvedThresholds) {
    this.maxNs = numberOption(t, 'ptp_stale_timestamp', 'max_deviation_ms', 5) * 1e6;
  }

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (!isPtp(p)) return;
    const m = p.ptp;
    const type = m.messageType;
    if (type !== PtpMessageType.SYNC && type !== PtpMessageType.FOLLOW_UP) return;
    if (ctx.clock.frozen) return;
    const port = this.ports.sender(p);
    if (port === undefined) return;
    const s = port.state;
    let sentNs: bigint;
    if (type === PtpMessageType.SYNC) {
      if (m.twoStep) {
        s.syncTsNs = p.tsNs;
        s.syncSeq = m.sequenceId;
        return;
      }
      sentNs = p.tsNs;
    } else {
      if (m.sequenceId !== s.syncSeq) return;
      sentNs = s.syncTsNs;
      s.syncSeq = -1;
    }
    if (m.timestampSec < 0 || m.timestampNs >= 1_000_000_000) return;
    // capture − origin in ns: seconds and nanoseconds apart (no bigint per message).
    const capSec = Number(sentNs / 1_000_000_000n);
    const capNs = Number(sentNs % 1_000_000_000n);
    const relation = (capSec - m.timestampSec) * 1e9 + (capNs - m.timestampNs);
    const deviation = relation - s.baselineNs;
    if (s.agreeing === 0 || Math.abs(deviation) <= this.maxNs) {
      // First message, or one that agrees: the relation follows it (drift of the capture clock).
      if (s.agreeing === 0 || Math.abs(deviation) <= this.maxNs) s.baselineNs = relation;
      s.agreeing++;
      return;
    }
    if (s.agreeing < LEARN_MESSAGES) {
      // Not yet established: start over from this message.
      s.baselineNs = relation;
      s.agreeing = 1;
      return;
    }
    const stale = deviation > 0;
    const devMs = Math.round(deviation / 1e3) / 1e3;
    ctx.report({
      type: 'ptp_stale_timestamp',
      source: 'timing',
      severity: 'major',
      confidence: Math.abs(deviation) > 10 * this.maxNs ? 1 : 0.8,
      tsNs: p.tsNs,
      packetIndex: p.index,
      packetCount: 1,
      flow: port.flowKey,
      aggregationKey: `ptp_stale_timestamp|${port.domain}|${port.id}`,
      description: stale
        ? `PTP ${type === PtpMessageType.SYNC ? 'Sync' : 'Follow_Up'} from port ${port.id} carries an origin timestamp ${devMs} ms older than the capture clock's progress (replayed or delayed)`
        : `PTP ${type === PtpMessageType.SYNC ? 'Sync' : 'Follow_Up'} from port ${port.id} carries an origin timestamp ${-devMs} ms ahead of the capture clock's progress (jump)`,
      evidence: {
        deviation_ms: devMs,
        direction: stale ? 'stale' : 'ahead',
        max_deviation_ms: this.maxNs / 1e6,
        origin_timestamp_s: m.timestampSec,
        origin_timestamp_ns: m.timestampNs,
        learned_capture_minus_origin_ms: Math.round(s.baselineNs / 1e3) / 1e3,
        sequence_id: m.sequenceId,
        domain: port.domain,
      },
      totals: { stale_messages: stale ? 1 : 0, ahead_messages: stale ? 0 : 1 },
      magnitude: Math.abs(deviation),
    });
  }

  finish(): void {}
}

export const ptpStaleTimestampDetector: DetectorDefinition = {
  name: 'ptp-stale-timestamp',
  types: ['ptp_stale_timestamp'],
  thresholds: { ptp_stale_timestamp: PTP_STALE_TIMESTAMP_OPTIONS },
  reference: 'IEEE 1588-2019 §5.3.3, §13.6 (Sync originTimestamp), §13.7 (Follow_Up preciseOriginTimestamp)',
  create: ({ thresholds }) => new StaleTimestampDetector(thresholds),
};
