/**
 * CRC-16/X.25 (reflected 0x8408, init 0xFFFF, xorout 0xFFFF; see sniff/crc16-x25.ts) eight bytes at a
 * time ("slicing-by-8"): table k gives the CRC effect of a byte followed by k zero bytes, so eight table
 * look-ups replace eight dependent steps. Same result as the byte-wise table, about 3× faster.
 */
const T = (() => {
  const t: Uint16Array[] = [new Uint16Array(256)];
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    t[0]![n] = c;
  }
  for (let k = 1; k < 16; k++) {
    const prev = t[k - 1]!;
    const cur = new Uint16Array(256);
    for (let n = 0; n < 256; n++) cur[n] = (prev[n]! >>> 8) ^ t[0]![prev[n]! & 0xff]!;
    t.push(cur);
  }
  return t;
})();
/**
 * Sixteen tables (table k: a byte followed by k zero bytes): the first eight are used here, all sixteen by
 * the WebAssembly kernel (hdlc-wasm.ts, sixteen bytes a step).
 */
export const CRC16_X25_SLICE_TABLES: readonly Uint16Array[] = T;
const [T0, T1, T2, T3, T4, T5, T6, T7] = T as [
  Uint16Array,
  Uint16Array,
  Uint16Array,
  Uint16Array,
  Uint16Array,
  Uint16Array,
  Uint16Array,
  Uint16Array,
];

export function crc16X25Sliced(b: Uint8Array, start: number, end: number): number {
  let crc = 0xffff;
  let i = start;
  for (const stop = end - 7; i < stop; i += 8) {
    crc =
      T7[(crc ^ b[i]!) & 0xff]! ^
      T6[((crc >>> 8) ^ b[i + 1]!) & 0xff]! ^
      T5[b[i + 2]!]! ^
      T4[b[i + 3]!]! ^
      T3[b[i + 4]!]! ^
      T2[b[i + 5]!]! ^
      T1[b[i + 6]!]! ^
      T0[b[i + 7]!]!;
  }
  for (; i < end; i++) crc = (crc >>> 8) ^ T0[(crc ^ b[i]!) & 0xff]!;
  return crc ^ 0xffff;
}
