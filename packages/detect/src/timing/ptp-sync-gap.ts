import { PtpMessageType } from '@l1t/capture';
import type { DetectorDefinition, ThresholdOption } from '../framework/detector.js';
import { MessageGapDetector } from './ptp-message-gap.js';

/**
 * `ptp_sync_gap` (anomalies.md; IEEE 1588-2019 §7.7.2.3): the time between two Sync messages of one
 * master port exceeds `interval_multiple` × 2^logMessageInterval (G.8275.1: 16 per second, so 187.5 ms).
 */
export const PTP_SYNC_GAP_OPTIONS: readonly ThresholdOption[] = [
  {
    name: 'interval_multiple',
    default: 3,
    unit: 'intervals',
    description: 'Sync intervals (2^logMessageInterval of the master) a silence must exceed to be reported.',
  },
];

export const ptpSyncGapDetector: DetectorDefinition = {
  name: 'ptp-sync-gap',
  types: ['ptp_sync_gap'],
  thresholds: { ptp_sync_gap: PTP_SYNC_GAP_OPTIONS },
  reference: 'IEEE 1588-2019 §7.7.2.3 (logSyncInterval), §13.3.2.14',
  create: ({ thresholds }) =>
    new MessageGapDetector(
      { type: 'ptp_sync_gap', messageType: PtpMessageType.SYNC, messageName: 'Sync', option: 'interval_multiple', defaultMultiple: 3 },
      thresholds,
    ),
};
