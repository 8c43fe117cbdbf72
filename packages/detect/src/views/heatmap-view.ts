import { INV_FULL_SCALE_PRB_POWER, sectionPrbSums, type OranMessage } from '@l1t/capture';
import type { ConstellationSample, HeatmapView } from './file-views-types.js';

/** Time columns a grid keeps at most: beyond this the column width doubles (cells merge exactly). */
const MAX_COLUMNS = 240;
/** PRB rows: 275 is the largest NR carrier (TS 38.101-1 Table 5.3.2-1, 273 PRBs) with room; beyond: not drawn. */
export const MAX_PRB_ROWS = 276;
/** First column width: 0.5 ms (one slot at 30 kHz SCS); short captures get slot resolution. */
const FIRST_COLUMN_NS = 500_000;
/**
 * Cost bound (the heatmap decodes PRBs one by one, beside the decoder's SIMD totals): a flow's first
 * {@link EXACT_PRBS} PRBs are all drawn (short captures: the grid's counts are the IQ statistics exactly);
 * after that about {@link FIRST_COLUMN_BUDGET} PRBs per 0.5 ms are drawn, from every k-th message (k from
 * the previous column's load, odd and not a multiple of 7 so that it walks through the 14 symbols of a
 * slot), and the rest counted as skipped (a 100 MHz eAxC carries ~3 800 PRBs per 0.5 ms: ~7 % drawn).
 */
const EXACT_PRBS = 1_000_000;
const FIRST_COLUMN_BUDGET = 256;
/** Symbols kept for the constellation, and PRBs of each. */
const CONSTELLATION_SYMBOLS = 4;
const CONSTELLATION_PRBS = 48;

/** Per-PRB sums and clipped samples of one section (sectionPrbSums: the SIMD kernel, no dB per PRB), reused. */
let prbSums = new Float64Array(MAX_PRB_ROWS);
let prbClipped = new Uint8Array(MAX_PRB_ROWS);

/**
 * PRB × time power grid of one U-plane flow (the "which PRBs are hot or silent"), from each PRB's sum
 * of squares as the decoder's SIMD pass kept it (decode option `prbSums`; else `sectionPrbSums` decodes the
 * section here — O-RAN WG4 CUS Annex A.1: same zero and clipping rules as the slot statistics). Memory:
 * {@link MAX_COLUMNS} × {@link MAX_PRB_ROWS} cells, typed arrays allocated once.
 */
export class PrbHeatmap {
  private columnNs = FIRST_COLUMN_NS;
  private budget = FIRST_COLUMN_BUDGET;
  private columns = 0;
  private maxRow = 0;
  private readonly power = new Float64Array(MAX_COLUMNS * MAX_PRB_ROWS);
  private readonly nonZero = new Uint32Array(MAX_COLUMNS * MAX_PRB_ROWS);
  private readonly zero = new Uint32Array(MAX_COLUMNS * MAX_PRB_ROWS);
  private readonly clipped = new Uint32Array(MAX_COLUMNS * MAX_PRB_ROWS);
  decoded = 0;
  skipped = 0;
  /** Sampling after the exact part: every `stride`-th message, from the PRBs of the last full column. */
  private stride = 1;
  private messages = 0;
  private column = -1;
  private columnPrbs = 0;
  /** PRBs whose position lies beyond the grid (startPrbu past {@link MAX_PRB_ROWS}). */
  outside = 0;
  /**
   * Some cell of `zero` / `clipped` was counted: until then the array is all zero and {@link merge} leaves it
   * alone. Its pages are then never written: a fresh page costs more than the merge's arithmetic (the 256 kB of
   * each were written by every first merge, though a flow of only active, unclipped PRBs never counts in them).
   */
  private zeroCounted = false;
  private clippedCounted = false;
  private readonly constellation: ConstellationSample[] = [];

  constructor(readonly name: string) {}

  /** Adds the IQ of U-plane message `m` of frame `data` captured `relNs` after the first packet. */
  add(m: OranMessage, data: Uint8Array, relNs: number): void {
    let col = Math.floor(relNs / this.columnNs);
    if (col < 0) col = 0;
    while (col >= MAX_COLUMNS) {
      this.merge();
      col = Math.floor(relNs / this.columnNs);
    }
    if (col >= this.columns) this.columns = col + 1;
    const n = m.sectionCount;
    if (col !== this.column) {
      if (this.column >= 0 && this.columnPrbs > 0) this.stride = strideFor(this.columnPrbs / this.budget);
      this.column = col;
      this.columnPrbs = 0;
    }
    let prbs = 0;
    for (let i = 0; i < n; i++) prbs += m.uSections[i]!.nPrb;
    this.columnPrbs += prbs;
    // Every message runs the sampling arithmetic (adding 0 before the exact part ends), not only those after
    // it: V8 compiles add() early, and code it first runs later has no type feedback and deoptimises add()
    // and what it is inlined in (issue 14). Same counts: `messages` grows, and a message is skipped, only
    // once `decoded` reached EXACT_PRBS.
    const sampling = this.decoded >= EXACT_PRBS;
    this.messages += sampling ? 1 : 0;
    const skip = this.messages % this.stride !== 0 && sampling;
    this.skipped += skip ? prbs : 0;
    if (skip) return;
    for (let i = 0; i < n; i++) {
      const s = m.uSections[i]!;
      if (!s.iqSupported || (s.compMethod !== 0 && s.compMethod !== 1)) continue;
      const bfp = s.compMethod === 1;
      const prbBytes = 3 * s.iqWidth + (bfp ? 1 : 0);
      const whole = Math.min(s.nPrb, Math.floor(s.dataLength / prbBytes));
      this.decoded += whole;
      const step = s.rb === 1 ? 2 : 1;
      const base = col * MAX_PRB_ROWS;
      // The decoder's own per-PRB sums when it kept them (decode option prbSums: the same SIMD pass as the
      // section totals); else this section is decoded here, PRB by PRB, into the scratch arrays.
      let sums: Float64Array;
      let clippedSamples: Uint8Array;
      let at: number;
      if (s.prbSums) {
        sums = m.prbSumSq16;
        clippedSamples = m.prbClipped;
        at = s.prbIndex;
      } else {
        if (prbSums.length < whole) {
          prbSums = new Float64Array(whole);
          prbClipped = new Uint8Array(whole);
        }
        sectionPrbSums(data, s, whole, prbSums, prbClipped);
        sums = prbSums;
        clippedSamples = prbClipped;
        at = 0;
      }
      const zero = this.zero;
      const nonZero = this.nonZero;
      const power = this.power;
      const clipped = this.clipped;
      const start = s.startPrbu;
      // rows past the grid are counted, not drawn (rows grow with k: the drawn ones come first)
      const drawn = Math.max(0, Math.min(whole, Math.ceil((MAX_PRB_ROWS - start) / step)));
      this.outside += whole - drawn;
      if (drawn > 0 && start + (drawn - 1) * step >= this.maxRow) this.maxRow = start + (drawn - 1) * step + 1;
      // The section's totals come from the same SIMD pass as its kept sums (methods 0 and 1: a PRB's sum is 0
      // exactly when it is counted zero, its clipped samples > 0 exactly when counted clipped): a section of
      // only zero PRBs, or of neither zero nor clipped ones, is drawn without the per-PRB tests.
      if (s.prbSums && s.zeroPrbs === whole) {
        this.zeroCounted ||= drawn > 0;
        for (let k = 0, c = base + start; k < drawn; k++, c += step) zero[c] = zero[c]! + 1;
      } else if (s.prbSums && s.zeroPrbs === 0 && s.clippedPrbs === 0) {
        for (let k = 0, c = base + start; k < drawn; k++, c += step) {
          nonZero[c] = nonZero[c]! + 1;
          power[c] = power[c]! + sums[at + k]! * INV_FULL_SCALE_PRB_POWER;
        }
      } else {
        let zeros = 0;
        let clips = 0;
        for (let k = 0, c = base + start; k < drawn; k++, c += step) {
          const sum = sums[at + k]!;
          // an all-zero PRB sums to 0, any other to more (an integer sum of squares, scaled)
          if (sum === 0) {
            zero[c] = zero[c]! + 1;
            zeros++;
          } else {
            nonZero[c] = nonZero[c]! + 1;
            power[c] = power[c]! + sum * INV_FULL_SCALE_PRB_POWER;
            if (clippedSamples[at + k]! > 0) {
              clipped[c] = clipped[c]! + 1;
              clips++;
            }
          }
        }
        this.zeroCounted ||= zeros > 0;
        this.clippedCounted ||= clips > 0;
      }
      if (this.constellation.length < CONSTELLATION_SYMBOLS && hasEnergy(sums, at, Math.min(whole, CONSTELLATION_PRBS)))
        this.keepSymbol(m, s, data, bfp, prbBytes, whole);
    }
  }

  /** Halves the number of columns: column pairs merge (sums stay exact), the width and budget double. */
  private merge(): void {
    const columns = this.columns;
    const half = Math.ceil(columns / 2);
    // Rows from maxRow on were never drawn in any column (all zero): only the drawn rows are summed.
    const rows = this.maxRow;
    mergeColumns(this.power, columns, rows);
    mergeColumns(this.nonZero, columns, rows);
    if (this.zeroCounted) mergeColumns(this.zero, columns, rows);
    if (this.clippedCounted) mergeColumns(this.clipped, columns, rows);
    this.columns = half;
    this.columnNs *= 2;
    this.budget *= 2;
  }

  /** One symbol's IQ samples (a handful per flow, at its first messages with energy). */
  private keepSymbol(
    m: OranMessage,
    s: OranMessage['uSections'][number],
    data: Uint8Array,
    bfp: boolean,
    prbBytes: number,
    whole: number,
  ): void {
    for (const c of this.constellation) if (c.symbol_id === m.symbolId) return;
    const n = Math.min(whole, CONSTELLATION_PRBS);
    const iq: number[] = [];
    let energy = false;
    for (let k = 0, p = s.dataOffset; k < n; k++, p += prbBytes) {
      const exponent = bfp ? data[p]! & 15 : 16 - s.iqWidth;
      unpackSamples(data, bfp ? p + 1 : p, s.iqWidth, exponent, iq);
    }
    for (const v of iq) if (v !== 0) energy = true;
    if (!energy) return;
    this.constellation.push({
      frame_id: m.frameId,
      subframe_id: m.subframeId,
      slot_id: m.slotId,
      symbol_id: m.symbolId,
      start_prb: s.startPrbu,
      iq,
    });
  }

  toJSON(): HeatmapView {
    const rows = this.maxRow;
    const columns = this.columns;
    const cells = columns * rows;
    const power: (number | null)[] = new Array<number | null>(cells);
    const zero = new Array<number>(cells);
    const clipped = new Array<number>(cells);
    const samples = new Array<number>(cells);
    // Grids read into locals (toJSON runs once per flow, mostly before the JIT optimises it); a grid nothing
    // was counted in is not read at all (its untouched pages would each be faulted in just to read zeros).
    const sums = this.power;
    const nonZero = this.nonZero;
    const zeros = this.zeroCounted ? this.zero : undefined;
    const clips = this.clippedCounted ? this.clipped : undefined;
    for (let c = 0, i = 0; c < columns; c++) {
      for (let src = c * MAX_PRB_ROWS, end = src + rows; src < end; src++, i++) {
        const nz = nonZero[src]!;
        const z = zeros === undefined ? 0 : zeros[src]!;
        power[i] = nz > 0 ? Math.round(100 * Math.log10(sums[src]! / nz)) / 10 : null; // 0.1 dB
        zero[i] = z;
        clipped[i] = clips === undefined ? 0 : clips[src]!;
        samples[i] = nz + z;
      }
    }
    return {
      name: this.name,
      column_ms: this.columnNs / 1e6,
      columns,
      prbs: rows,
      power_dbfs: power,
      zero,
      clipped,
      samples,
      decoded_prbs: this.decoded,
      skipped_prbs: this.skipped,
      constellation: this.constellation,
    };
  }
}

/**
 * Some PRB of `sums[at … at + n)` is not all-zero: exactly when one of its samples is non-zero (a sum of
 * squares of integers, scaled), so a silent symbol is passed over without unpacking its samples into a new
 * array — a flow that stays silent (idle carriers, 6 of the real samples) did so for every drawn message.
 */
function hasEnergy(sums: Float64Array, at: number, n: number): boolean {
  for (let k = 0; k < n; k++) if (sums[at + k]! !== 0) return true;
  return false;
}

/**
 * One grid's column pairs summed into the first `ceil(columns / 2)` columns (the last one, without a pair,
 * moved as it is), its rows from `rows` on being zero in every column; the columns after them zeroed. Columns
 * from `columns` on hold zeros already (never drawn since the last merge, which zeroed them): not written again.
 */
function mergeColumns(grid: Float64Array | Uint32Array, columns: number, rows: number): void {
  const half = Math.ceil(columns / 2);
  for (let c = 0; c < half; c++) {
    const a = 2 * c * MAX_PRB_ROWS;
    const b = a + MAX_PRB_ROWS;
    const dst = c * MAX_PRB_ROWS;
    if (2 * c + 1 < columns) for (let r = 0; r < rows; r++) grid[dst + r] = grid[a + r]! + grid[b + r]!;
    else grid.copyWithin(dst, a, a + rows);
  }
  grid.fill(0, half * MAX_PRB_ROWS, columns * MAX_PRB_ROWS);
}

/** A sampling stride near `ratio`: odd and not a multiple of 7, so successive picks walk through a slot's symbols. */
function strideFor(ratio: number): number {
  let k = Math.max(1, Math.round(ratio));
  while (k > 1 && (k % 2 === 0 || k % 7 === 0)) k++;
  return k;
}

/** The 24 samples of one PRB (12 REs × I, Q; two's complement, MSB first) on the 16-bit scale. */
function unpackSamples(data: Uint8Array, offset: number, width: number, scaleSteps: number, out: number[]): void {
  const scale = 2 ** scaleSteps;
  for (let k = 0, bit = 0; k < 24; k++, bit += width) {
    let v = 0;
    for (let b = 0; b < width; b++) {
      const pos = bit + b;
      const byte = data[offset + (pos >> 3)] ?? 0;
      v = (v << 1) | ((byte >> (7 - (pos & 7))) & 1);
    }
    if (v & (1 << (width - 1))) v -= 1 << width;
    out.push(v * scale);
  }
}
