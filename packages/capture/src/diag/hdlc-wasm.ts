import { CRC16_X25_SLICE_TABLES } from './crc16-fast.js';
import {
  BLOCK,
  br,
  brIf,
  END,
  get,
  I32,
  i32c,
  IF,
  LOOP,
  name,
  RETURN,
  section,
  set,
  tee,
  uleb,
  vec,
} from '../wasm/wasm-encoder.js';
import type { WasmApi, WasmMemory } from '../wasm/wasm-api.js';

/*
 * The HDLC deframer's byte work in WebAssembly (issue 13): CRC-16/X.25 eight bytes at a time (the
 * slicing-by-8 of crc16-fast.ts, its tables as i32 in linear memory: two i32 loads and eight table loads per
 * 8 bytes, none bounds-checked) and unescaping (0x7D x → x ^ 0x20, reference/diag.md §HDLC framing). In JS
 * the same CRC did nine bounds-checked typed-array loads per 8 bytes; measured on the 100 MB bench:diag input
 * the JS CRC took ~1 ns per frame byte. The reader copies each chunk into the module's memory once
 * ({@link HdlcWasm.load}) and checks its frames there; its frame buffer is a view of the same memory.
 *
 * The module is assembled here from its opcodes (no build step, no binary blob), in the style of
 * oran/iq-simd.ts. Where WebAssembly is missing, `hdlcWasm()` returns undefined and the reader keeps the JS
 * path (crc16X25Sliced); a test compares both with the byte-wise reference on every length and alignment.
 */

/** Memory layout (bytes): the eight CRC tables (i32), then the frame buffer, then the copied chunk. */
const TABLES_AT = 0;
const TABLE_BYTES = 256 * 4;
export const HDLC_WASM_BUF_AT = TABLES_AT + 16 * TABLE_BYTES;
const PAGE = 65536;

const load = (offset: number) => [0x28, 2, ...uleb(offset)];
const load8 = (offset: number) => [0x2d, 0, ...uleb(offset)];
const STORE8 = [0x3a, 0, 0];
const ADD = [0x6a];
const SUB = [0x6b];
const AND = [0x71];
const OR = [0x72];
const XOR = [0x73];
const SHL = [0x74];
const SHR_U = [0x76];
const GE_S = [0x4e];
const EQ = [0x46];

/** Table k's entry for the byte at bits [8·j, 8·j + 8) of local `w`: i32.load(TABLES_AT + 1024·k + 4·byte). */
const entry = (w: number, j: number, k: number): number[] => [
  ...get(w),
  ...(j === 0 ? [...i32c(2), ...SHL] : [...i32c(8 * j - 2), ...SHR_U]),
  ...i32c(0x3fc),
  ...AND,
  ...load(TABLES_AT + k * TABLE_BYTES),
];

/**
 * crc(p, end) → CRC-16/X.25 of memory[p, end), sixteen bytes a step. Locals: p, end, crc, w0–w3, stop.
 * Only the first two bytes' look-ups depend on the running CRC: the other fourteen are XORed first, so a
 * step's dependency chain is one look-up and two XORs long (not fifteen XORs).
 */
function crcBody(): number[] {
  const [P, E, C, W0, W1, W2, W3, STOP] = [0, 1, 2, 3, 4, 5, 6, 7];
  const words = [W0, W1, W2, W3];
  // table 15 − j for byte j of the 16 (byte j has 15 − j bytes after it)
  const lookups: number[] = [];
  for (let j = 2; j < 16; j++) {
    lookups.push(...entry(words[j >> 2]!, j & 3, 15 - j));
    if (j > 2) lookups.push(...XOR);
  }
  // prettier-ignore
  return [
    ...i32c(0xffff), ...set(C),
    ...get(E), ...i32c(15), ...SUB, ...set(STOP),
    ...BLOCK, ...LOOP,
    ...get(P), ...get(STOP), ...GE_S, ...brIf(1),
    ...get(P), ...load(0), ...set(W0),
    ...get(P), ...load(4), ...set(W1),
    ...get(P), ...load(8), ...set(W2),
    ...get(P), ...load(12), ...set(W3),
    ...lookups,
    // the CRC enters with the first two bytes (as in crc16X25Sliced): w0 ^ crc, bytes 0 and 1
    ...get(W0), ...get(C), ...XOR, ...set(W0),
    ...entry(W0, 0, 15), ...XOR, ...entry(W0, 1, 14), ...XOR,
    ...set(C),
    ...get(P), ...i32c(16), ...ADD, ...set(P),
    ...br(0), ...END, ...END,
    // the last < 16 bytes one at a time: crc = (crc >>> 8) ^ T0[(crc ^ b) & 0xff]
    ...BLOCK, ...LOOP,
    ...get(P), ...get(E), ...GE_S, ...brIf(1),
    ...get(C), ...i32c(8), ...SHR_U,
    ...get(C), ...get(P), ...load8(0), ...XOR, ...i32c(0xff), ...AND, ...i32c(2), ...SHL, ...load(TABLES_AT),
    ...XOR, ...set(C),
    ...get(P), ...i32c(1), ...ADD, ...set(P),
    ...br(0), ...END, ...END,
    ...get(C), ...i32c(0xffff), ...XOR,
  ];
}

/**
 * unesc(src, end, dst) → (unescaped length << 1) | 1 if the run ends inside an escape (0x7D its last byte).
 * Locals: s, e, d, d0, b.
 */
function unescBody(): number[] {
  const [S, E, D, D0, B] = [0, 1, 2, 3, 4];
  // prettier-ignore
  return [
    ...get(D), ...set(D0),
    ...BLOCK, ...LOOP,
    ...get(S), ...get(E), ...GE_S, ...brIf(1),
    ...get(S), ...load8(0), ...tee(B), ...i32c(0x7d), ...EQ,
    ...IF,
    ...get(S), ...i32c(1), ...ADD, ...get(E), ...GE_S,
    ...IF, ...get(D), ...get(D0), ...SUB, ...i32c(1), ...SHL, ...i32c(1), ...OR, ...RETURN, ...END,
    ...get(S), ...load8(1), ...i32c(0x20), ...XOR, ...set(B),
    ...get(S), ...i32c(1), ...ADD, ...set(S),
    ...END,
    ...get(D), ...get(B), ...STORE8,
    ...get(S), ...i32c(1), ...ADD, ...set(S),
    ...get(D), ...i32c(1), ...ADD, ...set(D),
    ...br(0), ...END, ...END,
    ...get(D), ...get(D0), ...SUB, ...i32c(1), ...SHL,
  ];
}

function moduleBytes(): Uint8Array {
  const crcType = [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])];
  const unescType = [0x60, ...vec([[I32], [I32], [I32]]), ...vec([[I32]])];
  const body = (locals: number, code: number[]): number[] => {
    const b = [...vec([[...uleb(locals), I32]]), ...code, ...END];
    return [...uleb(b.length), ...b];
  };
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([crcType, unescType])),
    ...section(3, vec([[0], [1]])),
    ...section(5, vec([[0x00, 2]])), // memory: min 2 pages (tables + frame buffer), grown for chunks
    ...section(7, vec([[...name('crc'), 0x00, 0], [...name('unesc'), 0x00, 1], [...name('mem'), 0x02, 0]])),
    ...section(10, vec([body(6, crcBody()), body(2, unescBody())])),
  ]);
}

/** One instance (its own memory) per reader: the frame buffer and the copied chunk are that reader's. */
export class HdlcWasm {
  /** All of the module's memory (replaced when it grows: views made before then are stale). */
  bytes: Uint8Array;
  /** Where the chunk copied by {@link load} starts. */
  readonly dataAt: number;

  constructor(
    private readonly memory: WasmMemory,
    /** CRC-16/X.25 of memory[p, end). */
    readonly crc: (p: number, end: number) => number,
    /** Unescapes memory[src, end) to dst: (length << 1) | (1 when the last byte is an unfinished escape). */
    readonly unesc: (src: number, end: number, dst: number) => number,
    bufBytes: number,
  ) {
    this.dataAt = (HDLC_WASM_BUF_AT + bufBytes + 15) & ~15;
    this.bytes = new Uint8Array(memory.buffer);
    this.fit(this.dataAt);
    const ints = new Int32Array(this.memory.buffer);
    for (let k = 0; k < 16; k++) ints.set(CRC16_X25_SLICE_TABLES[k]!, (TABLES_AT + k * TABLE_BYTES) >> 2);
  }

  /**
   * Copies `chunk` to {@link dataAt}; true when the memory grew (the caller remakes its views; the frame
   * buffer's bytes are kept by growth). The 8 bytes after the copy stay addressable: crc reads up to 7 past
   * a frame only when its 8-byte step fits before `end`, so never beyond it.
   */
  load(chunk: Uint8Array): boolean {
    const grew = this.fit(this.dataAt + chunk.length + 8);
    this.bytes.set(chunk, this.dataAt);
    return grew;
  }

  private fit(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return false;
    this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.bytes = new Uint8Array(this.memory.buffer);
    return true;
  }
}

let module: object | undefined | null = null;

/** A kernel for one reader with a frame buffer of `bufBytes` at {@link HDLC_WASM_BUF_AT}, or undefined without WebAssembly. */
export function hdlcWasm(bufBytes: number): HdlcWasm | undefined {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (wasm === undefined) return undefined;
    if (module === null) {
      const bytes = moduleBytes();
      module = wasm.validate(bytes) ? new wasm.Module(bytes) : undefined;
    }
    if (module === undefined) return undefined;
    const { crc, unesc, mem } = new wasm.Instance(module, {}).exports as {
      crc: HdlcWasm['crc'];
      unesc: HdlcWasm['unesc'];
      mem: WasmMemory;
    };
    return new HdlcWasm(mem, crc, unesc, bufBytes);
  } catch {
    return undefined;
  }
}
