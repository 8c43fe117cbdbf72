/**
 * DIAG timestamps (reference/diag.md §Log packet): a u64 whose upper 48 bits count 1.25 ms ticks since the
 * GPS epoch 1980-01-06T00:00:00 and whose lower 16 bits are a fraction of a tick in 1/65536 units.
 * Readers keep the two parts as numbers (no bigint per record); this converts them when output asks.
 */

/** Unix seconds of the GPS epoch, 1980-01-06T00:00:00Z (synth/radio-time.ts exports the same constant). */
const GPS_EPOCH_UNIX_S = 315_964_800;

/**
 * GPS − UTC in seconds when the profile does not say (`utc_gps_offset_s`): 18 s, the leap seconds in force
 * since 2017-01-01 (IERS Bulletin C). Logs from before 2017 are off by up to 3 s unless the profile sets
 * the offset of their date (17 s in 2015-07 … 2016-12, 16 s in 2012-07 … 2015-06).
 */
export const DEFAULT_UTC_GPS_OFFSET_S = 18;

const NS_PER_TICK = 1_250_000n;
/** ns per 1/65536 of a tick: 1 250 000 / 65536 = 19.073486328125, exact in a double. */
const NS_PER_FRACTION = 1_250_000 / 65536;

/** Ticks in a second (1.25 ms each). */
const TICKS_PER_S = 800;

/**
 * The UTC ns of the start of the last GPS second converted (and its offset): records of the DIAG analysis share
 * their second far more often than their 1.25 ms tick (1.14 M timestamps of the handled records of the 400 MB
 * bench:diag input: 10 % repeat the previous tick), and three bigint products per record were a hot spot.
 * The ns within the second, (ticks mod 800) · 1 250 000 plus the fraction's ns, are below 10^9 + 1 250 000:
 * an exact integer in a double, added to the second's bigint once converted (issue 13).
 */
let lastSecond = NaN;
let lastOffsetS = NaN;
let lastSecondNs = 0n;

/** UTC nanoseconds since the Unix epoch of a DIAG timestamp given as ticks (≤ 2^48) and fraction (< 2^16). */
export function diagTimeToUtcNs(ticks: number, fraction: number, utcGpsOffsetS = DEFAULT_UTC_GPS_OFFSET_S): bigint {
  // floor(fraction · 1 250 000 / 65536) is exact in a double for an integer fraction below 2^16 (< 2^37 before
  // a division by a power of two); any other fraction, or ticks that are not an integer in 0…2^48, take the
  // bigint path (which throws as BigInt() does). Written as one product by NS_PER_FRACTION (1 250 000 · 2^-16,
  // exact in a double: the same single rounding of an exact value, so the same result): the product then is a
  // double from the first record on, where `fraction * 1_250_000 / 65536` was first compiled for small integers
  // and deoptimised (overflow, then lost precision) once larger fractions came, recompiling every handler it
  // was inlined into (issue 13).
  if (
    fraction >= 0 &&
    fraction < 65536 &&
    Number.isInteger(fraction) &&
    ticks >= 0 &&
    ticks <= 2 ** 48 &&
    Number.isInteger(ticks)
  ) {
    // ticks / 800 is within 2^-53 relative of the quotient, less than 1/800 from an integer below it: its floor
    // is the whole seconds, and the remainder exact.
    const second = Math.floor(ticks / TICKS_PER_S);
    if (second !== lastSecond || utcGpsOffsetS !== lastOffsetS) {
      lastSecondNs = BigInt(GPS_EPOCH_UNIX_S - utcGpsOffsetS + second) * 1_000_000_000n;
      lastSecond = second;
      lastOffsetS = utcGpsOffsetS;
    }
    return lastSecondNs + BigInt((ticks - second * TICKS_PER_S) * 1_250_000 + Math.floor(fraction * NS_PER_FRACTION));
  }
  const tickNs = BigInt(GPS_EPOCH_UNIX_S - utcGpsOffsetS) * 1_000_000_000n + BigInt(ticks) * NS_PER_TICK;
  return tickNs + ((BigInt(fraction) * NS_PER_TICK) >> 16n);
}

/** UTC milliseconds (a double: exact to well below 1 µs for any 48-bit tick count) for detectors. */
export function diagTimeToUtcMs(ticks: number, fraction: number, utcGpsOffsetS = DEFAULT_UTC_GPS_OFFSET_S): number {
  return (GPS_EPOCH_UNIX_S - utcGpsOffsetS) * 1000 + ticks * 1.25 + (fraction * 1.25) / 65536;
}

/** Splits a raw u64 timestamp (tests, fixtures) into ticks and fraction. */
export function splitDiagTimestamp(raw: bigint): { ticks: number; fraction: number } {
  return { ticks: Number(raw >> 16n), fraction: Number(raw & 0xffffn) };
}

/** RFC 3339 UTC with nanoseconds, e.g. `2015-07-26T16:48:23.123456789Z`. */
export function formatUtcNs(ns: bigint): string {
  const ms = ns / 1_000_000n;
  const iso = new Date(Number(ms)).toISOString(); // …T16:48:23.123Z
  const frac = (ns % 1_000_000_000n).toString().padStart(9, '0');
  return `${iso.slice(0, 19)}.${frac}Z`;
}
