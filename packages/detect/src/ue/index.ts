export { UeServingCellDetection, type ServingCellSample } from './serving-cell-detection.js';
export {
  resolveUeThresholds,
  ueRrcDefinition,
  ueServingCellDefinition,
  UE_SERVING_CELL_TYPES,
} from './ue-thresholds.js';
export { UeRrcReestablishmentDetection, type RrcMessageSample } from './rrc-reestablishment-detection.js';
export { UeOutOfSyncDetection, type RlmSample } from './out-of-sync-detection.js';
export {
  cellKey,
  cellText,
  ueRadioKey,
  type BeamEventSample,
  type PdschTbSample,
  type PuschPowerSample,
  type RachAttemptResult,
  type RachAttemptSample,
  type TimingAdvanceSample,
  type UeCellRef,
} from './ue-link-samples.js';
