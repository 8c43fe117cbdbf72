/**
 * Timestamps as interfaces.md states them: UTC, ISO-8601, exactly nine fractional digits, computed from
 * the bigint nanosecond clock of the capture (no `Date` rounding to milliseconds).
 */

const NS_PER_S = 1_000_000_000n;
const S_PER_DAY = 86_400n;

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** Civil date of a day count since 1970-01-01 (Howard Hinnant's days_from_civil inverse, proleptic Gregorian). */
function civilFromDays(z0: number): [number, number, number] {
  const z = z0 + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return [y, m, d];
}

/**
 * The text up to the decimal point of the last whole second written: consecutive timestamps mostly share
 * their second (the UE KPI rows of all cells of a 1-second window, findings of one burst), and the date
 * arithmetic in bigint was most of a call (issue 13: ~33 k calls on the 100 MB bench:diag input).
 */
let lastSecond: bigint | undefined;
let lastPrefix = '';

/**
 * `2026-11-26T03:11:54.123456789Z` from ns since the Unix epoch (UTC). Negative values (before 1970) are
 * floored correctly; years outside 0000–9999 are written with as many digits as they need.
 */
export function isoNs(tsNs: bigint): string {
  let s = tsNs / NS_PER_S;
  let ns = tsNs % NS_PER_S;
  if (ns < 0n) {
    ns += NS_PER_S;
    s -= 1n;
  }
  if (s !== lastSecond) {
    lastPrefix = secondPrefix(s);
    lastSecond = s;
  }
  return `${lastPrefix}${ns === 0n ? '000000000' : pad(Number(ns), 9)}Z`;
}

/**
 * `00` … `99`: the two-digit fields of a date and time (month, day, hours, minutes, seconds) by table, not by
 * String().padStart() each.
 */
const TWO_DIGITS: readonly string[] = Array.from({ length: 100 }, (_, i) => pad(i, 2));

/**
 * The day of the last second prefix written (days since the Unix epoch; NaN: none yet) and its `2026-11-26T`:
 * a window's or finding's second mostly differs from the previous one's (the UE KPI windows of one cell are
 * one a second: ~70 k misses of the second's cache on the 400 MB bench:diag input, issue 13), its day rarely.
 */
let lastDay = NaN;
let lastDayText = '';

/** `2026-11-26T03:11:54.` of a whole second since the Unix epoch. */
function secondPrefix(s: bigint): string {
  let days = s / S_PER_DAY;
  let sod = s % S_PER_DAY;
  if (sod < 0n) {
    sod += S_PER_DAY;
    days -= 1n;
  }
  const day = Number(days);
  if (day !== lastDay) {
    const [y, m, d] = civilFromDays(day);
    lastDayText = `${pad(y, 4)}-${TWO_DIGITS[m]}-${TWO_DIGITS[d]}T`;
    lastDay = day;
  }
  const secOfDay = Number(sod);
  const hh = Math.floor(secOfDay / 3600);
  const mm = Math.floor((secOfDay % 3600) / 60);
  const ss = secOfDay % 60;
  return `${lastDayText}${TWO_DIGITS[hh]}:${TWO_DIGITS[mm]}:${TWO_DIGITS[ss]}.`;
}

/** A duration in ns as a short human text (`850 ns`, `12.5 µs`, `3.20 ms`, `1.250 s`). */
export function formatDurationNs(ns: bigint): string {
  const v = Number(ns);
  const a = Math.abs(v);
  if (a < 1_000) return `${v} ns`;
  if (a < 1_000_000) return `${(v / 1_000).toFixed(1)} µs`;
  if (a < 1_000_000_000) return `${(v / 1_000_000).toFixed(2)} ms`;
  return `${(v / 1_000_000_000).toFixed(3)} s`;
}
