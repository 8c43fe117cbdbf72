import type { DetectorDefinition } from './framework/detector.js';
import { malformedDetector } from './fronthaul/malformed.js';
import { sequenceDetector } from './fronthaul/sequence.js';
import { windowStatOutlierDetector } from './ml/window-stat-outlier.js';
import { rxWindowDetector } from './fronthaul/rx-window.js';
import { couplingDetector } from './fronthaul/coupling.js';
import { prbRangeDetector } from './fronthaul/prb-range.js';
import { compressionDetector } from './fronthaul/compression.js';
import { ulBurstDetector } from './fronthaul/ul-burst.js';

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
  windowStatOutlierDetector,
];
