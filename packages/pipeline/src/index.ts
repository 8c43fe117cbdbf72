export * from './analysis-types.js';
export * from './analyze-file.js';
export * from './ids.js';
export * from './sources.js';
export * from './watch.js';
export * from './session-recorder.js';
export { createAnalyzer } from './analyzers/registry.js';
export * from './file-runner.js';
export type { WorkerTask } from './analyze-worker.js';
