/**
 * UTF-8 to string for short option values (comments, interface names). The pure core has no
 * `TextDecoder` in its type environment (`types: []`), and these strings are rare and short.
 * Malformed sequences become U+FFFD; a trailing NUL padding is dropped.
 */
export function decodeUtf8(bytes: Uint8Array, start = 0, end = bytes.length): string {
  let out = '';
  let i = start;
  while (end > start && bytes[end - 1] === 0) end--;
  while (i < end) {
    const b0 = bytes[i]!;
    let cp = 0xfffd;
    let n = 1;
    if (b0 < 0x80) {
      cp = b0;
    } else if (b0 >= 0xc2 && b0 < 0xe0 && i + 1 < end && isCont(bytes[i + 1]!)) {
      cp = ((b0 & 0x1f) << 6) | (bytes[i + 1]! & 0x3f);
      n = 2;
    } else if (b0 >= 0xe0 && b0 < 0xf0 && i + 2 < end && isCont(bytes[i + 1]!) && isCont(bytes[i + 2]!)) {
      cp = ((b0 & 0x0f) << 12) | ((bytes[i + 1]! & 0x3f) << 6) | (bytes[i + 2]! & 0x3f);
      n = 3;
      if (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
    } else if (
      b0 >= 0xf0 &&
      b0 < 0xf5 &&
      i + 3 < end &&
      isCont(bytes[i + 1]!) &&
      isCont(bytes[i + 2]!) &&
      isCont(bytes[i + 3]!)
    ) {
      cp =
        ((b0 & 0x07) << 18) | ((bytes[i + 1]! & 0x3f) << 12) | ((bytes[i + 2]! & 0x3f) << 6) | (bytes[i + 3]! & 0x3f);
      n = 4;
      if (cp < 0x10000 || cp > 0x10ffff) cp = 0xfffd;
    }
    out += String.fromCodePoint(cp);
    i += n;
  }
  return out;
}

function isCont(b: number): boolean {
  return (b & 0xc0) === 0x80;
}
