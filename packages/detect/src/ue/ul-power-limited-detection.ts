import type { AnomalyDraft } from '@l1t/contracts';
import { Aggregator } from '../framework/aggregator.js';
import type { ResolvedThresholds } from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { SlidingBuckets } from './sliding-buckets.js';
import { cellText, type PuschPowerSample } from './ue-link-samples.js';
import { CellStates, ueOccurrence } from './ue-occurrence.js';

const NS_PER_MS = 1_000_000n;
/** Buckets per window: the window slides by a tenth of its length. */
const BUCKETS = 10;
/** Counters of a bucket: observations, at Pcmax, with a known retransmission flag, retransmissions. */
const N = 0;
const LIMITED = 1;
const KNOWN = 2;
const RETX = 3;

interface Episode {
  start: PuschPowerSample;
  last: PuschPowerSample;
  ratio: number;
  n: number;
  ulBler: number | undefined;
  windows: number;
  minHeadroom: number;
  pcmax: number | undefined;
}

interface CellPower {
  window: SlidingBuckets<PuschPowerSample>;
  episode: Episode | undefined;
  pcmax: number | undefined;
}

/**
 * `ul_power_limited` (anomalies.md: PUSCH at Pcmax while UL BLER is high, ≥ 1 s; TS 38.213 §7.1.1, TS
 * 36.213 §5.1.1.1: PUSCH power is min(Pcmax, open/closed loop power), so a UE at Pcmax cannot follow
 * further TPC up commands and its uplink degrades). Per cell, over a window of `window_ms` sliding by a
 * tenth of it: the share of PUSCH observations whose power headroom is at most `headroom_db` (within that
 * of Pcmax) reaches `min_limited_ratio` and, when the log says which transmissions are HARQ
 * retransmissions, the UL BLER (share of retransmissions) reaches `min_ul_bler`. Windows with fewer than
 * `min_samples` observations are not judged. An episode of such windows is reported from the first
 * observation at Pcmax of its first window; episodes of a cell less than a window apart are one anomaly.
 */
export class UeUlPowerLimitedDetection {
  private readonly agg = new Aggregator();
  private readonly headroom: number;
  private readonly minRatio: number;
  private readonly minBler: number;
  private readonly minSamples: number;
  private readonly windowNs: bigint;
  private readonly cells: CellStates<CellPower>;

  constructor(t: ResolvedThresholds) {
    this.headroom = numberOption(t, 'ul_power_limited', 'headroom_db', 1);
    this.minRatio = numberOption(t, 'ul_power_limited', 'min_limited_ratio', 0.8);
    this.minBler = numberOption(t, 'ul_power_limited', 'min_ul_bler', 0.1);
    this.minSamples = numberOption(t, 'ul_power_limited', 'min_samples', 10);
    this.windowNs = BigInt(Math.round(numberOption(t, 'ul_power_limited', 'window_ms', 1000))) * NS_PER_MS;
    const bucketNs = this.windowNs / BigInt(BUCKETS);
    this.cells = new CellStates<CellPower>(
      () => ({
        window: new SlidingBuckets(bucketNs > 0n ? bucketNs : 1n, BUCKETS, 4),
        episode: undefined,
        pcmax: undefined,
      }),
      (c) => this.end(c),
    );
  }

  onPusch(s: PuschPowerSample): void {
    const c = this.cells.get(s.cell);
    if (c.window.leaves(s.tsNs)) this.judge(c);
    const limited = s.headroomDb <= this.headroom;
    c.window.add(s, [1, limited ? 1 : 0, s.retx !== undefined ? 1 : 0, s.retx ? 1 : 0], limited, s.headroomDb);
    if (s.pcmaxDbm !== undefined) c.pcmax = s.pcmaxDbm;
    this.agg.advance(s.tsNs);
  }

  finish(): AnomalyDraft[] {
    for (const c of this.cells.values()) this.end(c);
    return this.agg.finish();
  }

  private end(c: CellPower): void {
    if (!c.window.empty) this.judge(c);
    c.window.clear();
    this.close(c);
  }

  private judge(c: CellPower): void {
    const sums = c.window.sums();
    const n = sums[N]!;
    const ratio = n > 0 ? sums[LIMITED]! / n : 0;
    // UL BLER only when every observation of the window says whether it is a retransmission
    const ulBler = n > 0 && sums[KNOWN] === n ? sums[RETX]! / n : undefined;
    const limited = n >= this.minSamples && ratio >= this.minRatio && (ulBler === undefined || ulBler >= this.minBler);
    const windowMin = c.window.min();
    if (!limited) {
      this.close(c);
      return;
    }
    const e = (c.episode ??= {
      start: c.window.firstHit() ?? c.window.first(),
      last: c.window.lastHit() ?? c.window.last(),
      ratio: 0,
      n: 0,
      ulBler,
      windows: 0,
      minHeadroom: windowMin,
      pcmax: c.pcmax,
    });
    e.last = c.window.lastHit() ?? c.window.last();
    e.windows++;
    if (n > e.n || (n === e.n && ratio > e.ratio)) {
      e.n = n;
      e.ratio = ratio;
      e.ulBler = ulBler;
    }
    if (windowMin < e.minHeadroom) e.minHeadroom = windowMin;
    if (c.pcmax !== undefined) e.pcmax = c.pcmax;
  }

  private close(c: CellPower): void {
    const e = c.episode;
    if (!e) return;
    c.episode = undefined;
    this.agg.add(
      ueOccurrence(
        'ul_power_limited',
        'major',
        e.ulBler !== undefined ? 0.9 : 0.7,
        {
          tsNs: e.start.tsNs,
          recordIndex: e.start.recordIndex,
          cell: e.start.cell,
          rnti: e.start.rnti,
          endTsNs: e.last.tsNs,
          endRecordIndex: e.last.recordIndex,
          records: Math.max(1, e.last.recordIndex - e.start.recordIndex + 1),
        },
        `PUSCH at Pcmax${e.pcmax !== undefined ? ` ${e.pcmax} dBm` : ''} in ${(e.ratio * 100).toFixed(0)} % of ${e.n} transmissions in ${Number(this.windowNs / NS_PER_MS)} ms on ${cellText(e.start.cell)}${e.ulBler !== undefined ? `, UL BLER ${(e.ulBler * 100).toFixed(1)} %` : ' (UL BLER not in the log)'}`,
        {
          limited_ratio: Math.round(e.ratio * 1000) / 1000,
          min_headroom_db: e.minHeadroom,
          ...(e.pcmax !== undefined ? { pcmax_dbm: e.pcmax } : {}),
          transmissions: e.n,
          ...(e.ulBler !== undefined ? { ul_bler: Math.round(e.ulBler * 1000) / 1000 } : { ul_bler: 'not in the log' }),
          windows_above: e.windows,
          headroom_db_threshold: this.headroom,
          min_limited_ratio_threshold: this.minRatio,
          min_ul_bler_threshold: this.minBler,
          window_ms: Number(this.windowNs / NS_PER_MS),
        },
        { burstGapNs: this.windowNs },
      ),
    );
  }
}
