/**
 * Air time of NR symbols on the absolute (GPS-aligned) radio timeline.
 *
 * TS 38.211 §4.1 / §5.3.1: Tc = 1/(480000·4096) s, κ = 64. For numerology μ a symbol lasts
 * N_u + N_CP = (2048 + 144)·κ·2^−μ Tc, and the first symbol of each 0.5 ms half-subframe is longer by
 * 16·κ Tc. O-RAN WG4 CUS §9.7.2: SFN 0 starts at the GPS epoch (1980-01-06T00:00:00Z) + β·10 ms + α;
 * GPS = UTC + leap seconds (18 s since 2017-01-01).
 */

/** Unix time of the GPS epoch, seconds. */
export const GPS_EPOCH_UNIX_S = 315_964_800;
/** GPS − UTC since 2017-01-01. */
export const DEFAULT_LEAP_SECONDS = 18;
/** TAI − UTC since 2017-01-01 (PTP currentUtcOffset). */
export const TAI_UTC_OFFSET_S = 37;

const TC_PER_SUBFRAME = 1_966_080; // 1 ms / Tc

export interface RadioTimingOptions {
  /** Subcarrier spacing, kHz: 15 · 2^μ. */
  scsKhz: number;
  /** GPS − UTC, s. Default 18. */
  leapSeconds?: number;
  /** α: radio frame timing offset, ns. Default 0. */
  alphaNs?: number;
  /** β: radio frame offset, frames. Default 0. */
  betaFrames?: number;
}

export interface RadioPosition {
  /** System frame number (0..1023). */
  sfn: number;
  /** frameId = SFN mod 256. */
  frameId: number;
  subframeId: number;
  slotId: number;
  symbolId: number;
}

/** μ from the subcarrier spacing (15·2^μ kHz); throws for anything else. */
export function numerology(scsKhz: number): number {
  const mu = Math.log2(scsKhz / 15);
  if (!Number.isInteger(mu) || mu < 0 || mu > 4) throw new RangeError(`unsupported SCS ${scsKhz} kHz`);
  return mu;
}

/** Symbols per subframe for numerology μ (normal CP). */
export function symbolsPerSubframe(mu: number): number {
  return 14 << mu;
}

/**
 * Start of each symbol inside its subframe, in Tc (integers), for numerology μ; one extra entry holds the
 * subframe length so that `[n+1] − [n]` is the duration of symbol n.
 */
export function symbolStartsTc(mu: number): number[] {
  const perHalf = 7 << mu;
  const len = ((2048 + 144) * 64) >> mu;
  const out: number[] = [];
  let t = 0;
  for (let n = 0; n < symbolsPerSubframe(mu); n++) {
    out.push(t);
    t += len + (n % perHalf === 0 ? 16 * 64 : 0);
  }
  out.push(t);
  if (t !== TC_PER_SUBFRAME) throw new Error('symbol table does not fill the subframe');
  return out;
}

/** Symbol starts inside the subframe in ns (fractional; ns per Tc = 10^9 / 1 966 080 000 = 3125 / 6144). */
export function symbolStartsNs(mu: number): number[] {
  return symbolStartsTc(mu).map((tc) => (tc * 3125) / 6144);
}

/** Unix ns of SFN 0 subframe 0 at the GPS epoch (the radio timeline origin). */
export function radioOriginUnixNs(opts: RadioTimingOptions): bigint {
  const leap = opts.leapSeconds ?? DEFAULT_LEAP_SECONDS;
  return (
    BigInt(GPS_EPOCH_UNIX_S - leap) * 1_000_000_000n +
    BigInt(opts.betaFrames ?? 0) * 10_000_000n +
    BigInt(opts.alphaNs ?? 0)
  );
}

/** Index of the subframe (1 ms) containing `unixNs`, counted from the radio origin, and the ns into it. */
export function subframeAt(unixNs: bigint, opts: RadioTimingOptions): { subframe: bigint; intoNs: number } {
  const rel = unixNs - radioOriginUnixNs(opts);
  let sf = rel / 1_000_000n;
  let into = rel - sf * 1_000_000n;
  if (into < 0n) {
    sf -= 1n;
    into += 1_000_000n;
  }
  return { subframe: sf, intoNs: Number(into) };
}

/** Radio position (frame/subframe/slot/symbol) of the symbol being transmitted at `unixNs`. */
export function radioPositionAt(unixNs: bigint, opts: RadioTimingOptions): RadioPosition {
  const mu = numerology(opts.scsKhz);
  const { subframe, intoNs } = subframeAt(unixNs, opts);
  const starts = symbolStartsNs(mu);
  let n = 0;
  while (n + 1 < starts.length - 1 && (starts[n + 1] ?? Infinity) <= intoNs) n++;
  const sfMod = Number(((subframe % 10240n) + 10240n) % 10240n);
  const sfn = Math.floor(sfMod / 10);
  return { sfn, frameId: sfn & 0xff, subframeId: sfMod % 10, slotId: Math.floor(n / 14), symbolId: n % 14 };
}

/**
 * Air time (symbol start, Unix ns, rounded down) of a symbol given by frameId (SFN mod 256) and
 * subframe/slot/symbol, taking the occurrence nearest to `nearUnixNs` (frameId wraps every 2.56 s).
 */
export function airTimeUnixNs(
  pos: { frameId: number; subframeId: number; slotId: number; symbolId: number },
  nearUnixNs: bigint,
  opts: RadioTimingOptions,
): bigint {
  const mu = numerology(opts.scsKhz);
  const starts = symbolStartsTc(mu);
  const n = pos.slotId * 14 + pos.symbolId;
  const tc = starts[n];
  if (tc === undefined) throw new RangeError('slot/symbol outside the subframe');
  const origin = radioOriginUnixNs(opts);
  const { subframe } = subframeAt(nearUnixNs, opts);
  // subframes per frameId wrap: 256 frames × 10
  const wrap = 2560n;
  const base = subframe - (((subframe % wrap) + wrap) % wrap);
  const want = BigInt(pos.frameId * 10 + pos.subframeId);
  let best = 0n;
  let bestDist = -1n;
  for (const cand of [base - wrap + want, base + want, base + wrap + want]) {
    const d = cand > subframe ? cand - subframe : subframe - cand;
    if (bestDist < 0n || d < bestDist) {
      best = cand;
      bestDist = d;
    }
  }
  // ns = Tc·3125/6144, exact in integers, floored
  return origin + best * 1_000_000n + (BigInt(tc) * 3125n) / 6144n;
}
