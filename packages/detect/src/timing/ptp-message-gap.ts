import type { DecodedPacket } from '@l1t/capture';
import { PTP_PACKETS, type DetectContext, type Detector, type ResolvedThresholds } from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { isoNs } from '../time-format.js';
import { intervalSeconds, isPtp, PtpPortTable, type PtpPort } from './ptp-ports.js';
import { marginConfidence } from '../framework/confidence.js';
import { captureSeconds, nsSince, splitSubsecondNs } from './capture-seconds.js';

/**
 * The silence of one PTP message stream per sending port: shared by `ptp_sync_gap` (Sync, IEEE
 * 1588-2019 §7.7.2.3 logSyncInterval) and `ptp_announce_timeout` (Announce, §9.2.6.12
 * announceReceiptTimeout × logAnnounceInterval). The interval is the sender's own promise, the
 * logMessageInterval of its previous message of that type (§13.3.2.14).
 *
 * As interfaces.md states for absences: the finding is at the first message after the silence, the
 * evidence names the last one before it and how many are missing. A stream that stops and never
 * resumes while the capture goes on is reported at the last packet of the file (`resumed: false`).
 */
export interface MessageGapSpec {
  type: 'ptp_sync_gap' | 'ptp_announce_timeout';
  messageType: number;
  messageName: string;
  /** Threshold option holding the multiple of the interval, and its default. */
  option: string;
  defaultMultiple: number;
}

class StreamState {
  count = 0;
  lastIndex = 0;
  lastTsNs = 0n;
  /** lastTsNs split (capture-seconds.ts): the gap of each message without a bigint. */
  lastSec = 0;
  lastNs = 0;
  lastSeq = 0;
  lastLogInterval = 0x7f;
}

export class MessageGapDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  readonly ptpMessageTypes: readonly number[];
  private readonly ports = new PtpPortTable(() => new StreamState());
  private readonly multiple: number;

  constructor(
    private readonly spec: MessageGapSpec,
    t: ResolvedThresholds,
  ) {
    this.multiple = numberOption(t, spec.type, spec.option, spec.defaultMultiple);
    this.ptpMessageTypes = [spec.messageType];
  }

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (!isPtp(p) || p.ptp.messageType !== this.spec.messageType) return;
    const port = this.ports.sender(p);
    if (port === undefined) return;
    const s = port.state;
    if (s.count > 0) {
      const interval = intervalSeconds(s.lastLogInterval);
      if (interval !== undefined) {
        const gapNs = nsSince(s.lastTsNs, s.lastSec, s.lastNs, p.tsNs);
        const limitNs = this.multiple * interval * 1e9;
        if (gapNs > limitNs) this.report(ctx, port, p.index, p.tsNs, gapNs, interval, p.ptp.sequenceId, true);
      }
    }
    s.count++;
    s.lastIndex = p.index;
    s.lastTsNs = p.tsNs;
    s.lastSec = captureSeconds(p.tsNs);
    s.lastNs = splitSubsecondNs();
    s.lastSeq = p.ptp.sequenceId;
    s.lastLogInterval = p.ptp.logMessageInterval;
  }

  finish(ctx: DetectContext): void {
    // The file's last packet, whatever its kind (only PTP packets reach onPacket): the clock saw them all.
    const lastIndex = ctx.clock.lastIndex;
    const lastTsNs = ctx.clock.lastTsNs;
    for (const port of this.ports.ports) {
      const s = port.state;
      const interval = intervalSeconds(s.lastLogInterval);
      if (s.count < 2 || interval === undefined) continue;
      const gapNs = Number(lastTsNs - s.lastTsNs);
      if (gapNs > this.multiple * interval * 1e9)
        this.report(ctx, port, lastIndex, lastTsNs, gapNs, interval, -1, false);
    }
  }

  private report(
    ctx: DetectContext,
    port: PtpPort<StreamState>,
    index: number,
    tsNs: bigint,
    gapNs: number,
    interval: number,
    seq: number,
    resumed: boolean,
  ): void {
    const s = port.state;
    const { type, messageName } = this.spec;
    const gapMs = Math.round(gapNs / 1e3) / 1e3;
    const intervalMs = interval * 1e3;
    const evidence: Record<string, unknown> = {
      gap_ms: gapMs,
      interval_ms: intervalMs,
      log_message_interval: s.lastLogInterval,
      threshold_ms: this.multiple * intervalMs,
      threshold_intervals: this.multiple,
      missing_messages: Math.max(0, Math.round(gapNs / (interval * 1e9)) - 1),
      last_packet_index: s.lastIndex,
      last_timestamp: isoNs(s.lastTsNs),
      last_sequence_id: s.lastSeq,
      domain: port.domain,
      resumed,
    };
    if (seq >= 0) {
      evidence.sequence_id = seq;
      evidence.missing_sequence_ids = (seq - s.lastSeq - 1 + 0x10000) & 0xffff;
    }
    ctx.report({
      type,
      source: 'timing',
      severity: 'major',
      // margin: the gap past its allowance, on the allowance's scale
      confidence: marginConfidence(gapNs - this.multiple * interval * 1e9, this.multiple * interval * 1e9, 0.75, 0.24),
      tsNs,
      packetIndex: index,
      packetCount: 1,
      flow: port.flowKey,
      aggregationKey: `${type}|${port.domain}|${port.id}`,
      description: resumed
        ? `No ${messageName} from PTP port ${port.id} for ${gapMs} ms (${this.multiple} × ${intervalMs} ms allowed)`
        : `${messageName} from PTP port ${port.id} stopped ${gapMs} ms before the end of the capture (${this.multiple} × ${intervalMs} ms allowed)`,
      evidence,
    });
  }
}
