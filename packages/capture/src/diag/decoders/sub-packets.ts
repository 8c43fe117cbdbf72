import { DiagDecodeError, u16, u8 } from './diag-decoder.js';

/*
 * The sub-packet container of Qualcomm's LTE MAC/ML1 logs (SCAT, MobileInsight): packet version u8 (1) |
 * sub-packet count u8 | reserved u16, then sub-packets: id u8 | version u8 | size u16 (header included) | body.
 */

/** The [start, end) of sub-packet `id`'s body, sizes checked; a missing sub-packet is an error. */
export function subPacketBounds(b: Uint8Array, id: number): [number, number] {
  const count = u8(b, 1);
  let pos = 4;
  for (let k = 0; k < count; k++) {
    const sz = u16(b, pos + 2);
    if (sz < 4 || pos + sz > b.length)
      throw new DiagDecodeError(pos + 2, `sub-packet size ${sz} does not fit the body (${b.length - pos} bytes left)`);
    if (b[pos] === id) return [pos + 4, pos + sz];
    pos += sz;
  }
  throw new DiagDecodeError(1, `no sub-packet ${id} among ${count}`);
}

/** The version of sub-packet `id` in a packet-version-1 body (undefined: other packet version or absent). */
export function subPacketVersion(b: Uint8Array, id: number): number | undefined {
  if (b.length < 8 || b[0] !== 1) return undefined;
  let pos = 4;
  for (let k = 0; k < b[1]! && pos + 4 <= b.length; k++) {
    if (b[pos] === id) return b[pos + 1];
    pos += b[pos + 2]! | (b[pos + 3]! << 8) || b.length;
  }
  return undefined;
}
