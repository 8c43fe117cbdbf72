/** The byte writer moved to bytes/ (the synth generators use it too); tests keep importing it from here. */
export { ByteWriter } from '../bytes/byte-writer.js';

export function utf8(text: string): Uint8Array {
  return new TextEncoder().encode(text);
}

/** Concatenates byte arrays (fixtures only). */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
