import { PtpMessageType, type DecodedPacket } from '@l1t/capture';
import { PTP_PACKETS, type DetectContext, type Detector, type DetectorDefinition } from '../framework/detector.js';
import { isoNs } from '../time-format.js';
import { isPtp, PtpPortTable, type PtpPort } from './ptp-ports.js';
import { round3, sampleFactor } from '../framework/confidence.js';

/**
 * `ptp_follow_up_missing` (added type; IEEE 1588-2019 §9.5.10, §11.4.3: a two-step master sends every
 * Sync's precise origin timestamp in a Follow_Up with the same sequenceId): a two-step Sync (twoStep flag
 * set) whose Follow_Up has not arrived when the port's next Sync does (or the capture ends). The slave
 * cannot use such a Sync: for it the Sync is lost. Each is an occurrence, a burst one anomaly; the
 * finding is at the next Sync (where the absence becomes observable), the evidence names the orphan.
 */
class FollowUpState {
  /** Two-step Syncs of the port whose Follow_Up did arrive. */
  followed = 0;
  pendingSeq = -1;
  pendingIndex = 0;
  pendingTsNs = 0n;
}

class FollowUpMissingDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  readonly ptpMessageTypes: readonly number[] = [PtpMessageType.SYNC, PtpMessageType.FOLLOW_UP];
  private readonly ports = new PtpPortTable(() => new FollowUpState());

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (!isPtp(p)) return;
    const type = p.ptp.messageType;
    if (type !== PtpMessageType.SYNC && type !== PtpMessageType.FOLLOW_UP) return;
    const port = this.ports.sender(p);
    if (port === undefined) return;
    const s = port.state;
    if (type === PtpMessageType.FOLLOW_UP) {
      if (p.ptp.sequenceId === s.pendingSeq) {
        s.pendingSeq = -1;
        s.followed++;
      }
      return;
    }
    if (s.pendingSeq >= 0) this.report(ctx, port, p.index, p.tsNs);
    s.pendingSeq = p.ptp.twoStep ? p.ptp.sequenceId : -1;
    s.pendingIndex = p.index;
    s.pendingTsNs = p.tsNs;
  }

  finish(ctx: DetectContext): void {
    // The file's last packet, whatever its kind (only PTP packets reach onPacket): the clock saw them all.
    const lastIndex = ctx.clock.lastIndex;
    for (const port of this.ports.ports) {
      // A Sync right at the end may simply have lost its Follow_Up to the end of the capture.
      if (port.state.pendingSeq >= 0 && port.state.pendingIndex < lastIndex - 1)
        this.report(ctx, port, lastIndex, ctx.clock.lastTsNs);
    }
  }

  private report(ctx: DetectContext, port: PtpPort<FollowUpState>, index: number, tsNs: bigint): void {
    const s = port.state;
    ctx.report({
      type: 'ptp_follow_up_missing',
      source: 'timing',
      severity: 'major',
      // a port whose Follow_Ups did arrive before: the capture sees them, so this one is really missing
      confidence: round3(0.95 * sampleFactor(s.followed, 16, 0.6)),
      tsNs,
      packetIndex: index,
      packetCount: 1,
      flow: port.flowKey,
      aggregationKey: `ptp_follow_up_missing|${port.domain}|${port.id}`,
      description: `Two-step Sync ${s.pendingSeq} from PTP port ${port.id} without its Follow_Up`,
      evidence: {
        sync_sequence_id: s.pendingSeq,
        sync_packet_index: s.pendingIndex,
        sync_timestamp: isoNs(s.pendingTsNs),
        domain: port.domain,
      },
      totals: { syncs_without_follow_up: 1 },
    });
    s.pendingSeq = -1;
  }
}

export const ptpFollowUpMissingDetector: DetectorDefinition = {
  name: 'ptp-follow-up-missing',
  types: ['ptp_follow_up_missing'],
  thresholds: {},
  reference: 'IEEE 1588-2019 §9.5.10, §11.4.3 (two-step Sync and Follow_Up)',
  create: () => new FollowUpMissingDetector(),
};
