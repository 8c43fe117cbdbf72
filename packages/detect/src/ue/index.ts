export { UeServingCellDetection, type ServingCellSample } from './serving-cell-detection.js';
export { resolveUeThresholds, ueServingCellDefinition, UE_SERVING_CELL_TYPES } from './ue-thresholds.js';
