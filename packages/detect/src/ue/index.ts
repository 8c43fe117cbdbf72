export { UeServingCellDetection, type ServingCellSample } from './serving-cell-detection.js';
export {
  resolveUeThresholds,
  ueRrcDefinition,
  ueServingCellDefinition,
  UE_SERVING_CELL_TYPES,
} from './ue-thresholds.js';
export {
  UeRrcReestablishmentDetection,
  type RlfRachTriggerSample,
  type RrcMessageSample,
} from './rrc-reestablishment-detection.js';
export { UeOutOfSyncDetection, type RlmSample } from './out-of-sync-detection.js';
export {
  cellKey,
  cellText,
  ueCellRef,
  ueRadioKey,
  type BeamEventSample,
  type PdschTbSample,
  type PuschPowerSample,
  type RachAttemptResult,
  type RachAttemptSample,
  type TimingAdvanceSample,
  type UeCellRef,
} from './ue-link-samples.js';
export { UE_LINK_TYPES, ueLinkDefinition } from './ue-link-thresholds.js';
export { UeLinkDetection } from './ue-link-detection.js';
export { UeBlerHighDetection } from './bler-high-detection.js';
export { UeHarqFailureDetection } from './harq-failure-detection.js';
export { UeBeamFailureDetection } from './beam-failure-detection.js';
export { UeRachFailureDetection } from './rach-failure-detection.js';
export { UeUlPowerLimitedDetection } from './ul-power-limited-detection.js';
export { UeTimingAdvanceJumpDetection } from './timing-advance-jump-detection.js';
export * from './events/index.js';
