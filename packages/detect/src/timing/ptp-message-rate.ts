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
import { intervalSeconds, isPtp, PtpPortTable, type PtpPort } from './ptp-ports.js';

/**
 * `ptp_message_rate` (docs/anomalies-added.md): a master port sends Sync or Announce messages far more often
 * than its own logMessageInterval announces (IEEE 1588-2019 §7.7.2.1: the mean interval is
 * 2^logMessageInterval s, §13.3.2.14), or a slave port sends Delay_Req far more often than the
 * logMinDelayReqInterval its master's Delay_Resp carries (§7.7.2.4, §13.8.2: the Delay_Resp
 * logMessageInterval; the Delay_Req's own is 0x7F). Messages of one port and type are counted in consecutive windows of
 * max(1 s, 16 announced intervals) from its first message; a window with more than `max_rate_factor` ×
 * the announced count is an occurrence (the aggregator makes consecutive ones one finding, keeping the
 * worst window). Floods and replays reusing the master's identity show here; too few messages are
 * `ptp_sync_gap` / `ptp_announce_timeout`. A port whose interval is 0x7F (not specified) is not judged.
 */
export const PTP_MESSAGE_RATE_OPTIONS: readonly ThresholdOption[] = [
  {
    name: 'max_rate_factor',
    default: 2,
    min: 1,
    description: 'Messages per window above this multiple of the rate the port announces are a flood.',
  },
];

const WINDOW_INTERVALS = 16;

class RateWindow {
  startTsNs = -1n;
  /** startTsNs + lengthNs, set with them: the per-message "window over?" test is one bigint comparison. */
  endTsNs = -1n;
  startIndex = 0;
  lengthNs = 0;
  count = 0;
  logInterval = 0x7f;
  lastIndex = 0;
  /** Messages the announced interval allows in the window, and the first message beyond them. */
  allowed = 0;
  surplusIndex = 0;
}

class RateState {
  readonly sync = new RateWindow();
  readonly announce = new RateWindow();
  readonly delayReq = new RateWindow();
  /** logMinDelayReqInterval of the latest Delay_Resp addressed to this port (0x7F: none yet). */
  minDelayReqLog = 0x7f;
}

class MessageRateDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  readonly ptpMessageTypes: readonly number[] = [
    PtpMessageType.SYNC,
    PtpMessageType.ANNOUNCE,
    PtpMessageType.DELAY_REQ,
    PtpMessageType.DELAY_RESP,
  ];
  private readonly ports = new PtpPortTable(() => new RateState());
  private readonly factor: number;

  constructor(t: ResolvedThresholds) {
    this.factor = numberOption(t, 'ptp_message_rate', 'max_rate_factor', 2);
  }

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (!isPtp(p)) return;
    const m = p.ptp;
    const t = m.messageType;
    if (t === PtpMessageType.DELAY_RESP) {
      if (m.requestingPort < 0) return;
      const slave = this.ports.find(
        m.requestingClockIdentityHi,
        m.requestingClockIdentityLo,
        m.requestingPort,
        m.domainNumber,
        undefined,
      );
      if (slave !== undefined) slave.state.minDelayReqLog = m.logMessageInterval;
      return;
    }
    if (t !== PtpMessageType.SYNC && t !== PtpMessageType.ANNOUNCE && t !== PtpMessageType.DELAY_REQ) return;
    const port = this.ports.sender(p);
    if (port === undefined) return;
    const w =
      t === PtpMessageType.SYNC
        ? port.state.sync
        : t === PtpMessageType.ANNOUNCE
          ? port.state.announce
          : port.state.delayReq;
    // the interval a Delay_Req stream is held to is its master's logMinDelayReqInterval
    const log = t === PtpMessageType.DELAY_REQ ? port.state.minDelayReqLog : m.logMessageInterval;
    // Capture times are whole ns, so now − start ≥ length ⇔ now ≥ start + ⌈length⌉ (no bigint per message).
    if (w.startTsNs >= 0n && p.tsNs >= w.endTsNs) {
      this.close(ctx, port, w, t);
      // Windows follow one another; an empty stretch starts a new window at this message.
      const elapsed = Number(p.tsNs - w.startTsNs);
      w.startTsNs = elapsed < 2 * w.lengthNs ? w.startTsNs + BigInt(w.lengthNs) : -1n;
    }
    if (w.startTsNs < 0n) {
      w.startTsNs = p.tsNs;
      w.logInterval = log;
      w.lengthNs = Math.max(1, WINDOW_INTERVALS * (intervalSeconds(w.logInterval) ?? 0)) * 1e9;
      w.endTsNs = w.startTsNs + BigInt(Math.ceil(w.lengthNs));
    } else if (w.count === 0) {
      w.logInterval = log;
      w.lengthNs = Math.max(1, WINDOW_INTERVALS * (intervalSeconds(w.logInterval) ?? 0)) * 1e9;
      w.endTsNs = w.startTsNs + BigInt(Math.ceil(w.lengthNs));
    }
    if (w.count === 0) {
      w.startIndex = p.index;
      w.allowed = Math.floor(w.lengthNs / 1e9 / (intervalSeconds(w.logInterval) ?? Infinity));
      w.surplusIndex = 0;
    }
    w.count++;
    if (w.count === w.allowed + 1) w.surplusIndex = p.index;
    w.lastIndex = p.index;
  }

  private close(ctx: DetectContext, port: PtpPort<RateState>, w: RateWindow, type: number): void {
    const interval = intervalSeconds(w.logInterval);
    const n = w.count;
    w.count = 0;
    if (interval === undefined || n === 0) return;
    const windowS = w.lengthNs / 1e9;
    const expected = windowS / interval;
    if (!(n > this.factor * expected)) return;
    const name = type === PtpMessageType.SYNC ? 'Sync' : type === PtpMessageType.ANNOUNCE ? 'Announce' : 'Delay_Req';
    const rate = Math.round((n / windowS) * 10) / 10;
    const announced = 1 / interval;
    ctx.report({
      type: 'ptp_message_rate',
      source: 'timing',
      severity: 'major',
      confidence: n > 2 * this.factor * expected ? 1 : 0.8,
      // the finding starts at the first message beyond what the announced interval allows in its window
      tsNs: w.startTsNs,
      packetIndex: w.surplusIndex > 0 ? w.surplusIndex : w.startIndex,
      packetCount: n,
      endTsNs: w.startTsNs + BigInt(w.lengthNs),
      endPacketIndex: w.lastIndex,
      flow: port.flowKey,
      aggregationKey: `ptp_message_rate|${port.domain}|${port.id}|${type}`,
      description:
        type === PtpMessageType.DELAY_REQ
          ? `Delay_Req from PTP port ${port.id} at ${rate}/s, ${Math.round((rate / announced) * 10) / 10} × the ${announced}/s its master's logMinDelayReqInterval ${w.logInterval} allows`
          : `${name} from PTP port ${port.id} at ${rate}/s, ${Math.round((rate / announced) * 10) / 10} × the ${announced}/s its logMessageInterval ${w.logInterval} announces`,
      evidence: {
        message: name,
        rate_per_s: rate,
        announced_rate_per_s: announced,
        log_message_interval: w.logInterval,
        messages: n,
        window_s: windowS,
        window_first_packet_index: w.startIndex,
        max_rate_factor: this.factor,
        domain: port.domain,
      },
      totals: { messages: n, expected_messages: Math.round(expected) },
      magnitude: rate,
    });
  }

  finish(ctx: DetectContext): void {
    // The last window is judged only when it is complete (a partial window says nothing about a rate).
    for (const port of this.ports.ports) {
      for (const [w, t] of [
        [port.state.sync, PtpMessageType.SYNC],
        [port.state.announce, PtpMessageType.ANNOUNCE],
        [port.state.delayReq, PtpMessageType.DELAY_REQ],
      ] as const) {
        if (w.startTsNs >= 0n && Number(ctx.clock.lastTsNs - w.startTsNs) >= w.lengthNs) this.close(ctx, port, w, t);
      }
    }
  }
}

export const ptpMessageRateDetector: DetectorDefinition = {
  name: 'ptp-message-rate',
  types: ['ptp_message_rate'],
  thresholds: { ptp_message_rate: PTP_MESSAGE_RATE_OPTIONS },
  reference: 'IEEE 1588-2019 §7.7.2.1 (message intervals), §13.3.2.14 (logMessageInterval)',
  create: ({ thresholds }) => new MessageRateDetector(thresholds),
};
