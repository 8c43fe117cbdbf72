import type { AnomalyDraft } from '@l1t/contracts';
import { logFinding, type ServoSample } from './linuxptp-finding.js';

/**
 * `ptp_path_delay_jump`: the mean path delay a servo reports moves to another level — a route or link
 * change, or a change of asymmetry the two-way exchange cannot see (IEEE 1588-2019 §11.3 assumes a
 * symmetric path; a delay step is where that assumption is most often broken).
 *
 * A level, not a sample: the median of the {@link HALF} samples after a point against the median of the
 * {@link HALF} before it. The shift must exceed `min_jump_ns` and `noise_factor` robust standard deviations
 * (1.4826·MAD) of up to {@link NOISE_SAMPLES} samples before the point — ptp4l holds its delay estimate
 * between measurements, so a short window is often flat and would make any change look significant; a
 * noisy software-timestamped path does not report its noise. Changes of level fewer than
 * {@link MERGE_SAMPLES} samples apart are one unsettled period: one finding with its first and largest
 * change, how many changes and the range of the delay.
 */
const HALF = 8;
const NOISE_SAMPLES = 64;
const MERGE_SAMPLES = 32;

interface Change {
  at: ServoSample;
  before: number;
  after: number;
  noise: number;
}

interface Period {
  first: Change;
  largest: Change;
  last: Change;
  changes: number;
  index: number;
  min: number;
  max: number;
}

export class PathDelayJumps {
  private readonly ring: ServoSample[] = [];
  private beyond: Change | undefined;
  private period: Period | undefined;
  private count = 0;
  readonly findings: AnomalyDraft[] = [];

  constructor(
    private readonly source: string,
    private readonly minJumpNs: number,
    private readonly noiseFactor: number,
  ) {}

  onSample(s: ServoSample): void {
    if (s.delayNs === undefined) return;
    this.count++;
    this.ring.push(s);
    if (this.ring.length > NOISE_SAMPLES + HALF) this.ring.shift();
    if (this.period && (s.delayNs < this.period.min || s.delayNs > this.period.max)) {
      this.period.min = Math.min(this.period.min, s.delayNs);
      this.period.max = Math.max(this.period.max, s.delayNs);
    }
    if (this.ring.length < 2 * HALF) return;
    const n = this.ring.length;
    const history = this.ring.slice(0, n - HALF).map((x) => x.delayNs!);
    const beforeVals = history.slice(-HALF);
    const before = median(beforeVals);
    const after = median(this.ring.slice(n - HALF).map((x) => x.delayNs!));
    const centre = median(history);
    const noise = 1.4826 * median(history.map((v) => Math.abs(v - centre)));
    const shift = after - before;
    if (Math.abs(shift) > Math.max(this.minJumpNs, this.noiseFactor * noise)) {
      const c: Change = { at: this.stepAt(before, after), before, after, noise };
      if (!this.beyond || Math.abs(shift) > Math.abs(this.beyond.after - this.beyond.before)) this.beyond = c;
      return;
    }
    this.settle();
    if (this.period && this.count - this.period.index > MERGE_SAMPLES) this.close();
  }

  /**
   * Where the level changed. The largest shift is reached as soon as five of the {@link HALF} samples
   * after the point are at the new level, and stays while up to three of the samples before it are, so on
   * a clean step the point of the largest shift can be up to three samples off either way (noise picks
   * it). When the last 2·HALF samples are a clean step — each within a quarter of the shift of the median
   * of its side, the old level then the new — the first sample at the new level is the change. A ramp or a
   * noisy path (some sample between the levels) keeps the window's own point.
   */
  private stepAt(before: number, after: number): ServoSample {
    const n = this.ring.length;
    const fallback = this.ring[n - HALF]!;
    const margin = Math.abs(after - before) / 4;
    let first = -1;
    for (let i = n - 2 * HALF; i < n; i++) {
      const v = this.ring[i]!.delayNs!;
      const late = Math.abs(v - after) <= margin;
      if (!late && Math.abs(v - before) > margin) return fallback; // between the levels: not a clean step
      if (late && first < 0) first = i;
      else if (!late && first >= 0) return fallback; // back to the old level: not one step
    }
    return first > n - 2 * HALF ? this.ring[first]! : fallback;
  }

  finish(): AnomalyDraft[] {
    this.settle();
    this.close();
    return this.findings;
  }

  /** The shift fell back below the limit: its largest point is one change of level. */
  private settle(): void {
    const c = this.beyond;
    if (!c) return;
    this.beyond = undefined;
    const p = this.period;
    const lo = Math.min(c.before, c.after);
    const hi = Math.max(c.before, c.after);
    if (!p) {
      this.period = { first: c, largest: c, last: c, changes: 1, index: this.count, min: lo, max: hi };
      return;
    }
    p.last = c;
    p.changes++;
    p.index = this.count;
    p.min = Math.min(p.min, lo);
    p.max = Math.max(p.max, hi);
    if (Math.abs(c.after - c.before) > Math.abs(p.largest.after - p.largest.before)) p.largest = c;
  }

  private close(): void {
    const p = this.period;
    if (!p) return;
    this.period = undefined;
    const f = p.first;
    const big = p.largest;
    const shift = big.after - big.before;
    const single = p.changes === 1;
    this.findings.push(
      logFinding(
        'ptp_path_delay_jump',
        'minor',
        single ? 0.8 : 0.7,
        {
          firstLine: f.at.line,
          firstS: f.at.monoS,
          lastLine: p.last.at.line,
          lastS: p.last.at.monoS,
          lines: p.last.at.line - f.at.line + 1,
        },
        this.source,
        single
          ? `${this.source}: mean path delay changed level by ${signed(shift)} ns at line ${big.at.line} (median ${Math.round(big.before)} → ${Math.round(big.after)} ns, ${HALF} samples each side)`
          : `${this.source}: mean path delay unsettled from line ${f.at.line} to ${p.last.at.line}: ${p.changes} changes of level, largest ${signed(shift)} ns at line ${big.at.line}, delay between ${Math.round(p.min)} and ${Math.round(p.max)} ns`,
        {
          changes: p.changes,
          largest_change_line: big.at.line,
          delay_before_ns: big.before,
          delay_after_ns: big.after,
          shift_ns: shift,
          noise_ns: Math.round(big.noise * 10) / 10,
          delay_min_ns: p.min,
          delay_max_ns: p.max,
          min_jump_ns: this.minJumpNs,
          noise_factor: this.noiseFactor,
          samples_each_side: HALF,
        },
      ),
    );
  }
}

const signed = (v: number): string => `${v > 0 ? '+' : ''}${Math.round(v)}`;

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
