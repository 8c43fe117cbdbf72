import { PtpMessageType, type DecodedPacket } from '@l1t/capture';
import {
  PTP_PACKETS,
  type DetectContext,
  type Detector,
  type DetectorDefinition,
  type ResolvedThresholds,
  type ThresholdOption,
} from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { isoNs } from '../time-format.js';
import type { PtpExchange } from './ptp-exchanges.js';
import { PtpPortTable, type PtpPort } from './ptp-ports.js';
import { marginConfidence } from '../framework/confidence.js';

/**
 * `ptp_time_error` (anomalies.md; ITU-T G.8271.1 reference point C: 1.1 µs): the offset of the capture
 * clock from the master, from complete delay request-response exchanges of one master port (IEEE
 * 1588-2019 §11.3), paired by `ptp-exchanges.ts` (the one pairing, shared with the time-error metrics):
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

/** Per master port: the per-second metric accumulation and the exchanges judged since its last finding. */
class MasterState {
  // Per-second metric accumulation (capture second of the Delay_Req).
  second = -1;
  exchanges = 0;
  offsetSum = 0;
  delaySum = 0;
  maxAbsOffset = 0;
  /** Exchanges judged since this port's last occurrence (summed by the aggregator: judged per burst). */
  judgedSinceReport = 0;
}

class TimeErrorDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  /** Exchanges are completed by a Delay_Resp (ptp-exchanges.ts): no other message reaches onPacket. */
  readonly ptpMessageTypes: readonly number[] = [PtpMessageType.DELAY_RESP];
  private readonly masters = new PtpPortTable(() => new MasterState());
  private readonly maxAbsNs: number;

  constructor(t: ResolvedThresholds) {
    this.maxAbsNs = numberOption(t, 'ptp_time_error', 'max_abs_offset_ns', 1100);
  }

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    const x = ctx.ptpExchange(); // paired once by the driver (ptp-exchanges.ts)
    if (x === undefined) return;
    const master = this.masters.find(x.master.clockHi, x.master.clockLo, x.master.port, x.master.domain, p);
    if (master !== undefined) this.exchange(ctx, p, master, x);
  }

  private exchange(ctx: DetectContext, p: DecodedPacket, master: PtpPort<MasterState>, x: PtpExchange): void {
    const ms = master.state;
    const offset = x.offsetNs;
    const meanPathDelay = x.meanPathDelayNs;
    const off = x.utcOffsetS;
    if (x.t3Sec !== ms.second) {
      this.emitMetrics(ctx, master);
      ms.second = x.t3Sec;
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
      sync_packet_index: x.syncIndex,
      t1_packet_index: x.t1Index,
      delay_req_packet_index: x.delayReqIndex,
      delay_resp_packet_index: x.delayRespIndex,
      sync_sequence_id: x.syncSeq,
      delay_sequence_id: x.delaySeq,
      sync_correction_ns: x.syncCorrectionNs,
      delay_resp_correction_ns: x.respCorrectionNs,
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
      tsNs: x.t1TsNs,
      packetIndex: x.t1Index,
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

/** Without absolute timing (profile `timing.mode`) no time error is judged: no hook but `finish`. */
class Disabled implements Detector {
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
