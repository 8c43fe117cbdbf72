export * from './analysis-types.js';
export * from './analyze-file.js';
export * from './ids.js';
export * from './sources.js';
export * from './watch.js';
export * from './session-recorder.js';
export * from './result-sink.js';
export * from './store-sink.js';
export {
  StoreSpool,
  SpoolRun,
  SpoolFullError,
  spoolMaxBytesFromEnv,
  type SpoolCommit,
  type SpoolFlushed,
} from './store-spool.js';
export { findingIdentity, AnomalyIdentity } from './anomaly-identity.js';
export type { ResultCounts } from './result-collector.js';
export { createAnalyzer } from './analyzers/registry.js';
export * from './file-runner.js';
export type { WorkerTask } from './analyze-worker.js';
export * from './decode-options.js';
export * from './thresholds.js';
export * from './packet-slice.js';
export * from './job-runner.js';
export * from './site-models.js';
export * from './anomaly-pcap.js';
export * from './parallel/index.js';
export { ptpViewFromMetrics, PTP_TE_METRIC_NAMES, type PtpPortView } from '@l1t/detect';
export { PtpViewSink } from './ptp-view-sink.js';
export type { DetectedValues, ProfileSettings } from './analyzers/detected-values.js';
