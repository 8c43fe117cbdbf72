import type { DetectorDefinition } from './framework/detector.js';
import { malformedDetector } from './fronthaul/malformed.js';
import { sequenceDetector } from './fronthaul/sequence.js';
import { windowStatOutlierDetector } from './ml/window-stat-outlier.js';
import { rxWindowDetector } from './fronthaul/rx-window.js';
import { couplingDetector } from './fronthaul/coupling.js';
import { prbRangeDetector } from './fronthaul/prb-range.js';
import { compressionDetector } from './fronthaul/compression.js';
import { ulBurstDetector } from './fronthaul/ul-burst.js';
import { iqHealthDetector } from './fronthaul/iq-health.js';
import { iqSaturationDetector } from './fronthaul/iq-saturation.js';
import { iqZeroDetector } from './fronthaul/iq-zero.js';
import { iqPowerDropDetector } from './fronthaul/iq-power-drop.js';
import { trafficGapDetector } from './fronthaul/traffic-gap.js';
import { ptpSyncGapDetector } from './timing/ptp-sync-gap.js';
import { ptpAnnounceTimeoutDetector } from './timing/ptp-announce-timeout.js';
import { ptpSyncSequenceDetector } from './timing/ptp-sync-sequence.js';
import { ptpFollowUpMissingDetector } from './timing/ptp-follow-up-missing.js';
import { ptpGmChangeDetector } from './timing/ptp-gm-change.js';
import { ptpClockDegradedDetector } from './timing/ptp-clock-degraded.js';
import { ptpTimeErrorDetector } from './timing/ptp-time-error.js';
import { ptpCompetingMastersDetector } from './timing/ptp-competing-masters.js';
import { ptpMalformedDetector } from './timing/ptp-malformed.js';
import { ptpMessageRateDetector } from './timing/ptp-message-rate.js';
import { ptpStaleTimestampDetector } from './timing/ptp-stale-timestamp.js';
import { ecpriDelayBudgetDetector } from './timing/ecpri-delay-budget.js';
import { captureTimeErrorMetricsDetector } from './timing/metrics/capture-time-error-detector.js';

/**
 * Every detector module run over a capture, in this order. To add one: one import above, one entry
 * below (keep one entry per line so concurrent additions merge cleanly).
 */
export const DETECTORS: DetectorDefinition[] = [
  malformedDetector,
  sequenceDetector,
  rxWindowDetector,
  couplingDetector,
  prbRangeDetector,
  compressionDetector,
  ulBurstDetector,
  iqHealthDetector,
  iqSaturationDetector,
  iqZeroDetector,
  iqPowerDropDetector,
  trafficGapDetector,
  ptpSyncGapDetector,
  ptpAnnounceTimeoutDetector,
  ptpSyncSequenceDetector,
  ptpFollowUpMissingDetector,
  ptpGmChangeDetector,
  ptpClockDegradedDetector,
  ptpTimeErrorDetector,
  ptpCompetingMastersDetector,
  ptpMalformedDetector,
  ptpMessageRateDetector,
  ptpStaleTimestampDetector,
  ecpriDelayBudgetDetector,
  captureTimeErrorMetricsDetector,
  windowStatOutlierDetector,
];
