/**
 * The DIAG record builders live in diag/build/diag-bodies.ts (shared with `l1t synth ue`); the tests keep
 * importing them from here. Add new builders there.
 */
export * from '../build/diag-bodies.js';
export * from '../build/diag-bodies-ul-power.js';
