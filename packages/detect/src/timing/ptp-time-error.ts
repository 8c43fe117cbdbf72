import { PtpMessageType, type DecodedPacket } from '@l1t/capture';
import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  ResolvedThresholds,
  ThresholdOption,
} from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { isoNs } from '../time-format.js';
import { isPtp, PtpPortTable, type PtpPort } from './ptp-ports.js';
import { marginConfidence } from '../framework/confidence.js';

/**
 * `ptp_time_error` (anomalies.md; ITU-T G.8271.1 reference point C: 1.1 µs): the offset of the capture
 * clock from the master, from complete delay request-response exchanges of one master port (IEEE
 * 1588-2019 §11.3):
 *
 *   t1  Sync originTimestamp (one-step) or Follow_Up preciseOriginTimestamp (two-step)   — master
 *   t2  capture time of the Sync                                                          — here
 *   t3  capture time of the Delay_Req                                                      — here
 *   t4  Delay_Resp receiveTimestamp                                                        — master
 *
 *   offset = ((t2 − t1 − c_sync) − (t4 − t3 − c_resp)) / 2
 *
 * with c_sync the Sync (+ Follow_Up) correctionFields and c_resp the Delay_Resp correctionField (§11.3.2).
 * PTP timestamps are TAI when the master's Announce sets ptpTimescale; the capture clock is UTC, so t1
 * and t4 are moved to UTC by the Announce's currentUtcOffset (fronthaul.md §PTP). A master whose
 * timescale is arbitrary (ptpTimescale 0), or whose Announce has not been seen yet, gives no estimate.
 *
 * t2 and t3 are capture timestamps, not the slave's hardware timestamps: the result is an estimate of
 * the capture point's time error, said so in the evidence. It is computed only in absolute timing mode
 * (`timing.mode: "absolute"`: the capture clock is PTP/GPS-disciplined); a capture with Sync alone, or
 * without a matching Delay_Req/Delay_Resp, gives nothing.
 *
 * Allocation: only PTP event messages split the bigint capture time into seconds and nanoseconds (tens
 * per second); fronthaul packets return at the first test.
 */
export const PTP_TIME_ERROR_OPTIONS: readonly ThresholdOption[] = [
  {
    name: 'max_abs_offset_ns',
    default: 1100,
    unit: 'ns',
    description: 'Time error budget: |offset| strictly above it is reported (G.8271.1 reference point C).',
  },
];

/** An exchange is only formed from a Sync at most this far before the Delay_Req. */
const MAX_SYNC_AGE_S = 2;

class SyncSample {
  seq = -1;
  t1Sec = 0;
  t1Ns = 0;
  t2Sec = 0;
  t2Ns = 0;
  correctionNs = 0;
  syncIndex = 0;
  /** Packet carrying t1 (the Follow_Up for two-step, else the Sync) and its capture time. */
  t1Index = 0;
  t1TsNs = 0n;
  complete = false;
  copyFrom(o: SyncSample): void {
    this.seq = o.seq;
    this.t1Sec = o.t1Sec;
    this.t1Ns = o.t1Ns;
    this.t2Sec = o.t2Sec;
    this.t2Ns = o.t2Ns;
    this.correctionNs = o.correctionNs;
    this.syncIndex = o.syncIndex;
    this.t1Index = o.t1Index;
    this.t1TsNs = o.t1TsNs;
    this.complete = o.complete;
  }
}

class MasterState {
  announced = false;
  ptpTimescale = false;
  utcOffset = 0;
  /** Sync waiting for its Follow_Up. */
  readonly pending = new SyncSample();
  /** Last two complete Syncs (latest first). */
  readonly latest = new SyncSample();
  readonly previous = new SyncSample();
  // Per-second metric accumulation (capture second of the Delay_Req).
  second = -1;
  exchanges = 0;
  offsetSum = 0;
  delaySum = 0;
  maxAbsOffset = 0;
  /** Exchanges judged since this port's last occurrence (summed by the aggregator: judged per burst). */
  judgedSinceReport = 0;
}

const REQ_RING = 8;

class DelayReq {
  seq = -1;
  t3Sec = 0;
  t3Ns = 0;
  index = 0;
}

class SlaveState {
  readonly reqs: DelayReq[] = Array.from({ length: REQ_RING }, () => new DelayReq());
  next = 0;
}

class TimeErrorDetector implements Detector {
  private readonly masters = new PtpPortTable(() => new MasterState());
  private readonly slaves = new PtpPortTable(() => new SlaveState());
  private readonly maxAbsNs: number;

  constructor(t: ResolvedThresholds) {
    this.maxAbsNs = numberOption(t, 'ptp_time_error', 'max_abs_offset_ns', 1100);
  }

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (!isPtp(p)) return;
    const m = p.ptp;
    switch (m.messageType) {
      case PtpMessageType.ANNOUNCE: {
        const port = this.masters.sender(p);
        if (port === undefined || m.clockClass < 0) return;
        port.state.announced = true;
        port.state.ptpTimescale = m.ptpTimescale;
        port.state.utcOffset = m.currentUtcOffset;
        return;
      }
      case PtpMessageType.SYNC: {
        const port = this.masters.sender(p);
        if (port === undefined || m.timestampSec < 0) return;
        const s = port.state.pending;
        s.seq = m.sequenceId;
        s.t2Sec = Number(p.tsNs / 1_000_000_000n);
        s.t2Ns = Number(p.tsNs % 1_000_000_000n);
        s.correctionNs = m.correctionNs;
        s.syncIndex = p.index;
        s.complete = false;
        if (!m.twoStep) {
          s.t1Sec = m.timestampSec;
          s.t1Ns = m.timestampNs;
          s.t1Index = p.index;
          s.t1TsNs = p.tsNs;
          this.completeSync(port.state);
        }
        return;
      }
      case PtpMessageType.FOLLOW_UP: {
        const port = this.masters.sender(p);
        if (port === undefined || m.timestampSec < 0) return;
        const s = port.state.pending;
        if (s.seq !== m.sequenceId || s.complete) return;
        s.t1Sec = m.timestampSec;
        s.t1Ns = m.timestampNs;
        s.correctionNs += m.correctionNs;
        s.t1Index = p.index;
        s.t1TsNs = p.tsNs;
        this.completeSync(port.state);
        return;
      }
      case PtpMessageType.DELAY_REQ: {
        const port = this.slaves.sender(p);
        if (port === undefined) return;
        const st = port.state;
        const r = st.reqs[st.next]!;
        st.next = (st.next + 1) % REQ_RING;
        r.seq = m.sequenceId;
        r.t3Sec = Number(p.tsNs / 1_000_000_000n);
        r.t3Ns = Number(p.tsNs % 1_000_000_000n);
        r.index = p.index;
        return;
      }
      case PtpMessageType.DELAY_RESP: {
        if (m.timestampSec < 0 || m.requestingPort < 0) return;
        const slave = this.slaves.find(
          m.requestingClockIdentityHi,
          m.requestingClockIdentityLo,
          m.requestingPort,
          m.domainNumber,
          undefined,
        );
        const master = this.masters.sender(p);
        if (slave === undefined || master === undefined) return;
        let req: DelayReq | undefined;
        for (const r of slave.state.reqs) if (r.seq === m.sequenceId) req = r;
        if (req === undefined) return;
        req.seq = -1; // one response per request
        this.exchange(ctx, p, master, req);
        return;
      }
      default:
        return;
    }
  }

  private completeSync(ms: MasterState): void {
    ms.pending.complete = true;
    ms.previous.copyFrom(ms.latest);
    ms.latest.copyFrom(ms.pending);
  }

  private exchange(ctx: DetectContext, p: DecodedPacket, master: PtpPort<MasterState>, req: DelayReq): void {
    const ms = master.state;
    if (!ms.announced || !ms.ptpTimescale) return;
    const sync = usable(ms.latest, req) ? ms.latest : usable(ms.previous, req) ? ms.previous : undefined;
    if (sync === undefined) return;
    const m = p.ptp;
    const off = ms.utcOffset;
    // t1, t4 (TAI) → UTC; differences in ns in doubles (magnitudes stay far below 2^53).
    const t21 = (sync.t2Sec - (sync.t1Sec - off)) * 1e9 + (sync.t2Ns - sync.t1Ns) - sync.correctionNs;
    const t43 = (m.timestampSec - off - req.t3Sec) * 1e9 + (m.timestampNs - req.t3Ns) - m.correctionNs;
    const offset = (t21 - t43) / 2;
    const meanPathDelay = (t21 + t43) / 2;
    if (req.t3Sec !== ms.second) {
      this.emitMetrics(ctx, master);
      ms.second = req.t3Sec;
    }
    ms.exchanges++;
    ms.offsetSum += offset;
    ms.delaySum += meanPathDelay;
    if (Math.abs(offset) > ms.maxAbsOffset) ms.maxAbsOffset = Math.abs(offset);
    ms.judgedSinceReport++;
    if (!(Math.abs(offset) > this.maxAbsNs)) return;
    const judged = ms.judgedSinceReport;
    ms.judgedSinceReport = 0;
    const evidence: Record<string, unknown> = {
      offset_ns: Math.round(offset),
      max_abs_offset_ns: this.maxAbsNs,
      mean_path_delay_ns: Math.round(meanPathDelay),
      estimate:
        "t2 and t3 are capture timestamps, not the slave's: the offset is an estimate of the capture point's time error",
      utc_offset_s: off,
      sync_packet_index: sync.syncIndex,
      t1_packet_index: sync.t1Index,
      delay_req_packet_index: req.index,
      delay_resp_packet_index: p.index,
      sync_sequence_id: sync.seq,
      delay_sequence_id: m.sequenceId,
      sync_correction_ns: sync.correctionNs,
      delay_resp_correction_ns: m.correctionNs,
      domain: master.domain,
    };
    if (Math.abs(Math.abs(offset) - off * 1e9) < 1e6) {
      evidence.note = `offset equals currentUtcOffset (${off} s): the capture clock runs on TAI (PHC time without the UTC offset), or the master sends UTC while flagging ptpTimescale`;
    } else if (Math.abs(offset) > 5e8) {
      evidence.note =
        'offset of seconds: the capture clock is not PTP/GPS-disciplined (use timing.mode relative or off)';
    }
    ctx.report({
      type: 'ptp_time_error',
      source: 'timing',
      severity: 'major',
      // margin past the budget; a capture clock that is itself the suspect (offset of whole seconds, or equal
      // to the UTC offset) keeps it low: the capture measures its own clock as much as the master
      confidence: marginConfidence(
        Math.abs(offset) - this.maxAbsNs,
        this.maxAbsNs,
        evidence.note !== undefined ? 0.3 : 0.6,
        evidence.note !== undefined ? 0.2 : 0.35,
      ),
      tsNs: sync.t1TsNs,
      packetIndex: sync.t1Index,
      packetCount: 4,
      endTsNs: p.tsNs,
      flow: master.flowKey,
      aggregationKey: `ptp_time_error|${master.domain}|${master.id}`,
      description: `Estimated time error ${Math.round(offset)} ns against PTP master ${master.id} (budget ±${this.maxAbsNs} ns)`,
      evidence,
      // over budget / judged: the burst's totals say how many of the exchanges it spans were affected
      totals: { exchanges: 1, exchanges_judged: judged },
      // the burst keeps its worst exchange (evidence.worst: offset and its four frames)
      magnitude: Math.abs(offset),
    });
  }

  /**
   * Metrics per master port and capture second (absolute mode only): `ptp_offset_ns_mean`,
   * `ptp_offset_ns_max_abs`, `ptp_mean_path_delay_ns` (labels `ptp_port`, `domain`; estimates from
   * capture timestamps, like the finding).
   */
  private emitMetrics(ctx: DetectContext, master: PtpPort<MasterState>): void {
    const ms = master.state;
    if (ms.exchanges === 0) return;
    const timestamp = isoNs(BigInt(ms.second) * 1_000_000_000n);
    const labels = { ptp_port: master.id, domain: String(master.domain) };
    const n = ms.exchanges;
    ctx.metric({
      timestamp,
      source: 'timing',
      name: 'ptp_offset_ns_mean',
      labels,
      value: Math.round(ms.offsetSum / n),
    });
    ctx.metric({
      timestamp,
      source: 'timing',
      name: 'ptp_offset_ns_max_abs',
      labels,
      value: Math.round(ms.maxAbsOffset),
    });
    ctx.metric({
      timestamp,
      source: 'timing',
      name: 'ptp_mean_path_delay_ns',
      labels,
      value: Math.round(ms.delaySum / n),
    });
    ms.exchanges = 0;
    ms.offsetSum = ms.delaySum = ms.maxAbsOffset = 0;
  }

  finish(ctx: DetectContext): void {
    for (const m of this.masters.ports) this.emitMetrics(ctx, m);
  }
}

/** A complete Sync received before the Delay_Req, at most MAX_SYNC_AGE_S earlier. */
function usable(s: SyncSample, req: DelayReq): boolean {
  if (!s.complete) return false;
  const ageS = req.t3Sec - s.t2Sec + (req.t3Ns - s.t2Ns) / 1e9;
  return ageS >= 0 && ageS <= MAX_SYNC_AGE_S;
}

class Disabled implements Detector {
  onPacket(): void {}
  finish(): void {}
}

export const ptpTimeErrorDetector: DetectorDefinition = {
  name: 'ptp-time-error',
  types: ['ptp_time_error'],
  thresholds: { ptp_time_error: PTP_TIME_ERROR_OPTIONS },
  reference: 'IEEE 1588-2019 §11.3 (delay request-response); ITU-T G.8271.1 (reference point C)',
  create: ({ profile, thresholds }) =>
    profile?.timing?.mode === 'absolute' ? new TimeErrorDetector(thresholds) : new Disabled(),
};
