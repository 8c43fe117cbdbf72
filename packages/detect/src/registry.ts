import type { DetectorDefinition } from './framework/detector.js';
import { malformedDetector } from './fronthaul/malformed.js';
import { sequenceDetector } from './fronthaul/sequence.js';

/**
 * Every detector module run over a capture, in this order. To add one: one import above, one entry
 * below (keep one entry per line so concurrent additions merge cleanly).
 */
export const DETECTORS: DetectorDefinition[] = [
  malformedDetector,
  sequenceDetector,
];
