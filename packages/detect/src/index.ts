/**
 * @l1t/detect — pure, streaming detectors over decoded records (DESIGN.md §Architecture).
 */
export * from './framework/detector.js';
export { Aggregator, type AggregatorOptions } from './framework/aggregator.js';
export { PacketContextRing, type PacketContextEntry } from './framework/packet-context.js';
export { ThresholdRegistry, ThresholdError, numberOption, type ThresholdListing } from './framework/thresholds.js';
export { resolveThresholds, validateThresholds, listThresholds } from './framework/resolve-thresholds.js';
export {
  policySeverity,
  worseSeverity,
  SUSTAINED_OCCURRENCES,
  OUTLIER_MAJOR_CONFIDENCE,
} from './framework/severity.js';
export {
  flowIndex,
  flowName,
  flowNameOfIndex,
  flowLabel,
  flowKeyOf,
  radioOf,
  FLOW_INDEX_COUNT,
} from './framework/flow.js';
export { LinkTable } from './framework/link-table.js';
export {
  createFronthaulDetection,
  runDetectors,
  type FronthaulDetection,
  type FronthaulDetectionOptions,
} from './framework/fronthaul-detection.js';
export { detectCapture } from './framework/detect-capture.js';
export { DETECTORS } from './registry.js';
export * from './ml/index.js';
export { isoNs, formatDurationNs } from './time-format.js';
export * from './ue/index.js';
