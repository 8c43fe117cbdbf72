/**
 * Options of the fronthaul decoders, mirroring the analysis profile (reference/interfaces.md).
 * Every option has a documented default; `undefined` means "infer from the data" where the decoder
 * has a heuristic (IQ width, udCompHdr presence, NRB) and says what it guessed.
 */
export type CompMethodName =
  'none' | 'bfp' | 'block_scaling' | 'mu_law' | 'modulation' | 'bfp_selective_re' | 'mod_selective_re';

/** udCompMeth code points (O-RAN WG4 CUS Table 6.3.3.13-1 / A.1). */
export const COMP_METHOD_CODE: Readonly<Record<CompMethodName, number>> = Object.freeze({
  none: 0,
  bfp: 1,
  block_scaling: 2,
  mu_law: 3,
  modulation: 4,
  bfp_selective_re: 5,
  mod_selective_re: 6,
});

export interface EaxcBits {
  duPort: number;
  bandSector: number;
  cc: number;
  ruPort: number;
}

export interface DecodeOptions {
  /** eAxC split, widths summing to 16. Default 2/6/4/4 (Wireshark's default). */
  eaxcBits: EaxcBits;
  /** Static U-plane compression method; undefined = infer (or read udCompHdr when present). */
  compMethod: CompMethodName | undefined;
  /** Static U-plane IQ width (1..16); undefined = infer. */
  iqWidth: number | undefined;
  /** 'static': no udCompHdr in U-plane sections; 'dynamic': present; undefined = infer. */
  compHdr: 'static' | 'dynamic' | undefined;
  /** Carrier NRB, used when numPrbu/numPrbc is 0 ("all PRBs"); undefined = infer from the payload. */
  nrb: number | undefined;
  /** UDP ports that carry eCPRI (deployment-specific). Default none. */
  ecpriUdpPorts: number[];
  /**
   * Also try eCPRI on UDP datagrams of other ports when the bytes look like an eCPRI header
   * (revision 1, reserved 0, a defined message type, a payload size that fits the datagram and
   * fills it up to padding unless the C bit is set). Default false: opt in for unknown deployments.
   */
  ecpriUdpHeuristic?: boolean;
  /** Decode IQ samples (per-section zero, clipping and power totals). Default true. Exponents are always read. */
  computeIq: boolean;
  /**
   * With `computeIq`, also fill the per-PRB arrays (`prbPowerDbfs`, `prbZero`, `prbClipped`). Default true.
   * The analysis needs only the per-section totals: false skips the per-PRB dB values (a logarithm per
   * PRB) and lets widths up to 9 bits use the SIMD kernel (iq-simd.ts); the arrays then hold NaN/0/0.
   */
  prbIq?: boolean;
  /**
   * With `prbIq: false`, also keep each PRB's Σ(I² + Q²) on the 16-bit scale in `prbSumSq16` and its clipped
   * samples in `prbClipped` (0 for an all-zero PRB), where the SIMD kernel makes the section totals: the same
   * pass writes them (iq-simd.ts `sectionPrbs`), so the file views' PRB heatmap does not decode the section
   * again. A section whose sums were kept says so (`UplaneSection.prbSums`). Default false.
   */
  prbSums?: boolean;
  /** Antennas of C-plane section type 6 channel information (M-plane); default 32 as Wireshark. */
  numBfAntennas?: number;
}

export const DEFAULT_EAXC_BITS: Readonly<EaxcBits> = Object.freeze({ duPort: 2, bandSector: 6, cc: 4, ruPort: 4 });

export function resolveDecodeOptions(partial: Partial<DecodeOptions> = {}): DecodeOptions {
  const eaxcBits = { ...DEFAULT_EAXC_BITS, ...(partial.eaxcBits ?? {}) };
  const sum = eaxcBits.duPort + eaxcBits.bandSector + eaxcBits.cc + eaxcBits.ruPort;
  if (sum !== 16) throw new RangeError(`eaxcBits must sum to 16 (got ${sum})`);
  if (
    partial.iqWidth !== undefined &&
    (partial.iqWidth < 1 || partial.iqWidth > 16 || !Number.isInteger(partial.iqWidth))
  ) {
    throw new RangeError(`iqWidth must be an integer 1..16 (got ${partial.iqWidth})`);
  }
  return {
    eaxcBits,
    compMethod: partial.compMethod,
    iqWidth: partial.iqWidth,
    compHdr: partial.compHdr,
    nrb: partial.nrb,
    ecpriUdpPorts: [...(partial.ecpriUdpPorts ?? [])],
    computeIq: partial.computeIq ?? true,
    prbIq: partial.prbIq ?? true,
    prbSums: partial.prbSums ?? false,
    ecpriUdpHeuristic: partial.ecpriUdpHeuristic ?? false,
    numBfAntennas: partial.numBfAntennas ?? 32,
  };
}
