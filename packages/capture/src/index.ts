/**
 * @l1t/capture — pure decoders: bytes in, typed records out (DESIGN.md §Architecture).
 */
export * from './decode/index.js';
export * from './ecpri/index.js';
export * from './oran/index.js';
export * from './ptp/index.js';
export * from './index-readers.js';
export * from './synth/index.js';
export * from './diag/index.js';
export * from './linuxptp/index.js';
export * from './uelog/index.js';
