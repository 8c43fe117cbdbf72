import type { EaxcBits } from '../decode/options.js';

/** The four parts of an eAxC id (O-RAN WG4 CUS §5.1.3.1.6): DU port | band-sector | CC | RU port. */
export interface EaxcParts {
  duPortId: number;
  bandSectorId: number;
  ccId: number;
  ruPortId: number;
}

/** Splits a 16-bit eAxC id MSB-first by the configured widths (they sum to 16). */
export function splitEaxc(eaxc: number, bits: EaxcBits, out: EaxcParts): EaxcParts {
  let shift = 16 - bits.duPort;
  out.duPortId = (eaxc >> shift) & ((1 << bits.duPort) - 1);
  shift -= bits.bandSector;
  out.bandSectorId = (eaxc >> shift) & ((1 << bits.bandSector) - 1);
  shift -= bits.cc;
  out.ccId = (eaxc >> shift) & ((1 << bits.cc) - 1);
  out.ruPortId = eaxc & ((1 << bits.ruPort) - 1);
  return out;
}
