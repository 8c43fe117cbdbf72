import type { FindingList } from '../decode/findings.js';
import { COMP_METHOD_CODE, type DecodeOptions } from '../decode/options.js';
import {
  decodePrbIq,
  decodePrbIqBlockScaled,
  decodePrbIqBlockScaledSum,
  decodePrbIqSum,
  INV_FULL_SCALE_PRB_POWER,
  prbIqBytes,
  PrbIqResult,
} from './iq.js';
import { IqSimd, iqSimd, SectionIqTotals } from './iq-simd.js';
import { Inferred, type OranMessage, type UplaneSection } from './oran-message.js';

/*
 * O-RAN U-plane message (eCPRI type 0; O-RAN WG4 CUS §6.3.2, §8.3.3):
 *
 *  ecpriPcid(16) | ecpriSeqid: seqId(8) | E(1) | subSeqId(7)
 *  dataDirection(1) | payloadVersion(3) | filterIndex(4) | frameId(8)
 *  subframeId(4) | slotId(6) | symbolId(6)
 *  sections until the payload ends:
 *    sectionId(12) | rb(1) | symInc(1) | startPrbu(10) | numPrbu(8)
 *    [udCompHdr: udIqWidth(4) | udCompMeth(4) | reserved(8)]    dynamic compression only
 *    [udCompLen(16)]                                             selective-RE methods (5, 6)
 *    (methods 5–8: the section's data spans udCompLen bytes, else the rest of the payload)
 *    numPrbu × ( [udCompParam(8)] + 12 REs × 2 × udIqWidth bits )
 */

/** Methods whose PRBs start with a udCompParam byte (BFP, block scaling, μ-law, BFP selective RE). */
function hasCompParam(method: number): boolean {
  return method === 1 || method === 2 || method === 3 || method === 5;
}
function hasCompLen(method: number): boolean {
  return method === 5 || method === 6;
}

/** A U-plane payload format: static (from profile or a guess) or dynamic (udCompHdr per section). */
export interface UplaneFormat {
  dynamic: boolean;
  method: number;
  width: number;
}

const STATIC_GUESSES: UplaneFormat[] = [
  ...[9, 14, 8, 12, 16, 10, 11, 13, 15, 7, 6, 5, 4, 3, 2, 1].map((width) => ({ dynamic: false, method: 1, width })),
  ...[16, 8, 12, 14, 10, 9, 11, 13, 15].map((width) => ({ dynamic: false, method: 0, width })),
];
const DYNAMIC: UplaneFormat = { dynamic: true, method: 1, width: 9 };

/** Per-decoder memory: the profile's format (computed once) and guessed formats per direction. */
export class UplaneFormatCache {
  readonly byDirection: (UplaneFormat | undefined)[] = [undefined, undefined];
  profileFor: DecodeOptions | undefined = undefined;
  profile: UplaneFormat | undefined = undefined;
  /** Formats to try, in order, when the profile leaves something open (built once per options). */
  candidates: UplaneFormat[] = [];
}

function candidatesFor(opts: DecodeOptions): UplaneFormat[] {
  const candidates: UplaneFormat[] = [];
  const method = opts.compMethod === undefined ? -1 : COMP_METHOD_CODE[opts.compMethod];
  for (const c of STATIC_GUESSES) {
    if ((method < 0 || c.method === method) && (opts.iqWidth === undefined || c.width === opts.iqWidth))
      candidates.push(c);
  }
  // Static guesses first (the common deployment), dynamic last; 'static' excludes dynamic.
  if (opts.compHdr !== 'static') candidates.push(DYNAMIC);
  return candidates;
}

const iqResult = new PrbIqResult();
const totals = new SectionIqTotals();

/** What `walk` computes from the IQ samples: nothing, per-section totals, or per-PRB values and totals. */
const IQ_NONE = 0;
const IQ_TOTALS = 1;
const IQ_PER_PRB = 2;
/** {@link IQ_TOTALS}, and each PRB's Σ(I² + Q²) and clipped samples kept where the SIMD kernel runs (`prbSums`). */
const IQ_TOTALS_SUMS = 3;
/**
 * PRBs from which `TypedArray.prototype.fill` (a C++ builtin: ~18 ns a call, Node 20) beats a JS loop over
 * the per-PRB arrays (~0.5 ns per element): 17 PRBs loop, 106 or 273 fill.
 */
const FILL_MIN_PRBS = 32;

/**
 * Per-section IQ totals without the per-PRB arrays, PRB by PRB with the scalar decoder (widths the SIMD
 * kernel does not take, or no WebAssembly SIMD). Methods 0 (uncompressed: 16 − width scale steps), 1 and 2.
 */
function scalarSectionTotals(
  data: Uint8Array,
  o: number,
  n: number,
  prbBytes: number,
  width: number,
  method: number,
  s: UplaneSection,
): void {
  const bfp = method === 1;
  let sumSq16 = 0;
  for (let k = 0, p = o; k < n; k++, p += prbBytes) {
    if (method === 2) decodePrbIqBlockScaledSum(data, p + 1, width, data[p]!, iqResult);
    else decodePrbIqSum(data, bfp ? p + 1 : p, width, bfp ? data[p]! & 15 : -1, iqResult);
    if (iqResult.zero) s.zeroPrbs++;
    else if (iqResult.clipped > 0) {
      s.clippedPrbs++;
      s.clippedSamples += iqResult.clipped;
    }
    sumSq16 += iqResult.sumSq16;
  }
  s.activePowerLin = sumSq16 * INV_FULL_SCALE_PRB_POWER;
}

/** `a[from, to)` = `value`: a loop for a few PRBs, `fill` beyond {@link FILL_MIN_PRBS}. */
function fillRange(a: Float32Array | Uint8Array, value: number, from: number, to: number): void {
  if (to - from < FILL_MIN_PRBS) for (let k = from; k < to; k++) a[k] = value;
  else a.fill(value, from, to);
}

/**
 * `a[from, to)` = `value` where `a` does not hold it already (below `mark`, the array's blank mark); the new
 * mark. Arrays that share one mark are given the same `mark` and all get the same new one.
 */
function blankRange(a: Float32Array | Uint8Array, value: number, mark: number, from: number, to: number): number {
  if (to <= mark) return mark;
  fillRange(a, value, from > mark ? from : mark, to);
  return from <= mark ? to : mark;
}

/**
 * Walks sections of `fmt` over [start, end). With `msg` null it only tests whether the sections
 * tile the payload exactly (a dry run for the heuristics); otherwise it fills `msg`.
 */
function walk(
  data: Uint8Array,
  start: number,
  end: number,
  fmt: UplaneFormat,
  nrb: number,
  msg: OranMessage | null,
  findings: FindingList | null,
  iqMode: number,
): boolean {
  let o = start;
  let n = 0;
  let prbTotal = 0;
  while (end - o >= 4) {
    const sectionStart = o;
    const b1 = data[o + 1]!;
    const numPrbu = data[o + 3]!;
    o += 4;
    let method = fmt.method;
    let width = fmt.width;
    let compHdr = -1;
    let widthZero = false;
    if (fmt.dynamic) {
      if (end - o < 2) return fail(findings, sectionStart, msg, n);
      compHdr = data[o]!;
      if (msg === null && (data[o + 1] !== 0 || (compHdr & 15) > 8)) return false;
      width = compHdr >> 4;
      method = compHdr & 15;
      if (width === 0) {
        width = 16; // udIqWidth 0 means 16 (CUS Table 6.3.3.13-1)
        widthZero = method === 1;
      }
      o += 2;
    }
    let compLen = -1;
    if (hasCompLen(method)) {
      if (end - o < 2) return fail(findings, sectionStart, msg, n);
      compLen = (data[o]! << 8) | data[o + 1]!;
      o += 2;
    }
    const prbBytes = prbIqBytes(width) + (hasCompParam(method) ? 1 : 0);
    let nPrb = numPrbu;
    if (nPrb === 0) {
      if (nrb > 0) nPrb = nrb;
      else {
        // No NRB known: a section with numPrbu 0 takes the rest of the payload (a guess must tile
        // it exactly; a decode keeps the whole PRBs and reports any remainder as trailing bytes).
        const rest = end - o;
        if (msg === null ? rest === 0 || rest % prbBytes !== 0 : rest < prbBytes)
          return fail(findings, sectionStart, msg, n);
        nPrb = Math.floor(rest / prbBytes);
        if (msg !== null) msg.inferred |= Inferred.NRB;
      }
    }
    // Selective-RE methods (5–8) carry only the REs of the C-plane reMask: the PRB size is not
    // known here, so the section spans udCompLen bytes when present, else the rest of the payload.
    const selective = method >= 5;
    const need = selective ? (compLen >= 0 ? compLen : end - o) : nPrb * prbBytes;
    const complete = end - o >= need;
    if (msg === null) {
      if (!complete || !plausible(data, o, nPrb, prbBytes, method, width, numPrbu, n, sectionStart)) return false;
      o += need;
      n++;
      continue;
    }
    const s = msg.uSection(n);
    s.sectionId = (data[sectionStart]! << 4) | (b1 >> 4);
    s.rb = (b1 >> 3) & 1;
    s.symInc = (b1 >> 2) & 1;
    s.startPrbu = ((b1 & 3) << 8) | data[sectionStart + 2]!;
    s.numPrbu = numPrbu;
    s.nPrb = nPrb;
    s.udCompHdr = compHdr;
    s.iqWidth = width;
    s.compMethod = method;
    s.udCompLen = compLen;
    s.dataOffset = o;
    // IQ statistics: uncompressed, BFP (Annex A.1) and block scaling (Annex A.2)
    s.iqSupported = method === 0 || method === 1 || method === 2;
    s.zeroPrbs = s.clippedPrbs = s.clippedSamples = 0;
    s.activePowerLin = 0;
    s.prbIndex = prbTotal;
    s.prbSums = false;
    const whole = selective ? 0 : complete ? nPrb : Math.floor((end - o) / prbBytes);
    s.dataLength = complete ? need : end - o;
    if (!complete)
      findings!.add('oran_malformed', widthZero ? 'bfp_width_zero' : 'section_overrun', sectionStart, nPrb);
    if (!selective && compLen >= 0 && compLen !== need + 4 && compLen !== need) {
      findings!.add('oran_malformed', 'ud_comp_len_mismatch', sectionStart, compLen);
    }
    msg.ensurePrbCapacity(prbTotal + whole);
    const param = hasCompParam(method);
    let reservedSeen = false;
    // Hot loop (a 100 MHz carrier is 273 PRBs per packet): the per-PRB arrays are read once into locals.
    const exponents = msg.prbExponent;
    const powers = msg.prbPowerDbfs;
    const zeros = msg.prbZero;
    const clipped = msg.prbClipped;
    const iq = s.iqSupported ? iqMode : IQ_NONE;
    const to = prbTotal + whole;
    if (iq === IQ_PER_PRB) {
      // every per-PRB array gets this section's values: nothing known blank from here on
      if (msg.prbBlankEnd > prbTotal) msg.prbBlankEnd = prbTotal;
      if (msg.prbExponentBlankEnd > prbTotal) msg.prbExponentBlankEnd = prbTotal;
      if (msg.prbClippedBlankEnd > prbTotal) msg.prbClippedBlankEnd = prbTotal;
      let sumSq16 = 0;
      for (let k = 0, p = o; k < whole; k++, p += prbBytes) {
        const idx = prbTotal + k;
        const exponent = param ? data[p]! & 15 : 0;
        if (param && data[p]! >> 4 !== 0) reservedSeen = true;
        exponents[idx] = exponent;
        if (method === 2) decodePrbIqBlockScaled(data, p + 1, width, data[p]!, iqResult);
        else decodePrbIq(data, param ? p + 1 : p, width, method === 1 ? exponent : -1, iqResult);
        powers[idx] = iqResult.powerDbfs;
        zeros[idx] = iqResult.zero ? 1 : 0;
        clipped[idx] = iqResult.clipped;
        if (iqResult.zero) s.zeroPrbs++;
        else if (iqResult.clipped > 0) {
          s.clippedPrbs++;
          s.clippedSamples += iqResult.clipped;
        }
        sumSq16 += iqResult.sumSq16;
      }
      s.activePowerLin = sumSq16 * INV_FULL_SCALE_PRB_POWER;
    } else if (iq !== IQ_NONE && whole > 0 && iqSimd !== undefined && IqSimd.supports(width)) {
      // the kernel also extracts the exponents and checks the reserved nibbles
      const bfp = method === 1;
      const sums = iq === IQ_TOTALS_SUMS;
      iqSimd.sectionPrbs(
        data,
        o,
        whole,
        prbBytes,
        width,
        param,
        bfp ? 0 : 16 - width,
        bfp ? 16 - width : -1,
        totals,
        exponents,
        prbTotal,
        sums ? msg.prbSumSq16 : undefined,
        sums ? clipped : undefined,
        method === 2,
      );
      s.prbSums = sums;
      reservedSeen = totals.reservedSeen;
      s.zeroPrbs = totals.zeroPrbs;
      s.clippedPrbs = totals.clippedPrbs;
      s.clippedSamples = totals.clippedSamples;
      s.activePowerLin = totals.sumSq16 * INV_FULL_SCALE_PRB_POWER;
      // The per-PRB values not computed here read "not computed": dB NaN, zero flag 0, exponent 0 without
      // udCompParam, clipped 0 without prbSums. The message object is reused packet after packet and holds
      // them already below its blank marks (oran-message.ts), so only PRBs beyond a mark are written: a
      // stream of like messages writes none (fh_ks: 2-3 stores per PRB of every U-plane packet before).
      const blank = msg.prbBlankEnd;
      blankRange(powers, NaN, blank, prbTotal, to);
      msg.prbBlankEnd = blankRange(zeros, 0, blank, prbTotal, to);
      if (param) {
        if (msg.prbExponentBlankEnd > prbTotal) msg.prbExponentBlankEnd = prbTotal;
      } else msg.prbExponentBlankEnd = blankRange(exponents, 0, msg.prbExponentBlankEnd, prbTotal, to);
      if (sums) {
        if (msg.prbClippedBlankEnd > prbTotal) msg.prbClippedBlankEnd = prbTotal;
      } else msg.prbClippedBlankEnd = blankRange(clipped, 0, msg.prbClippedBlankEnd, prbTotal, to);
    } else {
      if (param) {
        if (msg.prbExponentBlankEnd > prbTotal) msg.prbExponentBlankEnd = prbTotal;
        for (let k = 0, p = o; k < whole; k++, p += prbBytes) {
          const b = data[p]!;
          exponents[prbTotal + k] = b & 15;
          if (b >> 4 !== 0) reservedSeen = true;
        }
      } else exponents.fill(0, prbTotal, prbTotal + whole);
      powers.fill(NaN, prbTotal, prbTotal + whole);
      zeros.fill(0, prbTotal, prbTotal + whole);
      clipped.fill(0, prbTotal, prbTotal + whole);
      if (iq !== IQ_NONE && whole > 0) scalarSectionTotals(data, o, whole, prbBytes, width, method, s);
    }
    if (reservedSeen && method === 1) findings!.add('oran_malformed', 'reserved_value', o, 0);
    prbTotal += whole;
    n++;
    msg.sectionCount = n;
    msg.prbCount = prbTotal;
    if (!complete) return false;
    o += need;
  }
  if (msg !== null && end - o > 0) findings!.add('oran_malformed', 'trailing_bytes', o, end - o);
  return n > 0 && o === end;
}

/** Highest PRB index + 1 a carrier can have (TS 38.101: 273 PRBs at 30 kHz / 100 MHz), with margin. */
const MAX_PRB = 276;

/**
 * Dry-run sanity of one section under a guessed format, so that IQ bytes read as headers do not
 * "fit" by chance: PRBs inside a carrier, numPrbu 0 ("all PRBs") only as the first section, and for
 * BFP every udCompParam with its reserved nibble 0 and an exponent the 16-bit range allows.
 */
function plausible(
  d: Uint8Array,
  o: number,
  nPrb: number,
  prbBytes: number,
  method: number,
  width: number,
  numPrbu: number,
  n: number,
  sectionStart: number,
): boolean {
  const startPrbu = ((d[sectionStart + 1]! & 3) << 8) | d[sectionStart + 2]!;
  if (startPrbu + nPrb > MAX_PRB) return false;
  if (numPrbu === 0 && n > 0) return false;
  if (method === 1) {
    const maxExp = 16 - width;
    for (let k = 0, p = o; k < nPrb; k++, p += prbBytes) {
      const param = d[p]!;
      if (param >> 4 !== 0 || (param & 15) > maxExp) return false;
    }
  }
  return true;
}

function fail(findings: FindingList | null, at: number, msg: OranMessage | null, n: number): boolean {
  if (msg !== null) {
    findings!.add('oran_malformed', 'section_overrun', at, 0);
    msg.sectionCount = n;
  }
  return false;
}

/** The profile's static format, or undefined when something must be guessed. */
function profileFormat(opts: DecodeOptions): UplaneFormat | undefined {
  if (opts.compHdr === 'dynamic') return DYNAMIC;
  if (opts.compMethod === undefined || opts.iqWidth === undefined) return undefined;
  return { dynamic: false, method: COMP_METHOD_CODE[opts.compMethod], width: opts.iqWidth };
}

/**
 * Decodes the U-plane sections in [start, end) (after the 4-byte application header) into `msg`.
 * Without a complete profile the format is inferred: the cached guess for this direction, else the
 * first candidate whose sections tile the payload exactly; `msg.inferred` says what was guessed.
 */
export function decodeUplaneSections(
  data: Uint8Array,
  start: number,
  end: number,
  opts: DecodeOptions,
  cache: UplaneFormatCache,
  msg: OranMessage,
  findings: FindingList,
): void {
  msg.sectionCount = 0;
  msg.prbCount = 0;
  msg.inferred = 0;
  const nrb = opts.nrb ?? 0;
  if (cache.profileFor !== opts) {
    cache.profileFor = opts;
    cache.profile = profileFormat(opts);
    cache.candidates = candidatesFor(opts);
  }
  let fmt = cache.profile;
  if (fmt === undefined || (opts.compHdr === undefined && !walk(data, start, end, fmt, nrb, null, null, IQ_NONE))) {
    const dir = msg.dataDirection & 1;
    const cached = cache.byDirection[dir];
    fmt = undefined;
    if (cached !== undefined && walk(data, start, end, cached, nrb, null, null, IQ_NONE)) fmt = cached;
    else {
      const candidates = cache.candidates;
      for (const c of candidates) {
        if (walk(data, start, end, c, nrb, null, null, IQ_NONE)) {
          fmt = c;
          break;
        }
      }
      fmt ??= cached ?? candidates[0] ?? DYNAMIC;
      cache.byDirection[dir] = fmt;
    }
    if (opts.compHdr === undefined) msg.inferred |= Inferred.COMP_HDR;
    if (!fmt.dynamic) {
      if (opts.iqWidth === undefined) msg.inferred |= Inferred.IQ_WIDTH;
      if (opts.compMethod === undefined) msg.inferred |= Inferred.COMP_METHOD;
    }
  }
  const inferred = msg.inferred;
  const iqMode = !opts.computeIq
    ? IQ_NONE
    : opts.prbIq !== false
      ? IQ_PER_PRB
      : opts.prbSums === true
        ? IQ_TOTALS_SUMS
        : IQ_TOTALS;
  if (iqSimd !== undefined && (iqMode === IQ_TOTALS || iqMode === IQ_TOTALS_SUMS)) {
    // the message's sections share one copy of the packet in the kernel's memory
    iqSimd.beginPacket(data);
    try {
      walk(data, start, end, fmt, nrb, msg, findings, iqMode);
    } finally {
      iqSimd.endPacket();
    }
  } else walk(data, start, end, fmt, nrb, msg, findings, iqMode);
  msg.inferred |= inferred;
}
