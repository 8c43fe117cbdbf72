import type { AnomalyDraft } from '@l1t/contracts';
import { Aggregator } from '../framework/aggregator.js';
import type { ResolvedThresholds } from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { cellText, type PdschTbSample } from './ue-link-samples.js';
import { CellStates, ueOccurrence } from './ue-occurrence.js';

const NS_PER_MS = 1_000_000n;

interface BlerWindow {
  first: PdschTbSample | undefined;
  last: PdschTbSample | undefined;
  startNs: bigint;
  initial: number;
  nacked: number;
  retx: number;
}

/**
 * `bler_high` (anomalies.md: initial-transmission BLER above the link-adaptation target, > 10 % over
 * ≥ 100 TBs). Link adaptation aims at a BLER of about 10 % on first transmissions (TS 36.213 §7.2.3, TS
 * 38.214 §5.2.2.1: the CQI is the highest whose TB error probability stays under 0.1), so the detector counts
 * only initial transmissions: per cell, per window of `window_ms` (tumbling, from the cell's first TB), the
 * share of initial TBs whose CRC failed. A window with at least `min_tbs` initial TBs and a BLER above
 * `max_bler` is an occurrence; consecutive high windows of a cell are one anomaly (shared aggregator).
 */
export class UeBlerHighDetection {
  private readonly agg = new Aggregator();
  private readonly maxBler: number;
  private readonly minTbs: number;
  private readonly windowNs: bigint;
  private readonly cells = new CellStates<BlerWindow>(
    () => ({ first: undefined, last: undefined, startNs: 0n, initial: 0, nacked: 0, retx: 0 }),
    (w) => this.close(w),
  );

  constructor(t: ResolvedThresholds) {
    this.maxBler = numberOption(t, 'bler_high', 'max_bler', 0.1);
    this.minTbs = numberOption(t, 'bler_high', 'min_tbs', 100);
    this.windowNs = BigInt(Math.round(numberOption(t, 'bler_high', 'window_ms', 1000))) * NS_PER_MS;
  }

  onTb(s: PdschTbSample): void {
    const w = this.cells.get(s.cell);
    if (w.first !== undefined && s.tsNs - w.startNs >= this.windowNs) this.close(w);
    if (w.first === undefined) {
      w.first = s;
      w.startNs = s.tsNs;
    }
    w.last = s;
    if (s.isRetx) {
      w.retx++;
    } else {
      w.initial++;
      if (!s.crcPass) w.nacked++;
    }
    this.agg.advance(s.tsNs);
  }

  finish(): AnomalyDraft[] {
    for (const w of this.cells.values()) this.close(w);
    return this.agg.finish();
  }

  private close(w: BlerWindow): void {
    const { first, last } = w;
    const initial = w.initial;
    const nacked = w.nacked;
    const retx = w.retx;
    w.first = undefined;
    w.last = undefined;
    w.initial = 0;
    w.nacked = 0;
    w.retx = 0;
    if (!first || !last || initial < this.minTbs) return;
    const bler = nacked / initial;
    if (bler <= this.maxBler) return;
    const pct = (bler * 100).toFixed(1);
    this.agg.add(
      ueOccurrence(
        'bler_high',
        'major',
        // more TBs, surer estimate
        initial >= 4 * this.minTbs ? 0.95 : 0.85,
        {
          tsNs: first.tsNs,
          recordIndex: first.recordIndex,
          cell: first.cell,
          rnti: first.rnti,
          endTsNs: last.tsNs,
          endRecordIndex: last.recordIndex,
          records: initial + retx,
        },
        `DL BLER ${pct} % over ${initial} initial transmissions on ${cellText(first.cell)}`,
        {
          bler: Math.round(bler * 10000) / 10000,
          initial_tbs: initial,
          nacked_initial_tbs: nacked,
          retransmissions: retx,
          max_bler_threshold: this.maxBler,
          min_tbs: this.minTbs,
          window_ms: Number(this.windowNs / NS_PER_MS),
        },
        { totals: { initial_tbs: initial, nacked_initial_tbs: nacked }, burstGapNs: this.windowNs },
      ),
    );
  }
}
