/**
 * IEEE 1588-2019 §7.6.2.5 Table 4: clockClass values reserved (not assigned, not for profiles). One
 * definition for the decoder's users: the `ptp_malformed` detector judges Announces by it and the synthetic
 * capture writer checks that the class it injects is one of them.
 */
const RESERVED_CLOCK_CLASS: readonly (readonly [number, number])[] = [
  [0, 5],
  [8, 12],
  [15, 51],
  [53, 57],
  [59, 67],
  [123, 132],
  [171, 186],
  [188, 192],
  [194, 215],
  [233, 247],
  [249, 254],
];

export function isReservedClockClass(c: number): boolean {
  for (const [lo, hi] of RESERVED_CLOCK_CLASS) if (c >= lo && c <= hi) return true;
  return false;
}
