import type { AnomalyDraft } from '@l1t/contracts';
import { Aggregator } from '../framework/aggregator.js';
import type { ResolvedThresholds } from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { SlidingBuckets } from './sliding-buckets.js';
import { cellText, type PdschTbSample } from './ue-link-samples.js';
import { CellStates, ueOccurrence } from './ue-occurrence.js';

const NS_PER_MS = 1_000_000n;
/** Buckets per window: the window slides by a tenth of its length. */
const BUCKETS = 10;
/** Counters of a bucket. */
const INITIAL = 0;
const NACKED = 1;

interface Episode {
  start: PdschTbSample;
  last: PdschTbSample;
  worstBler: number;
  worstInitial: number;
  worstNacked: number;
  windows: number;
}

interface CellBler {
  window: SlidingBuckets<PdschTbSample>;
  episode: Episode | undefined;
}

/**
 * `bler_high` (anomalies.md: initial-transmission BLER above the link-adaptation target, > 10 % over
 * ≥ 100 TBs). Link adaptation aims at a BLER of about 10 % on first transmissions (TS 36.213 §7.2.3, TS
 * 38.214 §5.2.2.1: the CQI is the highest whose TB error probability stays under 0.1), so the detector counts
 * only initial transmissions: per cell, over a window of `window_ms` sliding by a tenth of it, the share of
 * initial TBs whose CRC failed. While windows with at least `min_tbs` initial TBs have a BLER above
 * `max_bler`, the cell is in an episode, reported from the first NACKed initial TB of its first window to
 * the last TB of its last, with the BLER of its fullest window; episodes of a cell less than a window apart are one
 * anomaly (shared aggregator).
 */
export class UeBlerHighDetection {
  private readonly agg = new Aggregator();
  private readonly maxBler: number;
  private readonly minTbs: number;
  private readonly windowNs: bigint;
  private readonly cells: CellStates<CellBler>;

  constructor(t: ResolvedThresholds) {
    this.maxBler = numberOption(t, 'bler_high', 'max_bler', 0.1);
    this.minTbs = numberOption(t, 'bler_high', 'min_tbs', 100);
    this.windowNs = BigInt(Math.round(numberOption(t, 'bler_high', 'window_ms', 1000))) * NS_PER_MS;
    const bucketNs = this.windowNs / BigInt(BUCKETS);
    this.cells = new CellStates<CellBler>(
      () => ({ window: new SlidingBuckets(bucketNs > 0n ? bucketNs : 1n, BUCKETS, 3), episode: undefined }),
      (c) => this.end(c),
    );
  }

  onTb(s: PdschTbSample): void {
    const c = this.cells.get(s.cell);
    if (c.window.leaves(s.tsNs)) this.judge(c);
    const nack = !s.isRetx && !s.crcPass;
    c.window.add(s, s.isRetx ? [0, 0, 1] : [1, nack ? 1 : 0, 0], nack);
    this.agg.advance(s.tsNs);
  }

  finish(): AnomalyDraft[] {
    for (const c of this.cells.values()) this.end(c);
    return this.agg.finish();
  }

  private end(c: CellBler): void {
    if (!c.window.empty) this.judge(c);
    c.window.clear();
    this.close(c);
  }

  private judge(c: CellBler): void {
    const sums = c.window.sums();
    const initial = sums[INITIAL]!;
    const bler = initial > 0 ? sums[NACKED]! / initial : 0;
    if (initial < this.minTbs || bler <= this.maxBler) {
      this.close(c);
      return;
    }
    const e = (c.episode ??= {
      start: c.window.firstHit() ?? c.window.first(),
      last: c.window.lastHit() ?? c.window.last(),
      worstBler: 0,
      worstInitial: 0,
      worstNacked: 0,
      windows: 0,
    });
    e.last = c.window.lastHit() ?? c.window.last();
    e.windows++;
    // the evidence: the judged window with the most initial TBs (the surest estimate), then the highest BLER
    if (initial > e.worstInitial || (initial === e.worstInitial && bler > e.worstBler)) {
      e.worstBler = bler;
      e.worstInitial = initial;
      e.worstNacked = sums[NACKED]!;
    }
  }

  private close(c: CellBler): void {
    const e = c.episode;
    if (!e) return;
    c.episode = undefined;
    const pct = (e.worstBler * 100).toFixed(1);
    this.agg.add(
      ueOccurrence(
        'bler_high',
        'major',
        // more TBs, surer estimate
        e.worstInitial >= 4 * this.minTbs ? 0.95 : 0.85,
        {
          tsNs: e.start.tsNs,
          recordIndex: e.start.recordIndex,
          cell: e.start.cell,
          rnti: e.start.rnti,
          endTsNs: e.last.tsNs,
          endRecordIndex: e.last.recordIndex,
          records: Math.max(1, e.last.recordIndex - e.start.recordIndex + 1),
        },
        `DL BLER ${pct} % of initial transmissions (${e.worstNacked} of ${e.worstInitial} in ${Number(this.windowNs / NS_PER_MS)} ms) on ${cellText(e.start.cell)}`,
        {
          bler: Math.round(e.worstBler * 10000) / 10000,
          initial_tbs: e.worstInitial,
          nacked_initial_tbs: e.worstNacked,
          windows_above: e.windows,
          max_bler_threshold: this.maxBler,
          min_tbs: this.minTbs,
          window_ms: Number(this.windowNs / NS_PER_MS),
        },
        { burstGapNs: this.windowNs },
      ),
    );
  }
}
