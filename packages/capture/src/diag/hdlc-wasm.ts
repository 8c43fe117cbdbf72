import { CRC16_X25_SLICE_TABLES } from './crc16-fast.js';
import {
  BLOCK,
  br,
  brIf,
  ELSE,
  END,
  get,
  I32,
  i32c,
  IF,
  LOOP,
  name,
  section,
  set,
  tee,
  uleb,
  V128,
  vec,
} from '../wasm/wasm-encoder.js';
import type { WasmApi, WasmMemory } from '../wasm/wasm-api.js';

/*
 * The HDLC deframer's byte work in WebAssembly (issue 13): finding the flags and escapes of a chunk sixteen
 * bytes a step (SIMD: i8x16.eq against 0x7E/0x7D, i8x16.bitmask, ctz), unescaping (0x7D x → x ^ 0x20,
 * reference/diag.md §HDLC framing) in place, and CRC-16/X.25 sixteen bytes a step (the slicing tables of
 * crc16-fast.ts as i32 in linear memory, none bounds-checked; in JS the same CRC did bounds-checked
 * typed-array loads, ~1 ns per frame byte on the 100 MB bench:diag input). The reader copies each chunk into
 * the module's memory once ({@link HdlcWasm.load}); one {@link HdlcWasm.scan} call then reports the next few
 * thousand frames as a table (where each payload is, its verdict), so the reader makes no call per frame —
 * before, each frame took two native indexOf calls (flag, escape) and a CRC call into the module. Its frame
 * buffer (frames split across chunks) is a view of the same memory.
 *
 * The module is assembled here from its opcodes (no build step, no binary blob), in the style of
 * oran/iq-simd.ts. Where WebAssembly is missing, `hdlcWasm()` returns undefined and the reader keeps the JS
 * path (crc16X25Sliced); a test compares both with the byte-wise reference on every length and alignment.
 */

/**
 * Memory layout (bytes): the sixteen CRC tables (i32), the frame buffer, the frame table of {@link HdlcWasm.scan}
 * ({@link HDLC_SCAN_ENTRIES} entries of 16 bytes), then the copied chunk.
 */
const TABLES_AT = 0;
const TABLE_BYTES = 256 * 4;
export const HDLC_WASM_BUF_AT = TABLES_AT + 16 * TABLE_BYTES;
const PAGE = 65536;
/** Frames one {@link HdlcWasm.scan} call reports at most (~120 bytes each on the real logs: ~0.5 MB of input). */
export const HDLC_SCAN_ENTRIES = 4096;

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
const GT_S = [0x4a];
const LE_S = [0x4c];
const LT_S = [0x48];
const EQ = [0x46];
const NE = [0x47];

/** Table k's entry for the byte at bits [8·j, 8·j + 8) of local `w`: i32.load(TABLES_AT + 1024·k + 4·byte). */
const entry = (w: number, j: number, k: number): number[] => [
  ...get(w),
  ...(j === 0 ? [...i32c(2), ...SHL] : [...i32c(8 * j - 2), ...SHR_U]),
  ...i32c(0x3fc),
  ...AND,
  ...load(TABLES_AT + k * TABLE_BYTES),
];

/**
 * One step of `n` (16, 8 or 4) bytes at p: crc = XOR of table (n − 1 − j)[byte j], the CRC entering with the
 * first two bytes. Only those two look-ups depend on the running CRC: the other n − 2 are XORed first, so a
 * step's dependency chain is one look-up and two XORs long. Locals: p, crc, w0–w3.
 */
function crcStep(n: 16 | 8 | 4, P: number, C: number, words: readonly number[]): number[] {
  const code: number[] = [];
  for (let k = 0; k < n / 4; k++) code.push(...get(P), ...load(4 * k), ...set(words[k]!));
  for (let j = 2; j < n; j++) {
    code.push(...entry(words[j >> 2]!, j & 3, n - 1 - j));
    if (j > 2) code.push(...XOR);
  }
  const W0 = words[0]!;
  // prettier-ignore
  code.push(
    ...get(W0), ...get(C), ...XOR, ...set(W0),
    ...entry(W0, 0, n - 1), ...XOR, ...entry(W0, 1, n - 2), ...XOR,
    ...set(C),
    ...get(P), ...i32c(n), ...ADD, ...set(P),
  );
  return code;
}

/**
 * crc(p, end) → CRC-16/X.25 of memory[p, end): sixteen bytes a step, then at most one step of eight and one
 * of four (a frame's last < 16 bytes were taken one at a time, each look-up waiting for the previous: about
 * a quarter of the CRC time of ~120-byte frames), then ≤ 3 bytes one at a time. Locals: p, end, crc,
 * w0–w3, stop.
 */
function crcBody(): number[] {
  const [P, E, C, W0, W1, W2, W3, STOP] = [0, 1, 2, 3, 4, 5, 6, 7];
  const words = [W0, W1, W2, W3];
  // prettier-ignore
  return [
    ...i32c(0xffff), ...set(C),
    ...get(E), ...i32c(15), ...SUB, ...set(STOP),
    ...BLOCK, ...LOOP,
    ...get(P), ...get(STOP), ...GE_S, ...brIf(1),
    ...crcStep(16, P, C, words),
    ...br(0), ...END, ...END,
    ...get(P), ...i32c(8), ...ADD, ...get(E), ...LE_S,
    ...IF, ...crcStep(8, P, C, words), ...END,
    ...get(P), ...i32c(4), ...ADD, ...get(E), ...LE_S,
    ...IF, ...crcStep(4, P, C, words), ...END,
    // the last ≤ 3 bytes one at a time: crc = (crc >>> 8) ^ T0[(crc ^ b) & 0xff]
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

const simd = (op: number, ...imm: number[]): number[] => [0xfd, ...uleb(op), ...imm];
const V128_LOAD = simd(0x00, 0, 0);
const V128_STORE = simd(0x0b, 0, 0);
const I8X16_SPLAT = simd(0x0f);
const I8X16_EQ = simd(0x23);
const V128_OR = simd(0x50);
const I8X16_BITMASK = simd(0x64);
const CTZ = [0x68];
const EQZ = [0x45];
const LOAD16_U = [0x2f, 1, 0];
const STORE = (offset: number): number[] => [0x36, 2, ...uleb(offset)];
const CALL_CRC = [0x10, 0];

/** scan's locals: its five parameters (p, e, tab, tabMax, max), ten i32 and three v128 locals. */
const P = 0;
const E = 1;
const TAB = 2;
const TAB_MAX = 3;
const MAX = 4;
const N = 5;
const Q = 6;
const M = 7;
const F = 8;
const S = 9;
const D = 10;
const LEN = 11;
const TRAIL = 12;
const B = 13;
const VERDICT = 14;
const V = 15;
const K7E = 16;
const K7D = 17;

/** Frame verdicts of a {@link HdlcWasm.scan} entry. */
export const enum HdlcVerdict {
  Ok,
  Crc,
  Short,
  Oversize,
  Framing,
}

/**
 * Advances local `q` to the first byte at or after it that is 0x7E (or 0x7D too, with `escapes`), or to ≥ e
 * when there is none: sixteen bytes a step (i8x16.eq against the splatted byte, i8x16.bitmask, i32.ctz), the
 * last < 16 bytes one at a time (no load past `e`: the bytes after it are another frame's or stale).
 */
function findBody(q: number, escapes: boolean): number[] {
  const mask = escapes
    ? [...get(V), ...get(K7E), ...I8X16_EQ, ...get(V), ...get(K7D), ...I8X16_EQ, ...V128_OR]
    : [...get(V), ...get(K7E), ...I8X16_EQ];
  const hit = escapes
    ? [...tee(B), ...i32c(0x7e), ...EQ, ...get(B), ...i32c(0x7d), ...EQ, ...OR]
    : [...i32c(0x7e), ...EQ];
  // prettier-ignore
  return [
    ...BLOCK, // found
    ...BLOCK, // tail
    ...LOOP,
    ...get(q), ...i32c(16), ...ADD, ...get(E), ...GT_S, ...brIf(1),
    ...get(q), ...V128_LOAD, ...set(V),
    ...mask, ...I8X16_BITMASK, ...tee(M),
    ...IF, ...get(q), ...get(M), ...CTZ, ...ADD, ...set(q), ...br(3), ...END,
    ...get(q), ...i32c(16), ...ADD, ...set(q),
    ...br(0), ...END,
    ...END,
    ...LOOP,
    ...get(q), ...get(E), ...GE_S, ...brIf(1),
    ...get(q), ...load8(0), ...hit, ...brIf(1),
    ...get(q), ...i32c(1), ...ADD, ...set(q),
    ...br(0), ...END,
    ...END,
  ];
}

/**
 * Unescapes memory[s, f) in place from d = s (the first escape), 0x7D x → x ^ 0x20; d ends after the last
 * byte written, `trail` is 1 when the last byte is an unfinished escape. Sixteen bytes without an escape are
 * moved with one load and one store (d ≤ s: the store overwrites only bytes already loaded), the bytes before
 * an escape and the escape one at a time.
 */
function unescapeBody(): number[] {
  // prettier-ignore
  return [
    ...BLOCK, ...LOOP,
    ...get(S), ...get(F), ...GE_S, ...brIf(1),
    ...get(S), ...i32c(16), ...ADD, ...get(F), ...LE_S,
    ...IF,
    ...get(S), ...V128_LOAD, ...set(V),
    ...get(V), ...get(K7D), ...I8X16_EQ, ...I8X16_BITMASK, ...tee(M), ...EQZ,
    ...IF,
    ...get(D), ...get(V), ...V128_STORE,
    ...get(S), ...i32c(16), ...ADD, ...set(S),
    ...get(D), ...i32c(16), ...ADD, ...set(D),
    ...br(2), ...END,
    ...get(M), ...CTZ, ...set(M),
    ...BLOCK, ...LOOP,
    ...get(M), ...EQZ, ...brIf(1),
    ...get(D), ...get(S), ...load8(0), ...STORE8,
    ...get(S), ...i32c(1), ...ADD, ...set(S),
    ...get(D), ...i32c(1), ...ADD, ...set(D),
    ...get(M), ...i32c(1), ...SUB, ...set(M),
    ...br(0), ...END, ...END,
    ...END,
    ...get(S), ...load8(0), ...tee(B), ...i32c(0x7d), ...EQ,
    ...IF,
    ...get(S), ...i32c(1), ...ADD, ...get(F), ...GE_S,
    ...IF, ...i32c(1), ...set(TRAIL), ...br(3), ...END,
    ...get(D), ...get(S), ...load8(1), ...i32c(0x20), ...XOR, ...STORE8,
    ...get(S), ...i32c(2), ...ADD, ...set(S),
    ...ELSE,
    ...get(D), ...get(B), ...STORE8,
    ...get(S), ...i32c(1), ...ADD, ...set(S),
    ...END,
    ...get(D), ...i32c(1), ...ADD, ...set(D),
    ...br(0), ...END, ...END,
  ];
}

/**
 * scan(p, e, tab, tabMax, max) → n: the frames that end with a flag in memory[p, e), in order, at most
 * tabMax, each as an entry of four i32 at tab + 16·k: payload start (the frame's first byte), payload end
 * (before the CRC), verdict ({@link HdlcVerdict}) and the closing flag's address. A frame with escapes is
 * unescaped in place (its payload then starts where it did and is shorter); the bytes after the last
 * complete frame are left as they are (a frame the next chunk ends: the reader's JS path). Bare flags make
 * no entry. Verdicts as the reader's JS path gives them: unescaped length > max: oversize; else an escape
 * as the last byte: framing; else < 3 bytes: short; else the CRC-16/X.25 of all but the last two bytes
 * against those two (LE).
 */
function scanBody(): number[] {
  // prettier-ignore
  return [
    ...i32c(0x7e), ...I8X16_SPLAT, ...set(K7E),
    ...i32c(0x7d), ...I8X16_SPLAT, ...set(K7D),
    ...BLOCK, ...LOOP, // done, frame
    ...get(N), ...get(TAB_MAX), ...GE_S, ...brIf(1),
    ...get(P), ...set(Q),
    ...findBody(Q, true),
    ...get(Q), ...get(E), ...GE_S, ...brIf(1), // no flag: the rest is a frame the next chunk ends
    ...i32c(0), ...set(TRAIL),
    ...get(Q), ...set(F),
    ...get(Q), ...set(D),
    ...get(Q), ...load8(0), ...i32c(0x7d), ...EQ,
    ...IF,
    ...findBody(F, false),
    ...get(F), ...get(E), ...GE_S, ...brIf(2), // unescaped only once its flag is known to be in the chunk
    ...get(Q), ...set(S),
    ...unescapeBody(),
    ...END,
    // a bare flag (between frames): no entry
    ...get(F), ...get(P), ...EQ,
    ...IF, ...get(F), ...i32c(1), ...ADD, ...set(P), ...br(1), ...END,
    ...get(D), ...get(P), ...SUB, ...set(LEN),
    ...get(LEN), ...get(MAX), ...GT_S,
    ...IF, ...i32c(HdlcVerdict.Oversize), ...set(VERDICT),
    ...ELSE,
    ...get(TRAIL),
    ...IF, ...i32c(HdlcVerdict.Framing), ...set(VERDICT),
    ...ELSE,
    ...get(LEN), ...i32c(3), ...LT_S,
    ...IF, ...i32c(HdlcVerdict.Short), ...set(VERDICT),
    ...ELSE,
    ...get(P), ...get(D), ...i32c(2), ...SUB, ...CALL_CRC,
    ...get(D), ...i32c(2), ...SUB, ...LOAD16_U, ...NE,
    ...set(VERDICT), // HdlcVerdict.Crc (1) when they differ, Ok (0) when equal
    ...END, ...END, ...END,
    ...get(TAB), ...get(N), ...i32c(4), ...SHL, ...ADD, ...set(Q),
    ...get(Q), ...get(P), ...STORE(0),
    ...get(Q), ...get(D), ...i32c(2), ...SUB, ...STORE(4),
    ...get(Q), ...get(VERDICT), ...STORE(8),
    ...get(Q), ...get(F), ...STORE(12),
    ...get(N), ...i32c(1), ...ADD, ...set(N),
    ...get(F), ...i32c(1), ...ADD, ...set(P),
    ...br(0), ...END, ...END,
    ...get(N),
  ];
}

function moduleBytes(): Uint8Array {
  const crcType = [0x60, ...vec([[I32], [I32]]), ...vec([[I32]])];
  const scanType = [0x60, ...vec([[I32], [I32], [I32], [I32], [I32]]), ...vec([[I32]])];
  const body = (locals: number[][], code: number[]): number[] => {
    const b = [...vec(locals), ...code, ...END];
    return [...uleb(b.length), ...b];
  };
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([crcType, scanType])),
    ...section(3, vec([[0], [1]])),
    ...section(5, vec([[0x00, 2]])), // memory: min 2 pages (tables + frame buffer), grown for chunks
    ...section(7, vec([[...name('crc'), 0x00, 0], [...name('scan'), 0x00, 1], [...name('mem'), 0x02, 0]])),
    ...section(10, vec([body([[6, I32]], crcBody()), body([[10, I32], [3, V128]], scanBody())])),
  ]);
}

/** One instance (its own memory) per reader: the frame buffer, frame table and copied chunk are that reader's. */
export class HdlcWasm {
  /** All of the module's memory (replaced when it grows: views made before then are stale). */
  bytes: Uint8Array;
  /** The same memory as i32 (the frame table's entries: i32 index = byte address / 4). */
  ints: Int32Array;
  /** Where the frame table starts (16-byte aligned). */
  readonly tabAt: number;
  /** Where the chunk copied by {@link load} starts. */
  readonly dataAt: number;

  constructor(
    private readonly memory: WasmMemory,
    /** CRC-16/X.25 of memory[p, end). */
    readonly crc: (p: number, end: number) => number,
    /**
     * The frames ending in memory[p, e) into the frame table (at most `tabMax`), their payloads unescaped in
     * place and checked: the number of entries (scanBody documents them).
     */
    readonly scan: (p: number, e: number, tab: number, tabMax: number, max: number) => number,
    bufBytes: number,
  ) {
    this.tabAt = (HDLC_WASM_BUF_AT + bufBytes + 15) & ~15;
    this.dataAt = this.tabAt + HDLC_SCAN_ENTRIES * 16;
    this.bytes = new Uint8Array(memory.buffer);
    this.ints = new Int32Array(memory.buffer);
    this.fit(this.dataAt);
    const ints = new Int32Array(this.memory.buffer);
    for (let k = 0; k < 16; k++) ints.set(CRC16_X25_SLICE_TABLES[k]!, (TABLES_AT + k * TABLE_BYTES) >> 2);
  }

  /**
   * Copies `chunk` to {@link dataAt}; true when the memory grew (the caller remakes its views; the frame
   * buffer's bytes are kept by growth). The 16 bytes after the copy stay addressable (crc and scan read
   * nothing past the `end` they are given, but a slack keeps an off-by-one a wrong result, not a trap).
   */
  load(chunk: Uint8Array): boolean {
    const grew = this.fit(this.dataAt + chunk.length + 16);
    this.bytes.set(chunk, this.dataAt);
    return grew;
  }

  private fit(bytes: number): boolean {
    const have = this.memory.buffer.byteLength;
    if (bytes <= have) return false;
    this.memory.grow(Math.ceil((bytes - have) / PAGE));
    this.bytes = new Uint8Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
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
    const { crc, scan, mem } = new wasm.Instance(module, {}).exports as {
      crc: HdlcWasm['crc'];
      scan: HdlcWasm['scan'];
      mem: WasmMemory;
    };
    return new HdlcWasm(mem, crc, scan, bufBytes);
  } catch {
    return undefined;
  }
}
