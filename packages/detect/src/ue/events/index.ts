export { UE_EVENT_TYPES, ueEventDefinition } from './ue-event-thresholds.js';
export { UeEventDetection } from './ue-event-detection.js';
export { UeAttachFailureDetection } from './attach-failure-detection.js';
export { UeAbnormalDetachDetection } from './abnormal-detach-detection.js';
export { UeAttachStormDetection } from './attach-storm-detection.js';
export { UeBehaviourOutlierDetection } from './ue-behaviour-outlier.js';
export { UE_BEHAVIOUR_FEATURES, UeBehaviour, type UeBehaviourFeature } from './ue-behaviour-features.js';
