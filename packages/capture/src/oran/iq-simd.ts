import { blockScalingFactor } from './iq.js';
import {
  BLOCK,
  br,
  brIf,
  ELSE,
  END,
  F64,
  get,
  I32,
  i32c,
  I64,
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
 * Section IQ summary with WebAssembly SIMD (128-bit): the per-PRB sum of squares, all-zero test and
 * clip count of samples of every width 1–16, eight samples per vector, for the analysis path that needs
 * per-section totals and not per-PRB dB values (`DecodeOptions.prbIq: false`). The same arithmetic as
 * `decodePrbIq` (O-RAN WG4 CUS Annex A.1; iq.ts), integer-exact: a test compares both on every width and
 * method. Two functions of one module: `sec` for w ≤ 9 (below), `wide` for 10 ≤ w ≤ 16 (further below).
 *
 * Unpacking 8 samples of width w ≤ 9 (one group: w bytes, sample i at bit w·i, MSB first):
 *
 *   bytes   | b0 | b1 | b2 | … |            one unaligned 16-byte load at the group
 *   swizzle lane i (i16) ← (b[j] << 8) | b[j+1],  j = ⌊w·i / 8⌋     (the sample lies inside these 16 bits)
 *   multiply lane i by 2^(w·i mod 8)                                 (shift the sample to the top, mod 2^16)
 *   arithmetic shift right by 16 − w                                 (sign-extended sample)
 *   i32x4.dot_i16x8_s(v, v)                                          (Σ I² + Q², pairwise)
 *
 * A PRB's 24 samples are three groups; Σ of squares of w ≤ 9 bits fits an i32 (≤ 24 · 2^16). A PRB is
 * zero when the sum is 0; clipped samples (mantissa −2^(w−1) or 2^(w−1) − 1) are counted only when the
 * exponent equals 16 − w (the BFP clipping rule; uncompressed IQ passes −1 and is never counted). Block
 * scaling (Annex A.2) scales a PRB's sum by a per-udCompParam factor from a table instead of 4^exponent.
 *
 * Widths 10–16 (`wide`): a sample can straddle three bytes, so each half group of 4 samples is swizzled
 * into i32 lanes (b[j] << 24 | b[j+1] << 16 | b[j+2] << 8), multiplied by 2^(w·i mod 8) (the sample to
 * the top, mod 2^32), shifted right arithmetically by 32 − w and the two halves narrowed to i16x8 (exact:
 * the samples fit 16 bits). I² + Q² of two 16-bit samples reaches 2^31 and a PRB's sum 24 · 2^30, so the
 * pairwise dot products are widened (unsigned: each is ≤ 2^31) to i64 lanes before they are added.
 *
 * The module is assembled here from its opcodes (no build step, no binary blob): ~300 bytes. Where
 * WebAssembly or its SIMD is missing, `iqSimd` is undefined and the caller uses the scalar path.
 */

/** Memory layout of the module (bytes). */
const MASK_AT = 0; // v128 swizzle mask for the width
const MUL_AT = 16; // v128 i16 multipliers 2^(w·i mod 8)
const MAX_AT = 32; // v128 i16 splat of 2^(w−1) − 1
const MIN_AT = 48; // v128 i16 splat of −2^(w−1)
const OUT_AT = 64; // i32 zero PRBs, clipped PRBs, clipped samples, OR of the reserved nibbles
const WIDE_MASK_LO_AT = 80; // v128 swizzle mask of samples 0–3 into i32 lanes (wide)
const WIDE_MASK_HI_AT = 96; // … of samples 4–7
const WIDE_MUL_LO_AT = 112; // v128 i32 multipliers 2^(w·i mod 8), samples 0–3
const WIDE_MUL_HI_AT = 128; // … samples 4–7
/** f64 per udCompParam byte: what a PRB's Σ of squared samples is worth on the 16-bit scale (block scaling). */
const FACTOR_TABLE_AT = 192;
/**
 * Sections of up to this many PRBs (an NR carrier has at most 273, TS 38.101-1 Table 5.3.2-1) have their
 * per-PRB outputs written to fixed places below the packet copy: they never overwrite the packet's other
 * sections (a packet declared with {@link IqSimd.beginPacket} is copied once for all its sections) and the
 * caller copies them out with one `TypedArray.set` from a view made once per PRB count. Larger sections
 * (a guessed NRB, tests) have them after the copied bytes, copied out PRB by PRB.
 */
const OUT_PRBS = 1024;
/** u8 per PRB: its exponent (with a udCompParam). */
const EXP_OUT_AT = FACTOR_TABLE_AT + 256 * 8;
/** u8 per PRB: its clipped samples; the n PRBs' Σ (f64) lie just below, at CLIP_OUT_AT − 8n (the kernel's layout). */
const CLIP_OUT_AT = EXP_OUT_AT + OUT_PRBS + 8 * OUT_PRBS;
/** Where the packet (or the section's PRB bytes) is copied. */
export const IQ_SIMD_DATA_AT = CLIP_OUT_AT + OUT_PRBS;
/**
 * PRBs from which one `TypedArray.set` per output array beats a loop (~28 ns per call against ~0.7 ns per PRB
 * for an f64 and a u8, Node 20): fronthaul sections of 17 PRBs (fh_ks) copy in a loop, of 106 or 273 with set.
 */
const SET_MIN_PRBS = 32;
/** Bytes a group load may read past the last PRB. */
const TAIL = 16;
/** Bytes besides the section's a packet may have and still be copied whole (headers, other sections). */
const WHOLE_COPY_SLACK = 16384;
const PAGE = 65536;

// --- opcodes beyond the shared encoder's (../wasm/wasm-encoder.ts) ---------------------------------

const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
const IF_F64 = [0x04, F64];
const I32_ADD = [0x6a];
const I32_AND = [0x71];
const I32_OR = [0x72];
const I32_SHR_U = [0x76];
const I32_STORE8 = [0x3a, 0, 0];
const I32_SHL = [0x74];
const I32_EQ = [0x46];
const I32_EQZ = [0x45];
const I32_GE_U = [0x4f];
const I32_POPCNT = [0x69];
const I32_LOAD8_U = [0x2d, 0, 0];
const F64_STORE = [0x39, 3, 0];
const F64_LOAD = [0x2b, 3, 0];
const I64_ADD = [0x7c];
const I64_EQZ = [0x50];
const F64_CONVERT_I64_U = [0xba];
const i32Store = (offset: number) => [0x36, 2, ...uleb(offset)];
const F64_CONVERT_I32_U = [0xb8];
const F64_MUL = [0xa2];
const F64_ADD = [0xa0];
const v128Load = (offset: number) => simd(0x00, 0, ...uleb(offset));
const SWIZZLE = simd(0x0e);
const I16X8_MUL = simd(0x95);
const I16X8_SHR_S = simd(0x8c);
const I16X8_EQ = simd(0x2d);
const I16X8_BITMASK = simd(0x84);
const V128_OR = simd(0x50);
const I32X4_DOT = simd(0xba);
const I32X4_ADD = simd(0xae);
const lane = (l: number) => simd(0x1b, l);
const I32X4_MUL = simd(0xb5);
const I32X4_SHR_S = simd(0xac);
const I16X8_NARROW_I32X4_S = simd(0x85);
const I64X2_EXTEND_LOW_I32X4_U = simd(0xc9);
const I64X2_EXTEND_HIGH_I32X4_U = simd(0xca);
const I64X2_ADD = simd(0xce);
const lane64 = (l: number) => simd(0x1d, l);

// params
const P = 0; // first PRB (byte address)
const N = 1; // PRBs
const STRIDE = 2; // bytes per PRB (udCompParam included)
const PARAM = 3; // 1: a udCompParam byte leads each PRB (exponent in its low nibble)
const FIXED_EXP = 4; // scale steps when there is no parameter (uncompressed: 16 − w)
const CLIP_EXP = 5; // exponent at which a PRB can clip (BFP: 16 − w), else −1
const GROUP = 6; // bytes per 8 samples (= w)
const SHR = 7; // 16 − w
const EXP_OUT = 8; // where each PRB's exponent byte is written (with PARAM)
const PRB_OUT = 9; // 0, or where each PRB's Σ on the 16-bit scale (f64) and then its clipped samples (u8) go
const FACTOR_AT = 10; // 0: a PRB's Σ scales by 4^e; else by the f64 at FACTOR_AT + 8 · udCompParam (block scaling)
// locals: i32 …
const K = 11;
const E = 12;
const Q = 13;
const S = 14;
const ZERO = 15;
const CLIP_PRBS = 16;
const CLIP_SAMPLES = 17;
const CNT = 18;
const T = 19; // the udCompParam byte
const RES = 20; // OR of the udCompParam reserved nibbles
// … f64 …
const LIN = 21;
// … v128
const MASK = 22;
const MUL = 23;
const VA = 24;
const VB = 25;
const VC = 26;
const ACC = 27;
const VMAX = 28;
const VMIN = 29;
// … i64 (wide)
const S64 = 30;
// … v128 (wide)
const MASK_HI = 31;
const MUL_HI = 32;
const ACC64 = 33;
// … f64
const PV = 34; // the PRB's Σ on the 16-bit scale

/** unpack the group at q + offset into local `into`: ((swizzle(load) × mul) >> shr). */
const unpack = (offset: number, into: number) => [
  ...get(Q),
  ...v128Load(offset),
  ...get(MASK),
  ...SWIZZLE,
  ...get(MUL),
  ...I16X8_MUL,
  ...get(SHR),
  ...I16X8_SHR_S,
  ...set(into),
];
/** wide: unpack the group at q into `into`: narrow((swizzle(load, lo) × mulLo) >> shr, (… hi …) >> shr). */
const unpackWide = (into: number) => [
  ...get(Q),
  ...v128Load(0),
  ...get(MASK),
  ...SWIZZLE,
  ...get(MUL),
  ...I32X4_MUL,
  ...get(SHR),
  ...I32X4_SHR_S,
  ...get(Q),
  ...v128Load(0),
  ...get(MASK_HI),
  ...SWIZZLE,
  ...get(MUL_HI),
  ...I32X4_MUL,
  ...get(SHR),
  ...I32X4_SHR_S,
  ...I16X8_NARROW_I32X4_S,
  ...set(into),
];
/** wide: acc64 (+)= the pairwise I² + Q² of `v`, widened unsigned to i64 lanes. */
const dot64 = (v: number, first: boolean) => [
  ...get(v),
  ...get(v),
  ...I32X4_DOT,
  ...tee(ACC),
  ...I64X2_EXTEND_LOW_I32X4_U,
  ...get(ACC),
  ...I64X2_EXTEND_HIGH_I32X4_U,
  ...I64X2_ADD,
  ...(first ? [] : [...get(ACC64), ...I64X2_ADD]),
  ...set(ACC64),
];
const clipCount = (v: number) => [
  ...get(v),
  ...get(VMAX),
  ...I16X8_EQ,
  ...get(v),
  ...get(VMIN),
  ...I16X8_EQ,
  ...V128_OR,
  ...I16X8_BITMASK,
  ...I32_POPCNT,
];

function kernelBody(wide: boolean): number[] {
  // The group offsets (w and 2w bytes) vary with the width: the loads take them from q.
  const one = (into: number) => (wide ? unpackWide(into) : unpack(0, into));
  const groupAt = (g: number, into: number) =>
    g === 0 ? one(into) : [...get(Q), ...get(GROUP), ...I32_ADD, ...set(Q), ...one(into)];
  // Σ(I² + Q²) of the PRB, left on the stack as f64, with the zero test on the way (an i32 sum for w ≤ 9).
  // prettier-ignore
  const sumAndZero = wide
    ? [
      ...dot64(VA, true), ...dot64(VB, false), ...dot64(VC, false),
      ...get(ACC64), ...lane64(0), ...get(ACC64), ...lane64(1), ...I64_ADD,
      ...tee(S64),
      ...I64_EQZ,
    ]
    : [
      ...get(VA), ...get(VA), ...I32X4_DOT,
      ...get(VB), ...get(VB), ...I32X4_DOT, ...I32X4_ADD,
      ...get(VC), ...get(VC), ...I32X4_DOT, ...I32X4_ADD,
      ...tee(ACC), ...lane(0),
      ...get(ACC), ...lane(1), ...I32_ADD,
      ...get(ACC), ...lane(2), ...I32_ADD,
      ...get(ACC), ...lane(3), ...I32_ADD,
      ...tee(S),
      ...I32_EQZ,
    ];
  const sumF64 = wide ? [...get(S64), ...F64_CONVERT_I64_U] : [...get(S), ...F64_CONVERT_I32_U];
  // prettier-ignore
  return [
    ...i32c(wide ? WIDE_MASK_LO_AT : MASK_AT), ...v128Load(0), ...set(MASK),
    ...i32c(wide ? WIDE_MUL_LO_AT : MUL_AT), ...v128Load(0), ...set(MUL),
    ...(wide ? [...i32c(WIDE_MASK_HI_AT), ...v128Load(0), ...set(MASK_HI), ...i32c(WIDE_MUL_HI_AT), ...v128Load(0), ...set(MUL_HI)] : []),
    ...i32c(MAX_AT), ...v128Load(0), ...set(VMAX),
    ...i32c(MIN_AT), ...v128Load(0), ...set(VMIN),
    ...BLOCK,
    ...LOOP,
    ...get(K), ...get(N), ...I32_GE_U, ...brIf(1),
    ...i32c(0), ...set(CNT),
    // exponent and first sample byte
    ...get(PARAM),
    ...IF,
    ...get(P), ...I32_LOAD8_U, ...tee(T), ...i32c(15), ...I32_AND, ...set(E),
    ...get(RES), ...get(T), ...i32c(4), ...I32_SHR_U, ...I32_OR, ...set(RES),
    ...get(EXP_OUT), ...get(K), ...I32_ADD, ...get(E), ...I32_STORE8,
    ...get(P), ...i32c(1), ...I32_ADD, ...set(Q),
    ...ELSE,
    ...get(FIXED_EXP), ...set(E),
    ...get(P), ...set(Q),
    ...END,
    ...groupAt(0, VA),
    ...groupAt(1, VB),
    ...groupAt(2, VC),
    ...sumAndZero,
    ...IF,
    ...get(ZERO), ...i32c(1), ...I32_ADD, ...set(ZERO),
    ...i32c(0), ...F64_CONVERT_I32_U, ...set(PV),
    ...ELSE,
    // pv = s · 4^e  (2^(2e) ≤ 2^30: an exact i32), or s · factor[udCompParam]; lin += pv
    ...sumF64,
    ...get(FACTOR_AT),
    ...IF_F64,
    ...get(FACTOR_AT), ...get(T), ...i32c(3), ...I32_SHL, ...I32_ADD, ...F64_LOAD,
    ...ELSE,
    ...i32c(1), ...get(E), ...i32c(1), ...I32_SHL, ...I32_SHL, ...F64_CONVERT_I32_U,
    ...END,
    ...F64_MUL, ...set(PV),
    ...get(LIN), ...get(PV), ...F64_ADD, ...set(LIN),
    ...get(E), ...get(CLIP_EXP), ...I32_EQ,
    ...IF,
    ...clipCount(VA), ...clipCount(VB), ...I32_ADD, ...clipCount(VC), ...I32_ADD,
    ...tee(CNT),
    ...IF,
    ...get(CLIP_PRBS), ...i32c(1), ...I32_ADD, ...set(CLIP_PRBS),
    ...get(CLIP_SAMPLES), ...get(CNT), ...I32_ADD, ...set(CLIP_SAMPLES),
    ...END,
    ...END,
    ...END,
    // per PRB (when asked): prbOut[k] = pv (f64), prbOut[8n + k] = clipped samples
    ...get(PRB_OUT),
    ...IF,
    ...get(PRB_OUT), ...get(K), ...i32c(3), ...I32_SHL, ...I32_ADD, ...get(PV), ...F64_STORE,
    ...get(PRB_OUT), ...get(N), ...i32c(3), ...I32_SHL, ...I32_ADD, ...get(K), ...I32_ADD, ...get(CNT), ...I32_STORE8,
    ...END,
    ...get(P), ...get(STRIDE), ...I32_ADD, ...set(P),
    ...get(K), ...i32c(1), ...I32_ADD, ...set(K),
    ...br(0),
    ...END,
    ...END,
    ...i32c(0), ...get(ZERO), ...i32Store(OUT_AT),
    ...i32c(0), ...get(CLIP_PRBS), ...i32Store(OUT_AT + 4),
    ...i32c(0), ...get(CLIP_SAMPLES), ...i32Store(OUT_AT + 8),
    ...i32c(0), ...get(RES), ...i32Store(OUT_AT + 12),
    ...get(LIN),
  ];
}

function moduleBytes(): Uint8Array {
  const type = [0x60, ...vec(Array.from({ length: 11 }, () => [I32])), ...vec([[F64]])];
  const locals = vec([
    [...uleb(10), I32],
    [...uleb(1), F64],
    [...uleb(8), V128],
    [...uleb(1), I64],
    [...uleb(3), V128],
    [...uleb(1), F64],
  ]);
  const body = (wide: boolean): number[] => {
    const b = [...locals, ...kernelBody(wide), ...END];
    return [...uleb(b.length), ...b];
  };
  // prettier-ignore
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, vec([type])),
    ...section(3, vec([[0], [0]])),
    ...section(5, vec([[0x00, 2]])), // memory: min 2 pages, grown on demand
    ...section(7, vec([[...name('sec'), 0x00, 0], [...name('wide'), 0x00, 1], [...name('mem'), 0x02, 0]])),
    ...section(10, vec([body(false), body(true)])),
  ]);
}

// --- binding ---------------------------------------------------------------------------------------

type SecFn = (
  p: number,
  n: number,
  stride: number,
  param: number,
  fixedExp: number,
  clipExp: number,
  group: number,
  shr: number,
  expOut: number,
  prbOut: number,
  factorAt: number,
) => number;

/** Totals of one section's PRBs, written by {@link IqSimd.section}. */
export class SectionIqTotals {
  zeroPrbs = 0;
  clippedPrbs = 0;
  clippedSamples = 0;
  /** Σ over non-zero PRBs of Σ(I² + Q²) · 4^(scale steps), i.e. on the 16-bit scale. */
  sumSq16 = 0.5;
  /** Some udCompParam had a non-zero reserved nibble (BFP: bits 7..4). */
  reservedSeen = false;
}

export class IqSimd {
  private bytes: Uint8Array;
  private ints: Int32Array;
  private doubles: Float64Array;
  private width = 0;
  /** Width the block-scaling factor table was filled for (0: none). */
  private factorWidth = 0;
  /** The packet declared by {@link beginPacket}, and whether its bytes are in the module's memory now. */
  private packet: Uint8Array | undefined = undefined;
  private packetCopied = false;
  /** Views of the fixed output places per PRB count (made once per count; remade after the memory grows). */
  private expViews: (Uint8Array | undefined)[] = [];
  private sumViews: (Float64Array | undefined)[] = [];
  private clipViews: (Uint8Array | undefined)[] = [];

  constructor(
    private readonly memory: WasmMemory,
    private readonly fn: SecFn,
    private readonly wideFn: SecFn,
  ) {
    this.bytes = new Uint8Array(memory.buffer);
    this.ints = new Int32Array(memory.buffer);
    this.doubles = new Float64Array(memory.buffer);
  }

  /** Widths the kernel decodes: every udIqWidth (1–16; CUS Table 6.3.3.13-1, 0 meaning 16). */
  static supports(width: number): boolean {
    return width >= 1 && width <= 16;
  }

  /**
   * Sums `n` PRBs of `stride` bytes at `data[offset]` (a udCompParam first when `param`; BFP exponent in
   * its low nibble, else `fixedExp` scale steps). `clipExp`: the exponent at which a PRB can clip, or −1.
   * With `param`, each PRB's exponent is also written to `exponents[at + k]`.
   */
  section(
    data: Uint8Array,
    offset: number,
    n: number,
    stride: number,
    width: number,
    param: boolean,
    fixedExp: number,
    clipExp: number,
    out: SectionIqTotals,
    exponents: Uint8Array,
    at: number,
    blockScaling = false,
  ): void {
    this.sectionPrbs(
      data,
      offset,
      n,
      stride,
      width,
      param,
      fixedExp,
      clipExp,
      out,
      exponents,
      at,
      undefined,
      undefined,
      blockScaling,
    );
  }

  /**
   * {@link section}, and per PRB k: `sums[at + k]` = Σ(I² + Q²) on the 16-bit scale (0 for an all-zero PRB,
   * as `decodePrbIq`'s `sumSq16`) and `clipped[at + k]` its clipped samples — for views that show PRBs, not
   * dB per PRB (the decoder's `prbSums` option keeps them per message at the section's `prbIndex`).
   * Without `sums` and `clipped` it is {@link section}: a caller that keeps per-PRB sums only sometimes makes
   * one call either way.
   */
  sectionPrbs(
    data: Uint8Array,
    offset: number,
    n: number,
    stride: number,
    width: number,
    param: boolean,
    fixedExp: number,
    clipExp: number,
    out: SectionIqTotals,
    exponents: Uint8Array,
    at: number,
    sums: Float64Array | undefined,
    clipped: Uint8Array | undefined,
    blockScaling = false,
  ): void {
    const len = n * stride;
    // The hot path allocates nothing: a packet (section plus its few header bytes) is copied whole, with
    // no subarray view; only a much larger buffer (a caller's whole chunk) has its section cut out.
    const whole = data.length <= len + WHOLE_COPY_SLACK;
    const at0 = whole ? IQ_SIMD_DATA_AT + offset : IQ_SIMD_DATA_AT;
    const copied = IQ_SIMD_DATA_AT + (whole ? data.length : len) + TAIL;
    const fixed = n <= OUT_PRBS;
    const expOut = fixed ? EXP_OUT_AT : copied;
    const prbOut = sums === undefined ? 0 : fixed ? CLIP_OUT_AT - 8 * n : (expOut + n + 7) & ~7;
    const end = fixed ? copied : prbOut === 0 ? expOut + n : prbOut + 9 * n;
    if (end > this.bytes.length) this.grow(end);
    if (width !== this.width) this.setWidth(width);
    if (blockScaling && this.factorWidth !== width) this.setFactors(width);
    const factorAt = blockScaling ? FACTOR_TABLE_AT : 0;
    // a declared packet's bytes stay in memory for its next sections (the outputs lie below or after them)
    const declared = whole && data === this.packet;
    if (!(declared && this.packetCopied)) {
      if (whole) this.bytes.set(data, IQ_SIMD_DATA_AT);
      else this.bytes.set(data.subarray(offset, offset + len), IQ_SIMD_DATA_AT);
      this.packetCopied = declared;
    }
    const p = param ? 1 : 0;
    out.sumSq16 =
      width <= 9
        ? this.fn(at0, n, stride, p, fixedExp, clipExp, width, 16 - width, expOut, prbOut, factorAt)
        : this.wideFn(at0, n, stride, p, fixedExp, clipExp, width, 32 - width, expOut, prbOut, factorAt);
    const o = OUT_AT >> 2;
    out.zeroPrbs = this.ints[o]!;
    out.clippedPrbs = this.ints[o + 1]!;
    out.clippedSamples = this.ints[o + 2]!;
    out.reservedSeen = this.ints[o + 3] !== 0;
    const set = fixed && n >= SET_MIN_PRBS;
    if (param) {
      if (set) exponents.set(this.expViews[n] ?? this.makeViews(n).expViews[n]!, at);
      else {
        const b = this.bytes;
        for (let k = 0; k < n; k++) exponents[at + k] = b[expOut + k]!;
      }
    }
    if (sums !== undefined) {
      if (set) {
        sums.set(this.sumViews[n] ?? this.makeViews(n).sumViews[n]!, at);
        clipped!.set(this.clipViews[n]!, at);
      } else {
        const f = this.doubles;
        const b = this.bytes;
        const s0 = prbOut >> 3;
        const c0 = prbOut + 8 * n;
        for (let k = 0; k < n; k++) {
          sums[at + k] = f[s0 + k]!;
          clipped![at + k] = b[c0 + k]!;
        }
      }
    }
  }

  /**
   * The sections that follow, until {@link endPacket}, lie in `data` and its bytes do not change meanwhile:
   * the packet is copied into the module's memory at the first of them only (fh_ks: half of the U-plane
   * messages have two sections, each copied whole before).
   */
  beginPacket(data: Uint8Array): void {
    this.packet = data;
    this.packetCopied = false;
  }

  endPacket(): void {
    this.packet = undefined;
    this.packetCopied = false;
  }

  /** The fixed output places of an n-PRB section as views (once per n; not on the per-packet path after that). */
  private makeViews(n: number): this {
    const buf = this.memory.buffer;
    this.expViews[n] = new Uint8Array(buf, EXP_OUT_AT, n);
    this.sumViews[n] = new Float64Array(buf, CLIP_OUT_AT - 8 * n, n);
    this.clipViews[n] = new Uint8Array(buf, CLIP_OUT_AT, n);
    return this;
  }

  private grow(need: number): void {
    this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / PAGE));
    this.bytes = new Uint8Array(this.memory.buffer);
    this.ints = new Int32Array(this.memory.buffer);
    this.doubles = new Float64Array(this.memory.buffer);
    this.width = 0;
    this.factorWidth = 0;
    // the old buffer's views are detached; the memory's contents (a declared packet's copy) are kept
    this.expViews = [];
    this.sumViews = [];
    this.clipViews = [];
  }

  /** Block scaling (CUS Annex A.2): factor[s] = s² · 2^(18 − 2w), see {@link blockScalingFactor}. */
  private setFactors(w: number): void {
    const f = this.doubles;
    for (let b = 0; b < 256; b++) f[(FACTOR_TABLE_AT >> 3) + b] = blockScalingFactor(b, w);
    this.factorWidth = w;
  }

  private setWidth(w: number): void {
    const b = this.bytes;
    const view = new DataView(this.memory.buffer);
    for (let i = 0; i < 8; i++) {
      const bit = w * i;
      const j = bit >> 3;
      // lane i (little-endian i16): low byte = b[j + 1], high byte = b[j]
      b[MASK_AT + 2 * i] = j + 1;
      b[MASK_AT + 2 * i + 1] = j;
      view.setInt16(MUL_AT + 2 * i, 1 << (bit & 7), true);
      view.setInt16(MAX_AT + 2 * i, (1 << (w - 1)) - 1, true);
      view.setInt16(MIN_AT + 2 * i, -(1 << (w - 1)), true);
      // wide: i32 lane i & 3 (little-endian): bytes 0..3 = 0 (index ≥ 16 swizzles to 0), b[j+2], b[j+1], b[j]
      const m = (i < 4 ? WIDE_MASK_LO_AT : WIDE_MASK_HI_AT) + 4 * (i & 3);
      b[m] = 0xff;
      b[m + 1] = j + 2 < 16 ? j + 2 : 0xff;
      b[m + 2] = j + 1;
      b[m + 3] = j;
      view.setInt32((i < 4 ? WIDE_MUL_LO_AT : WIDE_MUL_HI_AT) + 4 * (i & 3), 1 << (bit & 7), true);
    }
    this.width = w;
  }
}

function instantiate(): IqSimd | undefined {
  try {
    const wasm = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    if (wasm === undefined) return undefined;
    const bytes = moduleBytes();
    if (!wasm.validate(bytes)) return undefined;
    const instance = new wasm.Instance(new wasm.Module(bytes), {});
    const { sec, wide, mem } = instance.exports as { sec: SecFn; wide: SecFn; mem: WasmMemory };
    return new IqSimd(mem, sec, wide);
  } catch {
    return undefined;
  }
}

/** The kernel of this thread, or undefined where WebAssembly SIMD is not available. */
export const iqSimd: IqSimd | undefined = instantiate();
