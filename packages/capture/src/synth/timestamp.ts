/**
 * Capture timestamps. Absolute epoch nanoseconds do not fit a double (≈1.8e18 > 2^53), so generators keep
 * a bigint base and per-packet offsets as numbers, and split them into (seconds, nanoseconds) here.
 */

const NS_PER_S = 1_000_000_000;

/** Seconds and nanoseconds since the Unix epoch (UTC). */
export interface SecNs {
  sec: number;
  nsec: number;
}

/** Unix epoch ns → (seconds, nanoseconds), floor division for negative values. */
export function splitEpochNs(ns: bigint): SecNs {
  const sec = ns / 1_000_000_000n;
  let nsec = ns % 1_000_000_000n;
  let s = sec;
  if (nsec < 0n) {
    nsec += 1_000_000_000n;
    s -= 1n;
  }
  return { sec: Number(s), nsec: Number(nsec) };
}

/** (seconds, nanoseconds) → Unix epoch ns. */
export function joinEpochNs(sec: number, nsec: number): bigint {
  return BigInt(sec) * 1_000_000_000n + BigInt(nsec);
}

/** base + offset (integer ns, may be negative) as (sec, nsec), written into `out` to avoid allocation. */
export function addOffset(base: SecNs, offsetNs: number, out: SecNs): SecNs {
  const total = base.nsec + offsetNs;
  const carry = Math.floor(total / NS_PER_S);
  out.sec = base.sec + carry;
  out.nsec = total - carry * NS_PER_S;
  return out;
}

/** UTC ISO-8601 with exactly nine fractional digits, e.g. `2026-01-01T00:00:00.000123456Z`. */
export function isoNs(sec: number, nsec: number): string {
  const iso = new Date(sec * 1000).toISOString(); // yyyy-mm-ddThh:mm:ss.000Z
  return `${iso.slice(0, 19)}.${String(nsec).padStart(9, '0')}Z`;
}

/**
 * The 64-bit count of nanoseconds since the epoch as two 32-bit halves (pcapng EPB timestamp with
 * if_tsresol = 9), computed exactly with doubles: sec·10^9 = (sec·1953125)·2^9 and sec·1953125 < 2^53.
 */
export function nsHalves(sec: number, nsec: number, out: { high: number; low: number }): void {
  const m = sec * 1953125; // exact
  let high = Math.floor(m / 8388608); // 2^23
  let low = (m - high * 8388608) * 512 + nsec; // < 2^32 + 10^9
  if (low >= 4294967296) {
    high += 1;
    low -= 4294967296;
  }
  out.high = high;
  out.low = low;
}
