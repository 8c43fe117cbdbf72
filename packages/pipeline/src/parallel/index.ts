export { decodeCaptureParallel, type CaptureDecodeStats, type ParallelDecodeOptions } from './parallel-decode.js';
export { appendSeqDigest, combineSeqDigest, flowKey, mergeFlowStats } from './flow-stats.js';
export { decodeRange } from './decode-range.js';
export { planRanges, type RangePlan } from './plan-ranges.js';
export type { DecodeCounts, FlowStats, RangeFailure, RangeResult, RangeTask } from './range-types.js';
