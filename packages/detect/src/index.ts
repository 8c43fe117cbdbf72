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
  flowIndexOf,
  flowNameOfIndex,
  flowLabelOfIndex,
  flowKeyOf,
  radioOf,
  slotKeyOf,
  FLOW_INDEX_COUNT,
  type FlowRef,
} from './framework/flow.js';
export { FlowTable, FlowStates, DEFAULT_MAX_FLOWS } from './framework/flow-table.js';
export { FronthaulStage } from './framework/fronthaul-stage.js';
export { SlotStats } from './framework/slot-stats.js';
export { seqDistance, seqInOrder, isFragmentContinuation, seqSkipped } from './fronthaul/sequence-flow.js';
export { NumerologyGuess } from './fronthaul/air-time-profile.js';
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
export * from './timing/metrics/index.js';
export * from './timing/linuxptp/index.js';
export * from './ue/index.js';
export * from './cross-source/index.js';
export type * from './views/file-views-types.js';
export * from './incidents/index.js';
