import { PtpMessageType, type DecodedPacket } from '@l1t/capture';
import { PTP_PACKETS, type DetectContext, type Detector, type DetectorDefinition } from '../framework/detector.js';
import { isoNs } from '../time-format.js';
import { isPtp, PtpPortTable } from './ptp-ports.js';
import { round3, sampleFactor } from '../framework/confidence.js';

/**
 * `ptp_sync_sequence_error` (added type; IEEE 1588-2019 §7.3.7.2: a port numbers each message type with
 * its own sequenceId, incremented by one per message): a Sync whose sequenceId repeats or goes back
 * (by less than half the 16-bit space) on one master port. A healthy master never does that; replayed
 * or spoofed Sync messages that reuse the master's port identity do (the TIMESAFE Sync attacks), as do
 * two masters configured with the same clock identity. Each such Sync is an occurrence; a burst is one
 * anomaly. A forward jump (lost Sync) is `ptp_sync_gap`'s business.
 */
class SeqState {
  count = 0;
  lastSeq = 0;
  lastIndex = 0;
  lastTsNs = 0n;
  lastOriginSec = -1;
}

class SyncSequenceDetector implements Detector {
  readonly packetKinds = PTP_PACKETS;
  readonly ptpMessageTypes: readonly number[] = [PtpMessageType.SYNC];
  private readonly ports = new PtpPortTable(() => new SeqState());

  onPacket(p: DecodedPacket, ctx: DetectContext): void {
    if (!isPtp(p) || p.ptp.messageType !== PtpMessageType.SYNC) return;
    const port = this.ports.sender(p);
    if (port === undefined) return;
    const s = port.state;
    const seq = p.ptp.sequenceId;
    if (s.count > 0) {
      const step = (seq - s.lastSeq) & 0xffff;
      if (step === 0 || step > 0x8000) {
        const back = step === 0 ? 0 : 0x10000 - step;
        ctx.report({
          type: 'ptp_sync_sequence_error',
          source: 'timing',
          severity: 'major',
          // an established stream (many Syncs in order before) makes a step back a fault, not a restart
          confidence: round3(0.95 * sampleFactor(s.count, 32, 0.6)),
          tsNs: p.tsNs,
          packetIndex: p.index,
          packetCount: 1,
          flow: port.flowKey,
          aggregationKey: `ptp_sync_sequence_error|${port.domain}|${port.id}`,
          description:
            step === 0
              ? `Sync sequenceId ${seq} repeated by PTP port ${port.id}`
              : `Sync sequenceId went back by ${back} (${s.lastSeq} → ${seq}) on PTP port ${port.id}`,
          evidence: {
            previous_sequence_id: s.lastSeq,
            sequence_id: seq,
            steps_back: back,
            previous_packet_index: s.lastIndex,
            previous_timestamp: isoNs(s.lastTsNs),
            origin_timestamp_s: p.ptp.timestampSec,
            previous_origin_timestamp_s: s.lastOriginSec,
            domain: port.domain,
          },
          totals: { out_of_order_syncs: 1 },
        });
      }
    }
    s.count++;
    s.lastSeq = seq;
    s.lastIndex = p.index;
    s.lastTsNs = p.tsNs;
    s.lastOriginSec = p.ptp.timestampSec;
  }

  finish(): void {}
}

export const ptpSyncSequenceDetector: DetectorDefinition = {
  name: 'ptp-sync-sequence',
  types: ['ptp_sync_sequence_error'],
  thresholds: {},
  reference: 'IEEE 1588-2019 §7.3.7.2 (sequenceId per message type)',
  create: () => new SyncSequenceDetector(),
};
