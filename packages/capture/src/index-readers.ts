/**
 * Capture readers, link layers, format sniffing and the byte cursor: the public API of the
 * readers part of `@l1t/capture` (re-exported by `index.ts`).
 */
export * from './bytes/index.js';
export * from './layers/index.js';
export * from './reader/index.js';
export * from './sniff/index.js';
