import { PtpMessageType } from '@l1t/capture';
import type { DetectorDefinition, ThresholdOption } from '../framework/detector.js';
import { MessageGapDetector } from './ptp-message-gap.js';

/**
 * `ptp_announce_timeout` (anomalies.md; IEEE 1588-2019 §9.2.6.12): no Announce from a master port for
 * announceReceiptTimeout × 2^logAnnounceInterval (G.8275.1: 3 × 125 ms). A slave that sees this drops the
 * master from its BMCA and, if it was its parent, moves to holdover.
 */
export const PTP_ANNOUNCE_TIMEOUT_OPTIONS: readonly ThresholdOption[] = [
  {
    name: 'announce_receipt_timeout',
    default: 3,
    unit: 'intervals',
    description: 'announceReceiptTimeout: Announce intervals a silence must exceed to be reported.',
  },
];

export const ptpAnnounceTimeoutDetector: DetectorDefinition = {
  name: 'ptp-announce-timeout',
  types: ['ptp_announce_timeout'],
  thresholds: { ptp_announce_timeout: PTP_ANNOUNCE_TIMEOUT_OPTIONS },
  reference: 'IEEE 1588-2019 §9.2.6.12 (announceReceiptTimeout), §7.7.3.1',
  create: ({ thresholds }) =>
    new MessageGapDetector(
      {
        type: 'ptp_announce_timeout',
        messageType: PtpMessageType.ANNOUNCE,
        messageName: 'Announce',
        option: 'announce_receipt_timeout',
        defaultMultiple: 3,
      },
      thresholds,
    ),
};
