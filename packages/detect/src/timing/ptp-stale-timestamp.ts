import { PtpMessageType, type DecodedPacket } from '@l1t/capture';
import type { FlowKey } from '@l1t/contracts';
import {
  PTP_PACKETS,
  type DetectContext,
  type Detector,
  type DetectorDefinition,
  type Occurrence,
  type ResolvedThresholds,
  type ThresholdOption,
} from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { RUN_CONFIDENCE, RUN_FIRST_VALUE, RUN_MAGNITUDE, type OccurrenceRun } from '../framework/occurrence-run.js';
import { isPtp, PtpPortTable, type PtpPort } from './ptp-ports.js';
import { captureSeconds, splitSubsecondNs } from './capture-seconds.js';

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
  /**
   * Two-step: capture time of the Sync waiting for its Follow_Up (split as capture-seconds.ts splits it, kept
   * from the Sync: the Follow_Up would otherwise split the Sync's time again), and its sequenceId.
   */
  syncSec = 0;
  syncNs = 0;
  syncSeq = -1;
  /** Aggregation key of the port's occurrences, made once per port (every message of a replay is one). */
  aggregationKey = '';
  /** The port's run of stale messages (occurrence-run.ts): a replay reports its first, the rest as numbers. */
  run: OccurrenceRun | undefined = undefined;
}

/**
 * Numbers of one stale message kept by the port's run (RUN_VALUES of them), to rebuild its occurrence: after
 * the run's confidence and magnitude (occurrence-run.ts), the message's own.
 */
const V_SYNC = RUN_FIRST_VALUE;
const V_DEVIATION = RUN_FIRST_VALUE + 1;
const V_ORIGIN_SEC = RUN_FIRST_VALUE + 2;
const V_ORIGIN_NS = RUN_FIRST_VALUE + 3;
const V_SEQUENCE = RUN_FIRST_VALUE + 4;
const V_BASELINE = RUN_FIRST_VALUE + 5;
const RUN_VALUES = RUN_FIRST_VALUE + 6;

function staleConfidence(deviation: number, maxNs: number): number {
  return Math.abs(deviation) > 10 * maxNs ? 1 : 0.8;
}

/** `totals` of an occurrence, shared: the aggregator copies or reads them, never changes them. */
const STALE_TOTALS: Record<string, number> = Object.freeze({ stale_messages: 1, ahead_messages: 0 });
const AHEAD_TOTALS: Record<string, number> = Object.freeze({ stale_messages: 0, ahead_messages: 1 });

/**
 * One stale or jumping message. A replay makes every message of the port one (thousands per second over a
 * long capture) while the aggregator only reads the description of a burst's first occurrence and the
 * evidence of its first, last and worst: both are built when read, from the numbers kept here.
 */
class StaleOccurrence implements Occurrence {
  readonly type = 'ptp_stale_timestamp';
  readonly source = 'timing' as const;
  readonly severity = 'major' as const;
  readonly packetCount = 1;
  readonly confidence: number;
  readonly flow: FlowKey;
  readonly aggregationKey: string;
  readonly totals: Record<string, number>;
  readonly magnitude: number;
  private readonly sync: boolean;
  private readonly deviation: number;
  private readonly baselineNs: number;
  private readonly portId: string;
  private readonly domain: number;
  private readonly originSec: number;
  private readonly originNs: number;
  private readonly sequenceId: number;
  private memo: Record<string, unknown> | undefined;

  constructor(
    port: PtpPort<OriginState>,
    readonly tsNs: bigint,
    readonly packetIndex: number,
    private readonly maxNs: number,
    v: Float64Array,
  ) {
    this.sync = v[V_SYNC] === 1;
    this.deviation = v[V_DEVIATION]!;
    this.baselineNs = v[V_BASELINE]!;
    this.confidence = staleConfidence(this.deviation, maxNs);
    this.flow = port.flowKey;
    this.aggregationKey = port.state.aggregationKey;
    this.totals = this.deviation > 0 ? STALE_TOTALS : AHEAD_TOTALS;
    this.magnitude = Math.abs(this.deviation);
    this.portId = port.id;
    this.domain = port.domain;
    this.originSec = v[V_ORIGIN_SEC]!;
    this.originNs = v[V_ORIGIN_NS]!;
    this.sequenceId = v[V_SEQUENCE]!;
  }

  get description(): string {
    const devMs = Math.round(this.deviation / 1e3) / 1e3;
    const name = this.sync ? 'Sync' : 'Follow_Up';
    return this.deviation > 0
      ? `PTP ${name} from port ${this.portId} carries an origin timestamp ${devMs} ms older than the capture clock's progress (replayed or delayed)`
      : `PTP ${name} from port ${this.portId} carries an origin timestamp ${-devMs} ms ahead of the capture clock's progress (jump)`;
  }

  get evidence(): Record<string, unknown> {
    return (this.memo ??= {
      deviation_ms: Math.round(this.deviation / 1e3) / 1e3,
      direction: this.deviation > 0 ? 'stale' : 'ahead',
      max_deviation_ms: this.maxNs / 1e6,
      origin_timestamp_s: this.originSec,
      origin_timestamp_ns: this.originNs,
      learned_capture_minus_origin_ms: Math.round(this.baselineNs / 1e3) / 1e3,
      sequence_id: this.sequenceId,
      domain: this.domain,
    });
  }
}

/**
 * The port's run, made once per port. Its factory is a closure over the port: made in onPacket, the closure
 * made `port` a variable of a context V8 allocated per call of onPacket (with confidence and magnitude
 * boxed as arguments of OccurrenceRun.extend, ~80 bytes per stale message of a replayed stream: ~150 MB
 * sampled in onPacket on the 300 MB PTP repeat, 1.6 M stale Follow_Ups; issue 14).
 */
function staleRun(ctx: DetectContext, port: PtpPort<OriginState>, maxNs: number): OccurrenceRun {
  return ctx.occurrenceRun!(
    port.state.aggregationKey,
    (tsNs, index, values) => new StaleOccurrence(port, tsNs, index, maxNs, values),
    RUN_VALUES,
  );
}

class StaleTimestampDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  readonly ptpMessageTypes: readonly number[] = [PtpMessageType.SYNC, PtpMessageType.FOLLOW_UP];
  private readonly ports = new PtpPortTable(() => new OriginState());
  private readonly maxNs: number;
  /** The numbers of the current stale message (copied by a run, or read by the occurrence at once). */
  private readonly values = new Float64Array(RUN_VALUES);

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
    if (s.aggregationKey === '') s.aggregationKey = `ptp_stale_timestamp|${port.domain}|${port.id}`;
    // The capture time of the Sync (sent), as seconds and nanoseconds (the split shared with the exchange pairings).
    let capSec: number;
    let capNs: number;
    if (type === PtpMessageType.SYNC) {
      if (m.twoStep) {
        s.syncSec = captureSeconds(p.tsNs);
        s.syncNs = splitSubsecondNs();
        s.syncSeq = m.sequenceId;
        return;
      }
      capSec = captureSeconds(p.tsNs);
      capNs = splitSubsecondNs();
    } else {
      if (m.sequenceId !== s.syncSeq) return;
      capSec = s.syncSec;
      capNs = s.syncNs;
      s.syncSeq = -1;
    }
    if (m.timestampSec < 0 || m.timestampNs >= 1_000_000_000) return;
    // capture − origin in ns: seconds and nanoseconds apart.
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
    const v = this.values;
    v[RUN_CONFIDENCE] = staleConfidence(deviation, this.maxNs);
    v[RUN_MAGNITUDE] = Math.abs(deviation);
    v[V_SYNC] = type === PtpMessageType.SYNC ? 1 : 0;
    v[V_DEVIATION] = deviation;
    v[V_ORIGIN_SEC] = m.timestampSec;
    v[V_ORIGIN_NS] = m.timestampNs;
    v[V_SEQUENCE] = m.sequenceId;
    v[V_BASELINE] = s.baselineNs;
    // A replay makes every message stale: after the first, the port's run keeps numbers, not occurrences.
    if (s.run === undefined && ctx.occurrenceRun !== undefined) s.run = staleRun(ctx, port, this.maxNs);
    const run = s.run;
    const totals = deviation > 0 ? STALE_TOTALS : AHEAD_TOTALS;
    if (run?.extend(p.tsNs, p.index, 'major', totals, v) === true) return;
    const o = new StaleOccurrence(port, p.tsNs, p.index, this.maxNs, v);
    ctx.report(o);
    run?.started(o);
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
