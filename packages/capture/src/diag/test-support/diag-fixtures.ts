/**
 * The DIAG record builders live in diag/build/diag-bodies.ts (shared with `l1t synth ue`); the tests keep
 * importing them from here. Add new builders there.
 */
export * from '../build/diag-bodies.js';
export * from '../build/diag-bodies-ul-power.js';

/** An LTE serving cell as 0xB0C2 reports it (PCI 314, EARFCN 2300, band 4, MCC 310 / MNC 260), for servCellInfoBody(). */
export const SERV_CELL_314 = {
  pci: 314,
  dl: 2300,
  ul: 20300,
  bwRb: 100,
  cellId: 21453827,
  tac: 16340,
  band: 4,
  mcc: 310,
  mncDigits: 3,
  mnc: 260,
} as const;
