export { runCli } from './program.js';
export * from './cli-errors.js';
export type { CliIo } from './io.js';
