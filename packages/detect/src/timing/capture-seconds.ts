/**
 * A packet's capture time (bigint ns since the Unix epoch) as whole seconds and nanoseconds, the way the
 * PTP detectors set it beside a message's (seconds, nanoseconds) timestamp (IEEE 1588-2019 §5.3.3), and as
 * whole microseconds. Each bigint division allocates, and several detectors ask it of the same packet (the
 * two exchange pairings, the stale-timestamp check, the time-error series): the last split is remembered,
 * so a packet costs one split however many ask. Division truncates, as `tsNs / 10^9n` and `tsNs % 10^9n`.
 */
const NS_PER_S = 1_000_000_000n;

let lastTsNs = 0n;
let lastSec = 0;
let lastNs = 0;

/**
 * The split without a bigint division (each allocates; one or two per PTP message was the largest part of
 * the garbage of PTP-only traffic, issue 14): the timestamp is stored in a BigInt64Array and read back as
 * two 32-bit halves, v = hi·2^32 + lo. For 0 ≤ v < 4·10^18 ns (until 2096) every step is exact in doubles:
 * hi·2^32 (hi < 2^30) and q·10^9 = q·1953125·2^9 (q·1953125 < 2^53) are exact, their difference is a small
 * integer and so exact, and the quotient estimated from the rounded v is off by at most one, which the
 * remainder's range check corrects. Anything else takes the bigint divisions.
 */
const FAST_LIMIT = 4_000_000_000_000_000_000n;
const scratch = new BigInt64Array(1);
const halves = new Uint32Array(scratch.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LO = LITTLE_ENDIAN ? 0 : 1;
const HI = 1 - LO;

function split(tsNs: bigint): void {
  if (tsNs === lastTsNs) return;
  if (tsNs >= 0n && tsNs < FAST_LIMIT) {
    scratch[0] = tsNs;
    const hi = halves[HI]! * 4294967296;
    const lo = halves[LO]!;
    let q = Math.floor((hi + lo) / 1e9);
    let r = hi - q * 1e9 + lo;
    if (r < 0) {
      r += 1e9;
      q--;
    } else if (r >= 1e9) {
      r -= 1e9;
      q++;
    }
    lastSec = q;
    // An int32 (0 ≤ r < 10^9): kept a small integer, not a heap number made per split.
    lastNs = r | 0;
  } else {
    lastSec = Number(tsNs / NS_PER_S);
    lastNs = Number(tsNs % NS_PER_S);
  }
  lastTsNs = tsNs;
}

/** Whole seconds of a capture time: `Number(tsNs / 10^9n)`. */
export function captureSeconds(tsNs: bigint): number {
  split(tsNs);
  return lastSec;
}

/** Nanoseconds within the second: `Number(tsNs % 10^9n)`. */
export function captureSubsecondNs(tsNs: bigint): number {
  split(tsNs);
  return lastNs;
}

/**
 * captureSubsecondNs of the capture time just passed to {@link captureSeconds}, for the
 * caller that asks both of one packet's time in a row: the split is the one they made or found, read without
 * the cache's test (a bigint comparison, ~5 ns; ~4 such pairs per PTP message; issue 14). Only right after
 * such a call with the same time.
 */
export function splitSubsecondNs(): number {
  return lastNs;
}

/**
 * Whole microseconds: `Number(tsNs / 1000n)`. From the split it is sec·10^6 + trunc(ns / 1000), exact while
 * it is below 2^53 (capture times before the year 2255); beyond, the bigint division.
 */
export function captureMicroseconds(tsNs: bigint): number {
  split(tsNs);
  if (lastSec > 9e9 || lastSec < -9e9) return Number(tsNs / 1000n);
  return lastSec * 1e6 + Math.trunc(lastNs / 1000);
}

/**
 * `Number(tsNs − t0)` for a `t0` kept with its split (`sec0` = captureSeconds(t0), `ns0` =
 * captureSubsecondNs(t0)): from the numbers, exact while the seconds differ by less than 9·10^6 (104 days, the
 * result stays below 2^53); beyond, the bigint subtraction.
 */
export function nsSince(t0: bigint, sec0: number, ns0: number, tsNs: bigint): number {
  split(tsNs);
  return nsBetween(t0, sec0, ns0, tsNs, lastSec, lastNs);
}

/**
 * {@link nsSince} with `tsNs`'s split given (`sec` = captureSeconds(tsNs), `ns` = captureSubsecondNs(tsNs)):
 * for a caller that measures one time against many (the BMCA's qualification of every port at an Announce),
 * without the cache's bigint comparison per call.
 */
export function nsBetween(t0: bigint, sec0: number, ns0: number, tsNs: bigint, sec: number, ns: number): number {
  const ds = sec - sec0;
  if (ds < 9e6 && ds > -9e6) return ds * 1e9 + (ns - ns0);
  return Number(tsNs - t0);
}
