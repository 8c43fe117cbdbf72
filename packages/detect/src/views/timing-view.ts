import { CaptureTimeBase, UNITS_PER_NS } from '../fronthaul/air-time.js';
import type { TimingFlow } from './file-views-types.js';

/** Histogram bins a flow keeps at most: beyond this span the bin width doubles (counts stay exact). */
const MAX_BINS = 400;
/** Scatter points a flow keeps at most: beyond this every other point goes and the stride doubles. */
const MAX_POINTS = 4096;
/** Late and early messages kept in the scatter whatever the thinning (they are what the view is for). */
const MAX_OUTLIERS = 1024;
/** Finest bin: 0.25 µs, in 1/6144 ns (the detector's unit). */
const FIRST_BIN_UNITS = 250 * UNITS_PER_NS;
const UNITS_PER_US = 1000 * UNITS_PER_NS;

/** Where bin b's count is kept in `TimingSeries.bins` (b may be negative: an early or relative offset). */
function binSlot(b: number): number {
  return ((b % MAX_BINS) + MAX_BINS) % MAX_BINS;
}
/** The counts of the bins in use while they are merged pairwise (one coarsening at a time, one thread). */
const COARSEN_SCRATCH = new Float64Array(MAX_BINS);

export const ON_TIME = 0;
export const LATE_KIND = 1;
export const EARLY_KIND = 2;

/**
 * Arrival offsets of one flow as the rx-window detector judged them: a histogram whose bins coarsen to stay
 * within {@link MAX_BINS}, and a time scatter thinned to {@link MAX_POINTS}. Fed once per judged message with
 * plain numbers (no allocation unless the histogram meets a new bin).
 */
export class TimingSeries {
  /**
   * Count of bin b at `binSlot(b)`: the bins in use span fewer than {@link MAX_BINS} (kept so by
   * `coarsen`), so a fixed array indexed by b mod MAX_BINS holds them without a Map look-up per message.
   */
  private readonly bins = new Float64Array(MAX_BINS);
  private binUnits = FIRST_BIN_UNITS;
  private minBin = Infinity;
  private maxBin = -Infinity;
  judged = 0;
  onTime = 0;
  early = 0;
  late = 0;
  minUnits = Infinity;
  maxUnits = -Infinity;
  private every = 1;
  private skip = 0;
  private n = 0;
  private readonly t = new Float64Array(MAX_POINTS);
  private readonly off = new Float64Array(MAX_POINTS);
  private readonly sym = new Uint8Array(MAX_POINTS);
  private readonly kinds = new Uint8Array(MAX_POINTS);
  referenceUnits: number | null = null;
  private nOut = 0;
  private readonly outT = new Float64Array(MAX_OUTLIERS);
  private readonly outOff = new Float64Array(MAX_OUTLIERS);
  private readonly outSym = new Uint8Array(MAX_OUTLIERS);
  private readonly outKind = new Uint8Array(MAX_OUTLIERS);

  constructor(
    readonly name: string,
    readonly window: string,
  ) {}

  add(measuredUnits: number, relNs: number, symbolId: number, kind: number): void {
    this.judged++;
    if (kind === ON_TIME) this.onTime++;
    else if (kind === LATE_KIND) this.late++;
    else this.early++;
    if (measuredUnits < this.minUnits) this.minUnits = measuredUnits;
    if (measuredUnits > this.maxUnits) this.maxUnits = measuredUnits;
    let b = Math.floor(measuredUnits / this.binUnits);
    if (b < this.minBin || b > this.maxBin) {
      while (Math.max(b, this.maxBin) - Math.min(b, this.minBin) >= MAX_BINS) {
        this.coarsen();
        b = Math.floor(measuredUnits / this.binUnits);
      }
      if (b < this.minBin) this.minBin = b;
      if (b > this.maxBin) this.maxBin = b;
    }
    const slot = binSlot(b);
    this.bins[slot] = this.bins[slot]! + 1;
    if (kind !== ON_TIME && this.nOut < MAX_OUTLIERS) {
      // late and early messages stay in the scatter even when on-time ones are thinned
      const k = this.nOut++;
      this.outT[k] = relNs / 1e6;
      this.outOff[k] = measuredUnits / UNITS_PER_US;
      this.outSym[k] = symbolId;
      this.outKind[k] = kind;
      return;
    }
    if (++this.skip < this.every) return;
    this.skip = 0;
    if (this.n === MAX_POINTS) this.thin();
    const i = this.n++;
    this.t[i] = relNs / 1e6;
    this.off[i] = measuredUnits / UNITS_PER_US;
    this.sym[i] = symbolId;
    this.kinds[i] = kind;
  }

  private coarsen(): void {
    const from = this.minBin;
    const to = this.maxBin;
    this.binUnits *= 2;
    if (from > to) return; // no bin in use yet
    // bins b and b + 1 (b even) become bin b / 2; the lowest and highest bins in use are counted (≥ 1)
    const old = COARSEN_SCRATCH;
    for (let b = from; b <= to; b++) old[b - from] = this.bins[binSlot(b)]!;
    this.bins.fill(0);
    for (let b = from; b <= to; b++) {
      const slot = binSlot(Math.floor(b / 2));
      this.bins[slot] = this.bins[slot]! + old[b - from]!;
    }
    this.minBin = Math.floor(from / 2);
    this.maxBin = Math.floor(to / 2);
  }

  private thin(): void {
    let k = 0;
    for (let i = 0; i < this.n; i += 2, k++) {
      this.t[k] = this.t[i]!;
      this.off[k] = this.off[i]!;
      this.sym[k] = this.sym[i]!;
      this.kinds[k] = this.kinds[i]!;
    }
    this.n = k;
    this.every *= 2;
  }

  toJSON(): TimingFlow {
    const counts: number[] = [];
    if (this.judged > 0) for (let b = this.minBin; b <= this.maxBin; b++) counts.push(this.bins[binSlot(b)]!);
    const us = (u: number) => Math.round((u / UNITS_PER_US) * 1e4) / 1e4;
    return {
      name: this.name,
      window: this.window,
      reference_us: this.referenceUnits === null ? null : us(this.referenceUnits),
      bin_us: this.binUnits / UNITS_PER_US,
      lo_us: this.judged > 0 ? (this.minBin * this.binUnits) / UNITS_PER_US : 0,
      counts,
      judged: this.judged,
      on_time: this.onTime,
      early: this.early,
      late: this.late,
      min_us: this.judged > 0 ? us(this.minUnits) : 0,
      max_us: this.judged > 0 ? us(this.maxUnits) : 0,
      scatter: this.scatter(),
    };
  }

  /** The thinned messages and every kept late/early one, merged in time order. */
  private scatter(): TimingFlow['scatter'] {
    const out: TimingFlow['scatter'] = { t_ms: [], offset_us: [], symbol: [], kind: [], every: this.every };
    let i = 0;
    let k = 0;
    while (i < this.n || k < this.nOut) {
      const fromOut = k < this.nOut && (i >= this.n || this.outT[k]! < this.t[i]!);
      out.t_ms.push(round4(fromOut ? this.outT[k]! : this.t[i]!));
      out.offset_us.push(round4(fromOut ? this.outOff[k]! : this.off[i]!));
      out.symbol.push(fromOut ? this.outSym[k]! : this.sym[i]!);
      out.kind.push(fromOut ? this.outKind[k]! : this.kinds[i]!);
      if (fromOut) k++;
      else i++;
    }
    return out;
  }
}

/**
 * `v` to 4 decimals (the scatter's ms and µs). One function for every flow: a closure made per scatter() call
 * was a new call target each time, and the compiled scatter() deoptimised at the next flow's ('wrong call
 * target', --trace-deopt on the bench:analyze shapes; issue 14).
 */
function round4(v: number): number {
  return Math.round(v * 1e4) / 1e4;
}

/** Capture time relative to the first packet, ns, without bigint arithmetic (one base per file). */
export class RelativeTime {
  private readonly base = new CaptureTimeBase();
  setBase(firstTsNs: bigint): void {
    if (!this.base.hasBase) this.base.setBase(firstTsNs);
  }
  relNs(tsNs: bigint): number {
    return this.base.relNs(tsNs);
  }
}
