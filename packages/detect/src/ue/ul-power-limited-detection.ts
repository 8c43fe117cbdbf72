import type { AnomalyDraft } from '@l1t/contracts';
import { Aggregator } from '../framework/aggregator.js';
import type { ResolvedThresholds } from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { cellText, type PuschPowerSample } from './ue-link-samples.js';
import { CellStates, ueOccurrence } from './ue-occurrence.js';

const NS_PER_MS = 1_000_000n;

interface PowerWindow {
  first: PuschPowerSample | undefined;
  last: PuschPowerSample | undefined;
  startNs: bigint;
  n: number;
  limited: number;
  /** Transmissions whose retransmission flag is known, and how many of them are retransmissions. */
  known: number;
  retx: number;
  minHeadroom: number;
  pcmax: number | undefined;
}

/**
 * `ul_power_limited` (anomalies.md: PUSCH at Pcmax while UL BLER is high, ≥ 1 s; TS 38.213 §7.1.1, TS
 * 36.213 §5.1.1.1: PUSCH power is min(Pcmax, open/closed loop power), so a UE at Pcmax cannot follow
 * further TPC up commands and its uplink degrades). Per cell, per window of `window_ms` (tumbling): the
 * share of PUSCH transmissions within `headroom_db` of Pcmax reaches `min_limited_ratio` and, when the
 * log says which transmissions are HARQ retransmissions, the UL BLER (share of retransmissions) reaches
 * `min_ul_bler`. Windows with fewer than `min_samples` transmissions are not judged. Consecutive limited
 * windows of a cell are one anomaly.
 */
export class UeUlPowerLimitedDetection {
  private readonly agg = new Aggregator();
  private readonly headroom: number;
  private readonly minRatio: number;
  private readonly minBler: number;
  private readonly minSamples: number;
  private readonly windowNs: bigint;
  private readonly cells = new CellStates<PowerWindow>(
    () => ({
      first: undefined,
      last: undefined,
      startNs: 0n,
      n: 0,
      limited: 0,
      known: 0,
      retx: 0,
      minHeadroom: Infinity,
      pcmax: undefined,
    }),
    (w) => this.close(w),
  );

  constructor(t: ResolvedThresholds) {
    this.headroom = numberOption(t, 'ul_power_limited', 'headroom_db', 1);
    this.minRatio = numberOption(t, 'ul_power_limited', 'min_limited_ratio', 0.8);
    this.minBler = numberOption(t, 'ul_power_limited', 'min_ul_bler', 0.1);
    this.minSamples = numberOption(t, 'ul_power_limited', 'min_samples', 10);
    this.windowNs = BigInt(Math.round(numberOption(t, 'ul_power_limited', 'window_ms', 1000))) * NS_PER_MS;
  }

  onPusch(s: PuschPowerSample): void {
    const w = this.cells.get(s.cell);
    if (w.first !== undefined && s.tsNs - w.startNs >= this.windowNs) this.close(w);
    if (w.first === undefined) {
      w.first = s;
      w.startNs = s.tsNs;
    }
    w.last = s;
    w.n++;
    if (s.headroomDb <= this.headroom) w.limited++;
    if (s.retx !== undefined) {
      w.known++;
      if (s.retx) w.retx++;
    }
    if (s.headroomDb < w.minHeadroom) w.minHeadroom = s.headroomDb;
    if (s.pcmaxDbm !== undefined) w.pcmax = s.pcmaxDbm;
    this.agg.advance(s.tsNs);
  }

  finish(): AnomalyDraft[] {
    for (const w of this.cells.values()) this.close(w);
    return this.agg.finish();
  }

  private close(w: PowerWindow): void {
    const { first, last, n, limited, known, retx, minHeadroom, pcmax } = w;
    w.first = undefined;
    w.last = undefined;
    w.n = w.limited = w.known = w.retx = 0;
    w.minHeadroom = Infinity;
    w.pcmax = undefined;
    if (!first || !last || n < this.minSamples) return;
    const ratio = limited / n;
    if (ratio < this.minRatio) return;
    // UL BLER only when every transmission of the window says whether it is a retransmission
    const ulBler = known === n ? retx / n : undefined;
    if (ulBler !== undefined && ulBler < this.minBler) return;
    this.agg.add(
      ueOccurrence(
        'ul_power_limited',
        'major',
        ulBler !== undefined ? 0.9 : 0.7,
        {
          tsNs: first.tsNs,
          recordIndex: first.recordIndex,
          cell: first.cell,
          rnti: first.rnti,
          endTsNs: last.tsNs,
          endRecordIndex: last.recordIndex,
          records: n,
        },
        `PUSCH at Pcmax${pcmax !== undefined ? ` ${pcmax} dBm` : ''} in ${(ratio * 100).toFixed(0)} % of ${n} transmissions on ${cellText(first.cell)}${ulBler !== undefined ? `, UL BLER ${(ulBler * 100).toFixed(1)} %` : ' (UL BLER not in the log)'}`,
        {
          limited_ratio: Math.round(ratio * 1000) / 1000,
          min_headroom_db: minHeadroom,
          ...(pcmax !== undefined ? { pcmax_dbm: pcmax } : {}),
          transmissions: n,
          ...(ulBler !== undefined ? { ul_bler: Math.round(ulBler * 1000) / 1000 } : { ul_bler: 'not in the log' }),
          headroom_db_threshold: this.headroom,
          min_limited_ratio_threshold: this.minRatio,
          min_ul_bler_threshold: this.minBler,
          window_ms: Number(this.windowNs / NS_PER_MS),
        },
        { totals: { limited_transmissions: limited, transmissions: n }, burstGapNs: this.windowNs },
      ),
    );
  }
}
