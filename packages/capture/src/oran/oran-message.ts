/**
 * Decoded O-RAN CUS message shapes (O-RAN WG4 CUS §5.4 U-plane, §7 C-plane). Objects are reused
 * across packets: `sections[0 .. sectionCount)` are valid for the current packet only.
 */

/** Which inferred values a U-plane decode had to guess (no profile value): bit flags. */
export const Inferred = Object.freeze({ NONE: 0, IQ_WIDTH: 1, COMP_HDR: 2, NRB: 4, COMP_METHOD: 8 });

export class UplaneSection {
  sectionId = 0;
  rb = 0;
  symInc = 0;
  startPrbu = 0;
  /** numPrbu as carried (0 = all PRBs of the carrier). */
  numPrbu = 0;
  /** PRBs actually carried (numPrbu, or NRB when numPrbu is 0). */
  nPrb = 0;
  /** udCompHdr read from the section (dynamic) — -1 when static. */
  udCompHdr = -1;
  /** Effective IQ width (1..16) and method code for this section. */
  iqWidth = 0;
  compMethod = 0;
  /** udCompLen when present, else -1. */
  udCompLen = -1;
  /** Offset and length of the PRB data in the frame. */
  dataOffset = 0;
  dataLength = 0;
  /** Index of this section's first PRB in the message's per-PRB arrays. */
  prbIndex = 0;
  /** False when the method's IQ is not decoded (header and length only). */
  iqSupported = false;
  /** IQ totals of the section's whole PRBs (when IQ is decoded): all-zero PRBs; clipped PRBs and samples
   * (BFP rule, zero PRBs never count); Σ of the linear power, relative to full scale, of the non-zero PRBs. */
  zeroPrbs = 0;
  clippedPrbs = 0;
  clippedSamples = 0;
  /** Initialised with a non-integer so V8 keeps the field as an unboxed double. */
  activePowerLin = 0.5;
  /** The message's `prbSumSq16` and `prbClipped` hold this section's PRBs (decode option `prbSums`). */
  prbSums = false;
}

export class CplaneExtension {
  /** ef bit of this extension's header: 1 when another extension follows. */
  ef = 0;
  extType = 0;
  /** extLen as carried, in 4-byte words (ext 11: 16-bit). */
  extLen = 0;
  offset = 0;
  byteLength = 0;
  // ext 1 / 11: bfwCompHdr
  bfwIqWidth = -1;
  bfwCompMeth = -1;
  /** ext 1: bfwCompParam exponent when bfwCompMeth is BFP (1); -1 otherwise. */
  bfwExponent = -1;
  /** ext 1: weight pairs (antennas) derived from extLen; ext 11: weights per bundle derived from extLen. */
  numBfWeights = -1;
  /** ext 11: bundles = ceil(numPrbc / numBundPrb). */
  numBundles = -1;
  /** ext 1: the weights, `bfwI/bfwQ[0 .. numBfWeights)`, as carried (BFP mantissas: × 2^bfwExponent). */
  bfwI = new Int16Array(64);
  bfwQ = new Int16Array(64);
  // ext 4 and ext 5 (first set): csf + modCompScaler / mcScaleOffset
  csf = -1;
  modCompScaler = -1;
  /** ext 5: up to four sets (extLen 2 → 1, 3 → 2, 4 → 3 or 4). */
  mcScaleReMask = [-1, -1, -1, -1];
  mcScaleCsf = [-1, -1, -1, -1];
  mcScaleOffset = [-1, -1, -1, -1];
  mcScaleSets = 0;
  // ext 6: non-contiguous PRB allocation
  repetition = -1;
  rbgSize = -1;
  rbgMask = -1;
  priority = -1;
  symbolMask = -1;
  // ext 10: multiple-port grouping
  beamGroupType = -1;
  numPortc = -1;
  // ext 11: flexible BF weights
  disableBFWs = -1;
  rad = -1;
  numBundPrb = -1;
  /** ext 10 (beamGroupType 2) / ext 11 (disableBFWs) beam ids; `beamIds[0 .. beamIdCount)`. */
  readonly beamIds: number[] = [];
  beamIdCount = 0;

  reset(): void {
    this.bfwIqWidth = this.bfwCompMeth = this.numBfWeights = this.bfwExponent = this.numBundles = -1;
    this.csf = this.modCompScaler = -1;
    this.mcScaleSets = 0;
    this.repetition = this.rbgSize = this.rbgMask = this.priority = this.symbolMask = -1;
    this.beamGroupType = this.numPortc = -1;
    this.disableBFWs = this.rad = this.numBundPrb = -1;
    this.beamIdCount = 0;
  }
}

/**
 * Section type 7 (LAA) message (CUS §7.2.5 / Table 6.4-6): laaMsgType(4) | laaMsgLen(4) then
 * 4 × (laaMsgLen + 1) bytes. Fields not carried by `laaMsgType` stay -1.
 *   0 LBT_PDSCH_REQ: lbtHandle(16) lbtOffset(10) lbtMode(2) rsv(1) lbtDeferFactor(3)
 *                    lbtBackoffCounter(10) MCOT(4) rsv(10)
 *   1 LBT_DRS_REQ:   lbtHandle(16) lbtOffset(10) lbtMode(2) rsv(28)
 *   2 LBT_PDSCH_RSP: lbtHandle(16) lbtPdschRes(2) inParSF(1) sfStatus(1) sfnSf(12) rsv(24)
 *   3 LBT_DRS_RSP:   lbtHandle(16) lbtDrsRes(1) rsv(7)
 *   4 LBT_Buffer_Error: lbtHandle(16) lbtBufErr(1) rsv(7)
 *   5 LBT_CWCONFIG_REQ: lbtHandle(16) lbtCWConfig_H(8) lbtCWConfig_T(8) lbtMode(2) lbtTrafficClass(3) rsv(19)
 *   6 LBT_CWCONFIG_RSP: lbtHandle(16) lbtCWR_Rst(1) rsv(7)
 */
export class LaaMessage {
  lbtHandle = -1;
  lbtOffset = -1;
  lbtMode = -1;
  lbtDeferFactor = -1;
  lbtBackoffCounter = -1;
  mcot = -1;
  lbtPdschRes = -1;
  initialPartialSF = -1;
  sfStatus = -1;
  sfnSfEnd = -1;
  lbtDrsRes = -1;
  lbtBufErr = -1;
  lbtCWConfigH = -1;
  lbtCWConfigT = -1;
  lbtTrafficClass = -1;
  lbtCWRRst = -1;

  reset(): void {
    this.lbtHandle = this.lbtOffset = this.lbtMode = this.lbtDeferFactor = this.lbtBackoffCounter = this.mcot = -1;
    this.lbtPdschRes = this.initialPartialSF = this.sfStatus = this.sfnSfEnd = this.lbtDrsRes = this.lbtBufErr = -1;
    this.lbtCWConfigH = this.lbtCWConfigT = this.lbtTrafficClass = this.lbtCWRRst = -1;
  }
}

export class CplaneSection {
  offset = 0;
  /** -1 for section type 6 (no sectionId). */
  sectionId = -1;
  rb = 0;
  symInc = 0;
  startPrbc = 0;
  numPrbc = 0;
  reMask = -1;
  numSymbol = -1;
  ef = 0;
  beamId = -1;
  ueId = -1;
  /** Type 3: 24-bit signed frequency offset. */
  freqOffset = 0;
  /** Type 6. */
  regularizationFactor = 0;
  // Type 7 (LAA)
  laaMsgType = -1;
  laaMsgLen = -1;
  readonly laa = new LaaMessage();
  readonly extensions: CplaneExtension[] = [];
  extensionCount = 0;
}

export class OranMessage {
  /** 'u' (eCPRI type 0) or 'c' (eCPRI type 2). */
  plane: 'u' | 'c' = 'u';
  eaxc = 0;
  duPortId = 0;
  bandSectorId = 0;
  ccId = 0;
  ruPortId = 0;
  sequenceId = 0;
  eBit = 0;
  subsequenceId = 0;
  /** 1 = DL, 0 = UL. */
  dataDirection = 0;
  payloadVersion = 0;
  filterIndex = 0;
  frameId = 0;
  subframeId = 0;
  slotId = 0;
  /** U-plane symbolId, C-plane startSymbolId. */
  symbolId = 0;
  /** False when the application header itself was cut short. */
  headerComplete = false;
  // C-plane common header
  numberOfSections = 0;
  sectionType = -1;
  timeOffset = -1;
  fftSize = -1;
  scs = -1;
  cpLength = -1;
  udCompHdr = -1;
  numberOfUEs = -1;
  readonly uSections: UplaneSection[] = [];
  readonly cSections: CplaneSection[] = [];
  sectionCount = 0;
  /** U-plane: Inferred.* flags of what was guessed for this message. */
  inferred = 0;
  // Per-PRB results of U-plane sections (indexed by section.prbIndex + k); prbCount valid entries.
  prbCount = 0;
  prbExponent = new Uint8Array(512);
  prbPowerDbfs = new Float32Array(512);
  prbZero = new Uint8Array(512);
  prbClipped = new Uint8Array(512);
  /** Σ(I² + Q²) of each PRB on the 16-bit scale, for sections with `prbSums` (decode option `prbSums`). */
  prbSumSq16 = new Float64Array(512);
  /**
   * Blank marks of the per-PRB arrays, kept by the U-plane decoder (uplane.ts): entries below the mark hold
   * what a decode that does not compute them writes — `prbPowerDbfs` NaN and `prbZero` 0
   * ({@link prbBlankEnd}), `prbExponent` 0 ({@link prbExponentBlankEnd}), `prbClipped` 0
   * ({@link prbClippedBlankEnd}) — so that a decode without per-PRB values writes only the PRBs beyond them.
   * Whoever writes other values into these arrays lowers the mark (0: nothing known).
   */
  prbBlankEnd = 0;
  prbExponentBlankEnd = 0;
  prbClippedBlankEnd = 0;

  ensurePrbCapacity(n: number): void {
    if (n <= this.prbExponent.length) return;
    let cap = this.prbExponent.length;
    while (cap < n) cap *= 2;
    const grow = <T extends Uint8Array | Float32Array | Float64Array>(a: T, make: (c: number) => T): T => {
      const b = make(cap);
      b.set(a);
      return b;
    };
    this.prbExponent = grow(this.prbExponent, (c) => new Uint8Array(c));
    this.prbPowerDbfs = grow(this.prbPowerDbfs, (c) => new Float32Array(c));
    this.prbZero = grow(this.prbZero, (c) => new Uint8Array(c));
    this.prbClipped = grow(this.prbClipped, (c) => new Uint8Array(c));
    this.prbSumSq16 = grow(this.prbSumSq16, (c) => new Float64Array(c));
  }

  uSection(i: number): UplaneSection {
    let s = this.uSections[i];
    if (s === undefined) {
      s = new UplaneSection();
      this.uSections.push(s);
    }
    return s;
  }

  cSection(i: number): CplaneSection {
    let s = this.cSections[i];
    if (s === undefined) {
      s = new CplaneSection();
      this.cSections.push(s);
    }
    return s;
  }
}
