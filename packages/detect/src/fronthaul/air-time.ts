/**
 * Air time of an NR symbol on the GPS-aligned radio timeline, exactly (no float drift).
 *
 * TS 38.211 §4.1: Tc = 1/(480000·4096) s, κ = 64, so one subframe (1 ms) is 1 966 080 Tc.
 * TS 38.211 §5.3.1 (normal CP): symbol l of numerology μ lasts N_u + N_CP = (2048 + 144)·κ·2^−μ Tc, and
 * the symbol that starts each 0.5 ms half-subframe is longer by 16·κ Tc:
 *
 * ```
 *   subframe  |<------------------------------ 1 966 080 Tc ------------------------------>|
 *   half      |<------------ 983 040 Tc ------------>|<------------ 983 040 Tc ------------>|
 *   symbols   |  l=0 (+1024) | 1 | 2 | … | 7·2^μ−1  | l=7·2^μ (+1024) | … | 14·2^μ−1       |
 * ```
 *
 * O-RAN WG4 CUS §9.7.2: the radio frame count follows GPS time; SFN 0 starts at the GPS epoch
 * (1980-01-06T00:00:00Z) + β·10 ms + α ns. Capture timestamps are UTC; GPS = UTC + leap seconds (18 s
 * since 2017-01-01), so the origin in Unix time is 315 964 800 s − leap + β·10 ms + α.
 * frameId = SFN mod 256 wraps every 2.56 s: a message's (frameId, subframeId) is resolved to the
 * occurrence nearest the capture time of the packet.
 *
 * Exactness: 1 ns = 6144/3125 Tc is not a whole number of Tc, so instants are carried as whole ns plus a
 * fraction in units of 1/6144 ns (1 Tc = 3125 such units). The hot path ({@link AirClock}) works in those
 * units with plain numbers relative to a per-file base, exact while |arrival − air time| < ~17 days.
 */

/** Unix time of the GPS epoch 1980-01-06T00:00:00Z, seconds. */
export const GPS_EPOCH_UNIX_S = 315_964_800;
/** GPS − UTC since 2017-01-01 (profile `timing.utc_gps_offset_s`). */
export const DEFAULT_UTC_GPS_OFFSET_S = 18;
/** Tc per 1 ms subframe (TS 38.211 §4.1). */
export const TC_PER_SUBFRAME = 1_966_080;
/** Sub-nanosecond units per ns: instants and offsets are exact integers in 1/6144 ns. */
export const UNITS_PER_NS = 6144;
/** Units (1/6144 ns) per Tc: Tc = 10^9 / 1 966 080 000 ns = 3125/6144 ns. */
export const UNITS_PER_TC = 3125;
/** Subframes per frameId wrap (256 frames × 10 subframes = 2.56 s). */
export const SUBFRAMES_PER_WRAP = 2560;

const NS_PER_SUBFRAME = 1_000_000;
/**
 * {@link NS_PER_SUBFRAME} read from a Float64Array, for the hot `sf × ns-per-subframe` of
 * {@link AirClock.offsetUnits}: with two small-int operands V8 compiles a 31-bit integer multiply, which
 * overflows (and deoptimises the detectors it is inlined in) once the capture is ~1.07 s past its base; a
 * value loaded from a Float64Array is a double from the first call, so the multiply is a double one from the
 * start. Same value, exact either way (products < 2^53).
 */
const NS_PER_SUBFRAME_F64 = new Float64Array([NS_PER_SUBFRAME]);
const HALF_WRAP = SUBFRAMES_PER_WRAP / 2;

/** Timing of the radio timeline (profile `scs_khz` and `timing`). */
export interface AirTimeConfig {
  /** Numerology μ (SCS = 15·2^μ kHz), 0..4. */
  mu: number;
  /** GPS − UTC, seconds (default 18). */
  utcGpsOffsetS?: number;
  /** α: radio frame timing offset, ns (default 0). */
  alphaNs?: number;
  /** β: radio frame offset, frames (default 0). */
  betaFrames?: number;
}

/** A symbol position as carried by O-RAN messages (frameId is SFN mod 256). */
export interface SymbolPosition {
  frameId: number;
  subframeId: number;
  slotId: number;
  symbolId: number;
}

/** An exact instant: `ns + sub / 6144` nanoseconds since the Unix epoch (0 ≤ sub < 6144). */
export interface AirInstant {
  ns: bigint;
  sub: number;
}

/** μ of a subcarrier spacing in kHz (15, 30, 60, 120, 240); throws RangeError otherwise. */
export function numerologyOfScs(scsKhz: number): number {
  const mu = Math.log2(scsKhz / 15);
  if (!Number.isInteger(mu) || mu < 0 || mu > 4) throw new RangeError(`unsupported SCS ${scsKhz} kHz`);
  return mu;
}

/** Slots per 1 ms subframe for numerology μ. */
export function slotsPerSubframe(mu: number): number {
  return 1 << mu;
}

/** Duration of one slot in ns (rounded; for windows and evidence only). */
export function slotDurationNs(mu: number): number {
  return NS_PER_SUBFRAME / (1 << mu);
}

/**
 * Start of symbol (slotId, symbolId) inside its subframe, in Tc (an integer), TS 38.211 §5.3.1.
 * Returns -1 when the slot or symbol does not exist for μ (slotId ≥ 2^μ or symbolId ≥ 14).
 */
export function symbolStartTc(mu: number, slotId: number, symbolId: number): number {
  if (slotId < 0 || symbolId < 0 || symbolId >= 14 || slotId >= 1 << mu) return -1;
  const n = slotId * 14 + symbolId;
  const perHalf = 7 << mu;
  const len = (2192 * 64) >> mu;
  // every half-subframe's first symbol (l = 0, 7·2^μ) carries 16κ = 1024 Tc more cyclic prefix
  return n * len + 1024 * Math.ceil(n / perHalf);
}

/** Unix ns of the start of SFN 0, subframe 0 at the GPS epoch (the radio timeline origin). */
export function radioOriginUnixNs(cfg: AirTimeConfig): bigint {
  const leap = cfg.utcGpsOffsetS ?? DEFAULT_UTC_GPS_OFFSET_S;
  return (
    BigInt(GPS_EPOCH_UNIX_S - leap) * 1_000_000_000n +
    BigInt(cfg.betaFrames ?? 0) * 10_000_000n +
    BigInt(cfg.alphaNs ?? 0)
  );
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

function mod(a: number, m: number): number {
  const r = a % m;
  return r < 0 ? r + m : r;
}

/**
 * The subframe (counted from the radio origin) holding (frameId, subframeId) nearest to the subframe
 * `sfNow`: the candidate whose distance lies in [−1280, 1280) subframes (ties go to the earlier one).
 */
function nearestSubframe(sfNow: number, frameId: number, subframeId: number): number {
  return nearestSubframeFrom(sfNow, sfNow - mod(sfNow, SUBFRAMES_PER_WRAP), frameId, subframeId);
}

/**
 * {@link nearestSubframe} with the start of the wrap holding `sfNow` (`sfNow − mod(sfNow, 2560)`) given, so
 * that {@link AirClock} computes it once per 2.56 s wrap instead of per message. Whole numbers only, as
 * every caller passes: with subframeId ≤ 9 the candidate's distance + 1280 lies in [−1279, 3839], so its
 * `mod 2560` is one add or subtract — the same value as `mod()`, without a floating-point remainder (a
 * library call in optimized code, and the largest cost of this function per judged message; issue 14).
 */
function nearestSubframeFrom(sfNow: number, wrapStart: number, frameId: number, subframeId: number): number {
  const want = (frameId & 0xff) * 10 + subframeId;
  const d = wrapStart + want - sfNow + HALF_WRAP;
  // one addition that runs on every call (the wrap is crossed only near its edges: a branch first taken
  // there would cost the optimized callers a deoptimization)
  const inWrap = d + (d < 0 ? SUBFRAMES_PER_WRAP : 0) - (d >= SUBFRAMES_PER_WRAP ? SUBFRAMES_PER_WRAP : 0);
  return sfNow + (inWrap - HALF_WRAP);
}

/**
 * Exact air time (symbol start) of `pos`, taking the occurrence of its frameId nearest to `nearUnixNs`
 * (the capture time of the packet). Throws RangeError for a slot/symbol that μ does not have.
 */
export function airTime(pos: SymbolPosition, nearUnixNs: bigint, cfg: AirTimeConfig): AirInstant {
  const tc = symbolStartTc(cfg.mu, pos.slotId, pos.symbolId);
  if (tc < 0 || pos.subframeId < 0 || pos.subframeId > 9) {
    throw new RangeError(`no symbol ${pos.slotId}/${pos.symbolId} in subframe ${pos.subframeId} at μ=${cfg.mu}`);
  }
  const origin = radioOriginUnixNs(cfg);
  const sfNowBig = floorDiv(nearUnixNs - origin, 1_000_000n);
  // reduce to a number-sized subframe index within one wrap, then add the wrap count back
  const wraps = floorDiv(sfNowBig, BigInt(SUBFRAMES_PER_WRAP));
  const sfInWrap = Number(sfNowBig - wraps * BigInt(SUBFRAMES_PER_WRAP));
  const sf = BigInt(nearestSubframe(sfInWrap, pos.frameId, pos.subframeId)) + wraps * BigInt(SUBFRAMES_PER_WRAP);
  const units = BigInt(tc) * BigInt(UNITS_PER_TC);
  const whole = units / BigInt(UNITS_PER_NS);
  return {
    ns: origin + sf * 1_000_000n + whole,
    sub: Number(units - whole * BigInt(UNITS_PER_NS)),
  };
}

/** {@link airTime} floored to whole ns. */
export function airTimeNs(pos: SymbolPosition, nearUnixNs: bigint, cfg: AirTimeConfig): bigint {
  return airTime(pos, nearUnixNs, cfg).ns;
}

/** `t − air` in units of 1/6144 ns (exact, as a bigint), for tests and evidence. */
export function offsetUnits(tUnixNs: bigint, air: AirInstant): bigint {
  return (tUnixNs - air.ns) * BigInt(UNITS_PER_NS) - BigInt(air.sub);
}

/**
 * The radio position being transmitted at `unixNs` (inverse of {@link airTime}): SFN 0..1023, frameId,
 * subframe, slot, symbol.
 */
export function positionAt(unixNs: bigint, cfg: AirTimeConfig): SymbolPosition & { sfn: number } {
  const rel = unixNs - radioOriginUnixNs(cfg);
  const sf = floorDiv(rel, 1_000_000n);
  const intoUnits = Number(rel - sf * 1_000_000n) * UNITS_PER_NS;
  const sfMod = Number(sf - floorDiv(sf, 10240n) * 10240n);
  const perSub = 14 << cfg.mu;
  let n = 0;
  while (n + 1 < perSub && symbolStartTc(cfg.mu, Math.floor((n + 1) / 14), (n + 1) % 14) * UNITS_PER_TC <= intoUnits)
    n++;
  const sfn = Math.floor(sfMod / 10);
  return { sfn, frameId: sfn & 0xff, subframeId: sfMod % 10, slotId: Math.floor(n / 14), symbolId: n % 14 };
}

/** Scratch for reading a bigint's two 32-bit halves without bigint arithmetic (which allocates). */
const I64 = new BigInt64Array(1);
const U32 = new Uint32Array(I64.buffer);
const I32 = new Int32Array(I64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = LITTLE_ENDIAN ? 1 : 0;

/**
 * {@link CaptureTimeBase.relNs} values smaller than this in magnitude (2^52 ns, 52 days) are exact, and so
 * are sums of them with a few seconds: a detector may test them instead of bigint capture times (a bigint
 * comparison is a library call in optimized code) and fall back to the bigints beyond.
 */
export const EXACT_REL_NS = 2 ** 52;

/**
 * A capture-time base of one file: `relNs(ts)` is `ts − base` in ns as an exact number (while
 * |ts − base| < 2^53 ns ≈ 104 days) with no bigint arithmetic — the bigint is stored into a
 * BigInt64Array and read back as two 32-bit halves, which allocates nothing (bigint subtraction does).
 */
export class CaptureTimeBase {
  private hi = 0;
  private lo = 0;
  private set = false;

  /** Fixes the base (otherwise the first `relNs` call's time is the base). */
  setBase(ns: bigint): void {
    I64[0] = ns;
    this.hi = I32[HI]!;
    this.lo = U32[LO]!;
    this.set = true;
  }

  get hasBase(): boolean {
    return this.set;
  }

  /** ns since the base, exact. */
  relNs(tsNs: bigint): number {
    I64[0] = tsNs;
    if (!this.set) {
      this.hi = I32[HI]!;
      this.lo = U32[LO]!;
      this.set = true;
    }
    return (I32[HI]! - this.hi) * 4294967296 + (U32[LO]! - this.lo);
  }
}

/**
 * Hot-path air-time arithmetic for one file: plain numbers relative to a base instant fixed at the first
 * packet (via {@link CaptureTimeBase}: no allocation). Offsets are exact integers in 1/6144 ns.
 */
export class AirClock {
  readonly mu: number;
  private readonly origin: bigint;
  /** A frameId wrap boundary at or before the first capture time. */
  private readonly time = new CaptureTimeBase();
  /** Symbol starts in units (1/6144 ns) inside the subframe, index slot·14 + symbol. */
  private readonly startUnits: Float64Array;
  /** Subframe (from the base) of the last resolved air time. */
  lastSubframe = 0;
  /**
   * Capture time of the last call relative to the base, ns (NaN before the first). Starts as a double, not
   * 0: V8 gives a field first holding a small int a small-int representation and re-shapes the object when
   * it first holds a larger number (~1.07 s after the base), deoptimising the detectors that use the clock.
   */
  lastRelNs = NaN;
  /** The frameId wrap (subframes from the base) holding the last call's subframe: [wrapStart, wrapEnd). */
  private wrapStart = 0;
  private wrapEnd = 0;

  constructor(readonly cfg: AirTimeConfig) {
    this.mu = cfg.mu;
    numerologyOfScs(15 << cfg.mu);
    this.origin = radioOriginUnixNs(cfg);
    const n = 14 << cfg.mu;
    this.startUnits = new Float64Array(n);
    for (let i = 0; i < n; i++) this.startUnits[i] = symbolStartTc(cfg.mu, Math.floor(i / 14), i % 14) * UNITS_PER_TC;
  }

  /** Capture time relative to the base in ns (the base is a frameId wrap boundary before the first call). */
  relNs(tsNs: bigint): number {
    if (!this.time.hasBase) {
      const wrapNs = BigInt(SUBFRAMES_PER_WRAP) * 1_000_000n;
      this.time.setBase(this.origin + floorDiv(tsNs - this.origin, wrapNs) * wrapNs);
    }
    return this.time.relNs(tsNs);
  }

  /**
   * `arrival − air time` (units of 1/6144 ns; positive = after the air time) of the symbol at the
   * occurrence nearest `tsNs`; NaN when the slot/symbol does not exist for μ or subframeId > 9.
   */
  offsetUnits(tsNs: bigint, frameId: number, subframeId: number, slotId: number, symbolId: number): number {
    const rel = this.relNs(tsNs);
    this.lastRelNs = rel;
    if (slotId >= 1 << this.mu || symbolId >= 14 || subframeId > 9) return NaN;
    const sfNow = Math.floor(rel / NS_PER_SUBFRAME);
    if (sfNow < this.wrapStart || sfNow >= this.wrapEnd) {
      this.wrapStart = sfNow - mod(sfNow, SUBFRAMES_PER_WRAP);
      this.wrapEnd = this.wrapStart + SUBFRAMES_PER_WRAP;
    }
    const sf = nearestSubframeFrom(sfNow, this.wrapStart, frameId, subframeId);
    this.lastSubframe = sf;
    return (rel - sf * NS_PER_SUBFRAME_F64[0]!) * UNITS_PER_NS - this.startUnits[slotId * 14 + symbolId]!;
  }

  /** Exact air time of an offset returned by {@link offsetUnits} for capture time `tsNs`. */
  airInstant(tsNs: bigint, offset: number): AirInstant {
    const units = BigInt(tsNs) * BigInt(UNITS_PER_NS) - BigInt(offset);
    const ns = floorDiv(units, BigInt(UNITS_PER_NS));
    return { ns, sub: Number(units - ns * BigInt(UNITS_PER_NS)) };
  }
}
