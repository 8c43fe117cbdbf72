/**
 * Reads `n` bits MSB-first from bit `at` of `msg` (undefined past the end): the first bits of an UNALIGNED
 * PER encoded RRC message carry its CHOICE indices (X.691 §23), which is all the OTA decoders read.
 */
export function bitsAt(msg: Uint8Array, at: number, n: number): number | undefined {
  if (at + n > msg.length * 8) return undefined;
  let v = 0;
  for (let i = at; i < at + n; i++) v = (v << 1) | ((msg[i >> 3]! >> (7 - (i & 7))) & 1);
  return v >>> 0;
}
