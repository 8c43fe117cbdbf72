/*
 * A minimal WebAssembly binary encoder shared by the kernels this package assembles from opcodes in
 * TypeScript (oran/iq-simd.ts, diag/hdlc-wasm.ts): no build step and no binary blob in the repo, each module
 * a few hundred bytes. Encodings per the WebAssembly Core Specification 1.0 §5 (Binary Format): integers as
 * LEB128 (§5.2.2), sections as id + size + contents (§5.5.2), vectors as count + items (§5.1.3).
 * Hand-written: the encoder libraries on npm (e.g. binaryen, wabt) are megabytes of WebAssembly themselves.
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128. */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const section = (id: number, body: number[]): number[] => [id, ...uleb(body.length), ...body];
export const vec = (items: number[][]): number[] => [...uleb(items.length), ...items.flat()];
export const name = (s: string): number[] => [...uleb(s.length), ...[...s].map((c) => c.charCodeAt(0))];

// value types (§5.3.1) and the empty block type
export const I32 = 0x7f;
export const I64 = 0x7e;
export const F64 = 0x7c;
export const V128 = 0x7b;
export const VOID = 0x40;

// control and variable instructions (§5.4.1, §5.4.3)
export const BLOCK = [0x02, VOID];
export const LOOP = [0x03, VOID];
export const IF = [0x04, VOID];
export const ELSE = [0x05];
export const END = [0x0b];
export const RETURN = [0x0f];
export const br = (depth: number): number[] => [0x0c, ...uleb(depth)];
export const brIf = (depth: number): number[] => [0x0d, ...uleb(depth)];
export const get = (local: number): number[] => [0x20, ...uleb(local)];
export const set = (local: number): number[] => [0x21, ...uleb(local)];
export const tee = (local: number): number[] => [0x22, ...uleb(local)];
export const i32c = (v: number): number[] => [0x41, ...sleb(v)];
