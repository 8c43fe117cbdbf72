import type { AnomalyDraft, Severity } from '@l1t/contracts';
import type { DetectionSink, ResolvedThresholds } from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { isoNs } from '../time-format.js';
import { SlidingMax } from './sliding-max.js';

/** One serving-cell measurement (0xB193 cell, 0xB17F record …) as the detectors see it. */
export interface ServingCellSample {
  tsNs: bigint;
  /** 1-based record index in the log. */
  recordIndex: number;
  earfcn: number;
  pci: number;
  /** Combined RSRP (dBm), null when not measured. */
  rsrp: number | null;
  rsrq: number | null;
  /** SINR (dB): the best receive chain's SNR where the log gives per-chain values. */
  sinr: number | null;
  /** RSRP per receive chain (dBm), null for a chain not measured. */
  rsrpRx: readonly (number | null)[];
}

/** Samples further apart than this break a sustained condition (the UE stopped measuring). */
const MAX_SAMPLE_GAP_NS = 2_000_000_000n;
/** Drops of one cell closer than this are one anomaly (burst). */
const DROP_BURST_GAP_NS = 1_000_000_000n;
/** Cells tracked at once (state is dropped for the least recently seen beyond this). */
const MAX_CELLS = 256;
const NS_PER_MS = 1_000_000n;
/** With a sink: findings handed over once this many are closed (the detection's batch size). */
const BATCH = 1000;

interface Episode {
  startTs: bigint;
  startIndex: number;
  lastTs: bigint;
  lastIndex: number;
  samples: number;
  worst: number;
  sum: number;
}

interface Drop {
  startTs: bigint;
  startIndex: number;
  lastTs: bigint;
  lastIndex: number;
  count: number;
  from: number;
  to: number;
  drop: number;
  /**
   * From the best value to the drop's deepest sample, in whole microseconds: made milliseconds (÷ 1000) only
   * when the drop is reported — the division in drop() had small-integer feedback until the first fractional
   * span, which deoptimised onSample with drop() inlined ('lost precision', issue 13).
   */
  spanUs: number;
}

interface CellState {
  key: string;
  earfcn: number;
  pci: number;
  lastTs: bigint;
  low?: Episode | undefined;
  imbalance?: Episode | undefined;
  /** The values of the last `window_ms` (sliding-max.ts: their best in O(1)). */
  rsrpWindow: SlidingMax;
  sinrWindow: SlidingMax;
  rsrpDrop?: Drop | undefined;
  sinrDrop?: Drop | undefined;
}

/**
 * Serving-cell detectors of the UE side (anomalies.md): `rsrp_low` (below `max_rsrp_dbm` for
 * `min_duration_ms`), `rx_imbalance` (chains differ by more than `min_delta_db` for `min_duration_ms`),
 * `rsrp_drop` / `sinr_drop` (a fall of more than `min_drop_db` from the best value of the last `window_ms`).
 * Per cell (EARFCN, PCI), so a handover is not a drop. A sustained condition or a burst of drops is one
 * anomaly with its span and count. (The per-second KPIs of these samples are the DIAG analyzer's KPI
 * windows' — pipeline diag-kpi.ts — one aggregation of a serving cell's second, not one here too.)
 * With a sink, findings leave in batches as they close, so memory does not grow with the log (one open
 * window per cell); without one, {@link finish} returns them all.
 */
export class UeServingCellDetection {
  private readonly cells = new Map<string, CellState>();
  private anomalies: AnomalyDraft[] = [];
  /** The cell of the previous sample: most samples are of the cell before them (no key string, no re-insert). */
  private lastCell: CellState | undefined;
  /**
   * The cell of a sample before, other than {@link lastCell}: where two cells alternate (the PCell and an
   * SCell of a record, two subscriptions of a dual-SIM log) each sample is of the cell before the last one —
   * found here without building its key (issue 13: lookup() was 0.7 % of the 400 MB bench:diag profile).
   */
  private prevCell: CellState | undefined;
  private readonly lowMax: number;
  private readonly lowMinNs: bigint;
  private readonly imbMin: number;
  private readonly imbMinNs: bigint;
  private readonly rsrpDropMin: number;
  private readonly rsrpWindowNs: bigint;
  private readonly sinrDropMin: number;
  private readonly sinrWindowNs: bigint;

  constructor(
    t: ResolvedThresholds,
    private readonly sink?: DetectionSink,
  ) {
    this.lowMax = numberOption(t, 'rsrp_low', 'max_rsrp_dbm', -115);
    this.lowMinNs = BigInt(Math.round(numberOption(t, 'rsrp_low', 'min_duration_ms', 1000))) * NS_PER_MS;
    this.imbMin = numberOption(t, 'rx_imbalance', 'min_delta_db', 6);
    this.imbMinNs = BigInt(Math.round(numberOption(t, 'rx_imbalance', 'min_duration_ms', 1000))) * NS_PER_MS;
    this.rsrpDropMin = numberOption(t, 'rsrp_drop', 'min_drop_db', 10);
    this.rsrpWindowNs = BigInt(Math.round(numberOption(t, 'rsrp_drop', 'window_ms', 500))) * NS_PER_MS;
    this.sinrDropMin = numberOption(t, 'sinr_drop', 'min_drop_db', 10);
    this.sinrWindowNs = BigInt(Math.round(numberOption(t, 'sinr_drop', 'window_ms', 500))) * NS_PER_MS;
  }

  /** `s` is read during the call only (the DIAG analyzer refills one object per sample): what is kept is copied. */
  onSample(s: ServingCellSample): void {
    const c = this.cell(s);
    const low = s.rsrp !== null && s.rsrp < this.lowMax;
    // rx_imbalance: the first two chains, both measured
    const r0 = s.rsrpRx[0];
    const r1 = s.rsrpRx[1];
    const delta = r0 != null && r1 != null ? Math.abs(r0 - r1) : null;
    const imbalance = delta !== null && delta > this.imbMin;
    // Every episode that ends here (a gap: all; RSRP back above the low limit; both chains measured and within
    // the imbalance limit) is closed through the one closeSustained() call site, which a new cell's first
    // sample meets (its gap branch). An rsrp_low or rx_imbalance ending in its own branch was a call site that
    // compiled code met first — no type feedback for `this.closeEpisode` — and deoptimised onSample and
    // servingCells, which inlines it (issue 13). Closing before extending: extend() reports nothing, so the
    // findings keep their order.
    const gap = s.tsNs - c.lastTs > MAX_SAMPLE_GAP_NS;
    const lowEnds = !low && c.low !== undefined;
    const imbalanceEnds = delta !== null && !imbalance && c.imbalance !== undefined;
    if (gap || lowEnds || imbalanceEnds) this.closeSustained(c, gap, lowEnds, imbalanceEnds);
    c.lastTs = s.tsNs;
    if (low) c.low = extend(c.low, s, s.rsrp!, Math.min);
    if (imbalance) c.imbalance = extend(c.imbalance, s, delta, Math.max);
    // drops
    if (s.rsrp !== null)
      c.rsrpDrop = this.drop(c, c.rsrpWindow, c.rsrpDrop, s, s.rsrp, this.rsrpWindowNs, this.rsrpDropMin, 'rsrp_drop');
    if (s.sinr !== null)
      c.sinrDrop = this.drop(c, c.sinrWindow, c.sinrDrop, s, s.sinr, this.sinrWindowNs, this.sinrDropMin, 'sinr_drop');
  }

  /** Closes every cell; the findings not handed to the sink (all of them without one). */
  finish(): AnomalyDraft[] {
    for (const c of this.cells.values()) this.closeAll(c);
    this.cells.clear();
    this.lastCell = undefined;
    this.prevCell = undefined;
    if (this.sink) {
      this.handOver();
      return [];
    }
    return this.anomalies;
  }

  /** The closed findings to the sink (a new array: the sink may keep the batch). */
  private handOver(): void {
    if (this.anomalies.length > 0) {
      this.sink!.anomalies(this.anomalies);
      this.anomalies = [];
    }
  }

  private cell(s: ServingCellSample): CellState {
    const last = this.lastCell;
    // Already the most recently seen entry of the map: nothing to reorder.
    if (last !== undefined && last.earfcn === s.earfcn && last.pci === s.pci) return last;
    const c = this.lookup(s);
    this.prevCell = last;
    this.lastCell = c;
    return c;
  }

  private lookup(s: ServingCellSample): CellState {
    // The cell before the last one: its kept key, no key string, no map search. (One re-insert below for
    // both ways: code first met by compiled callers deoptimises them.)
    const prev = this.prevCell;
    let key: string;
    let c: CellState | undefined;
    if (prev !== undefined && prev.earfcn === s.earfcn && prev.pci === s.pci) {
      key = prev.key;
      c = prev;
    } else {
      key = `${s.earfcn}/${s.pci}`;
      c = this.cells.get(key);
    }
    if (c) {
      this.cells.delete(key); // re-insert: the map's order is least recently seen first
      this.cells.set(key, c);
      return c;
    }
    if (this.cells.size >= MAX_CELLS) {
      const [oldKey, old] = this.cells.entries().next().value as [string, CellState];
      this.closeAll(old);
      this.cells.delete(oldKey);
      if (old === this.prevCell) this.prevCell = undefined; // (only with MAX_CELLS ≤ 2: it is the second most recent)
    }
    // every field set here, in the interface's order: fields added later (the episodes, the drops) gave a
    // cell's state a new hidden class at each, and the code reading it several (issue 13)
    c = {
      key,
      earfcn: s.earfcn,
      pci: s.pci,
      // as if long unmeasured: onSample's gap branch (closeSustained of this empty state: nothing to close)
      // runs at the first sample, not first in compiled code at the first real gap, which deoptimised it
      lastTs: s.tsNs - MAX_SAMPLE_GAP_NS - 1n,
      low: undefined,
      imbalance: undefined,
      rsrpWindow: new SlidingMax(),
      sinrWindow: new SlidingMax(),
      rsrpDrop: undefined,
      sinrDrop: undefined,
    };
    this.cells.set(key, c);
    return c;
  }

  private closeAll(c: CellState): void {
    this.closeSustained(c, true, false, false);
    c.rsrpDrop = this.emitDrop(c, c.rsrpDrop, 'rsrp_drop');
    c.sinrDrop = this.emitDrop(c, c.sinrDrop, 'sinr_drop');
  }

  /**
   * After a gap in the samples (`gap`): every sustained episode closed and the drop windows emptied; else the
   * episodes that ended at this sample (see onSample).
   */
  private closeSustained(c: CellState, gap: boolean, lowEnds: boolean, imbalanceEnds: boolean): void {
    if (gap || lowEnds) c.low = this.closeEpisode(c, c.low, 'rsrp_low');
    if (gap || imbalanceEnds) c.imbalance = this.closeEpisode(c, c.imbalance, 'rx_imbalance');
    if (!gap) return;
    c.rsrpWindow.clear();
    c.sinrWindow.clear();
  }

  private closeEpisode(c: CellState, e: Episode | undefined, type: 'rsrp_low' | 'rx_imbalance'): undefined {
    if (!e) return undefined;
    const spanNs = e.lastTs - e.startTs;
    const minNs = type === 'rsrp_low' ? this.lowMinNs : this.imbMinNs;
    if (spanNs < minNs) return undefined;
    const durationMs = Number(spanNs / 1000n) / 1000;
    const mean = round2(e.sum / e.samples);
    const cellText = `PCI ${c.pci} EARFCN ${c.earfcn}`;
    const seconds = (durationMs / 1000).toFixed(1);
    if (type === 'rsrp_low') {
      this.push(
        c,
        e,
        type,
        'major',
        0.9,
        `serving-cell RSRP below ${this.lowMax} dBm for ${seconds} s on ${cellText} (lowest ${e.worst} dBm)`,
        {
          min_rsrp_dbm: e.worst,
          mean_rsrp_dbm: mean,
          duration_ms: durationMs,
          samples: e.samples,
          max_rsrp_dbm_threshold: this.lowMax,
          min_duration_ms_threshold: Number(this.lowMinNs / NS_PER_MS),
        },
      );
    } else {
      this.push(
        c,
        e,
        type,
        'minor',
        0.7,
        `receive chains differ by up to ${e.worst} dB for ${seconds} s on ${cellText} (mean ${mean} dB)`,
        {
          max_delta_db: e.worst,
          mean_delta_db: mean,
          duration_ms: durationMs,
          samples: e.samples,
          min_delta_db_threshold: this.imbMin,
          min_duration_ms_threshold: Number(this.imbMinNs / NS_PER_MS),
        },
      );
    }
    return undefined;
  }

  private drop(
    c: CellState,
    win: SlidingMax,
    open: Drop | undefined,
    s: ServingCellSample,
    v: number,
    windowNs: bigint,
    minDrop: number,
    type: 'rsrp_drop' | 'sinr_drop',
  ): Drop | undefined {
    // the best (latest of equal) value of the samples before this one within windowNs, then this one
    win.expire(s.tsNs, windowNs);
    const best = win.best;
    const bestTs = win.bestTs(s.tsNs);
    win.push(s.tsNs, v);
    if (open && s.tsNs - open.lastTs > DROP_BURST_GAP_NS) open = this.emitDrop(c, open, type);
    const fall = best - v;
    if (!(fall > minDrop)) return open;
    const spanUs = Number((s.tsNs - bestTs) / 1000n);
    // A new drop starts as an empty one (no sample, -Infinity deepest) that this sample then extends like an
    // open one: the first candidate of a fresh process runs every line below, so the next one — often in
    // compiled code — meets none without type feedback (a new drop and an open one in branches of their own
    // were two first-met paths, each deoptimising onSample with drop() inlined, issue 13). The values fields
    // are doubles from the start: fields whose first values were small integers (a −95 dBm) were re-shaped at
    // the first fraction, and the code reading open drops deoptimised ('wrong map').
    const d: Drop = open ?? {
      startTs: s.tsNs,
      startIndex: s.recordIndex,
      lastTs: s.tsNs,
      lastIndex: s.recordIndex,
      count: 0,
      from: NaN,
      to: NaN,
      drop: -Infinity,
      spanUs: NaN,
    };
    d.lastTs = s.tsNs;
    d.lastIndex = s.recordIndex;
    d.count++;
    if (fall > d.drop) {
      d.drop = fall;
      d.from = best;
      d.to = v;
      d.spanUs = spanUs;
    }
    return d;
  }

  private emitDrop(c: CellState, d: Drop | undefined, type: 'rsrp_drop' | 'sinr_drop'): undefined {
    if (!d) return undefined;
    const what = type === 'rsrp_drop' ? 'RSRP' : 'SINR';
    const unit = type === 'rsrp_drop' ? 'dBm' : 'dB';
    const spanMs = d.spanUs / 1000;
    const minDrop = type === 'rsrp_drop' ? this.rsrpDropMin : this.sinrDropMin;
    const windowMs = Number((type === 'rsrp_drop' ? this.rsrpWindowNs : this.sinrWindowNs) / NS_PER_MS);
    const e: Episode = {
      startTs: d.startTs,
      startIndex: d.startIndex,
      lastTs: d.lastTs,
      lastIndex: d.lastIndex,
      samples: d.count,
      worst: 0,
      sum: 0,
    };
    this.push(
      c,
      e,
      type,
      'major',
      0.85,
      `serving-cell ${what} fell ${round2(d.drop)} dB (${d.from} → ${d.to} ${unit}) within ${spanMs} ms on PCI ${c.pci} EARFCN ${c.earfcn}`,
      {
        [`from_${unit.toLowerCase()}`]: d.from,
        [`to_${unit.toLowerCase()}`]: d.to,
        drop_db: round2(d.drop),
        within_ms: spanMs,
        samples_below: d.count,
        min_drop_db_threshold: minDrop,
        window_ms_threshold: windowMs,
      },
    );
    return undefined;
  }

  private push(
    c: CellState,
    e: Episode,
    type: string,
    severity: Severity,
    confidence: number,
    description: string,
    evidence: Record<string, unknown>,
  ): void {
    this.anomalies.push({
      type,
      source: 'ue',
      severity,
      confidence,
      timestamp: isoNs(e.startTs),
      ...(e.lastTs > e.startTs ? { end_timestamp: isoNs(e.lastTs) } : {}),
      packet_index: e.startIndex,
      packet_count: Math.max(1, e.samples),
      radio: { cell: c.key, pci: c.pci, earfcn: c.earfcn },
      description,
      evidence,
    });
    if (this.sink && this.anomalies.length >= BATCH) this.handOver();
  }
}

function extend(
  e: Episode | undefined,
  s: ServingCellSample,
  v: number,
  pick: (a: number, b: number) => number,
): Episode {
  if (!e)
    return {
      startTs: s.tsNs,
      startIndex: s.recordIndex,
      lastTs: s.tsNs,
      lastIndex: s.recordIndex,
      samples: 1,
      worst: v,
      sum: v,
    };
  e.lastTs = s.tsNs;
  e.lastIndex = s.recordIndex;
  e.samples++;
  e.worst = pick(e.worst, v);
  e.sum += v;
  return e;
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}
