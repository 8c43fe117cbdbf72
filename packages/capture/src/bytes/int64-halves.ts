/**
 * A bigint from the two 32-bit halves of a signed 64-bit integer, `hi · 2^32 + lo` (0 ≤ lo < 2^32, hi an
 * int32 or uint32: its bit pattern is used), made as ONE bigint: the halves are written to a BigInt64Array and
 * the element read back. `(BigInt(hi) << 32n) | BigInt(lo)` or a product of bigints makes two or three, and
 * the readers make one per record (issue 14: ~80 of the ~270 ns of reading a record of the 300 MB PTP repeat).
 */
export function bigintFromHalves(hi: number, lo: number): bigint {
  HALVES[LO] = lo;
  HALVES[HI] = hi;
  return INT64[0]!;
}

/**
 * `high · 2^32 + low` as one bigint when `low` may exceed 32 bits (0 ≤ low < 2^53, an exact double): its
 * carry into the high half is an exact division by 2^32. The sum must fit a signed 64-bit integer.
 */
export function bigintFromWide(high: number, low: number): bigint {
  const carry = Math.floor(low / 4294967296);
  return bigintFromHalves(high + carry, low - carry * 4294967296);
}

const INT64 = new BigInt64Array(1);
const HALVES = new Uint32Array(INT64.buffer);
const LO = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 0 : 1;
const HI = 1 - LO;
