export { mtie } from './mtie.js';
export { tdev } from './tdev.js';
export { lowPass, DTE_FILTER_HZ } from './low-pass.js';
export { toUniformGrid, medianInterval } from './uniform-grid.js';
export {
  constantTimeError,
  maxAbs,
  mean,
  sampleStats,
  quantile,
  CTE_WINDOW_S,
  type SampleStats,
} from './time-error-stats.js';
export { syncPdv, FPP_WINDOW_S, FPP_CLUSTER_NS, FPP_LIMIT_PCT, type PdvResult } from './floor-packets.js';
export {
  judge,
  bestClass,
  G8271_1_MAX_ABS_TE_NS,
  G8273_2_CLASSES,
  type Verdict,
  type Criterion,
} from './time-error-verdicts.js';
export {
  timeErrorReport,
  observationIntervals,
  BASIS_STATEMENT,
  type TimeErrorInput,
  type TimeErrorReport,
  type TimeErrorBasis,
  type TauValue,
} from './time-error-report.js';
export {
  timeErrorMetricRows,
  ptpViewFromMetrics,
  PTP_TE_METRIC_NAMES,
  type PtpPortView,
} from './time-error-metric-rows.js';
