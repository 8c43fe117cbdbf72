/**
 * CRC-16/X.25 (a.k.a. CRC-16/IBM-SDLC; HDLC FCS, RFC 1662 §C.2): reflected polynomial 0x1021
 * (0x8408 reflected), init 0xFFFF, final xor 0xFFFF. Qualcomm DIAG frames store it little-endian
 * after the unescaped payload.
 */
const TABLE = (() => {
  const t = new Uint16Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x8408 : c >>> 1;
    t[n] = c;
  }
  return t;
})();

export function crc16X25(bytes: Uint8Array, start = 0, end = bytes.length): number {
  let crc = 0xffff;
  for (let i = start; i < end; i++) crc = (crc >>> 8) ^ TABLE[(crc ^ bytes[i]!) & 0xff]!;
  return crc ^ 0xffff;
}

/** Feeds one byte into a running (not yet final-xored) CRC; start with 0xFFFF. */
export function crc16X25Update(crc: number, byte: number): number {
  return (crc >>> 8) ^ TABLE[(crc ^ byte) & 0xff]!;
}

export const HDLC_FLAG = 0x7e;
export const HDLC_ESCAPE = 0x7d;

/**
 * Checks the HDLC frame `bytes[start, end)` (escaped, without its closing 0x7E): unescapes 0x7D
 * sequences (next byte xor 0x20) on the fly and verifies the trailing CRC-16/X.25. No allocation.
 */
export function hdlcFrameVerifies(bytes: Uint8Array, start: number, end: number): boolean {
  // Keep the last two unescaped bytes out of the CRC: they are the stored CRC.
  let crc = 0xffff;
  let b1 = -1;
  let b2 = -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    let b = bytes[i]!;
    if (b === HDLC_ESCAPE) {
      if (++i >= end) return false;
      b = bytes[i]! ^ 0x20;
    }
    if (b2 >= 0) crc = crc16X25Update(crc, b2);
    b2 = b1;
    b1 = b;
    n++;
  }
  if (n < 3) return false;
  return ((crc ^ 0xffff) & 0xffff) === (b2 | (b1 << 8));
}
