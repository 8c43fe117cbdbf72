import type { AnomalyDraft } from '@l1t/contracts';
import { Aggregator } from '../framework/aggregator.js';
import type { ResolvedThresholds } from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { cellText, type TimingAdvanceSample } from './ue-link-samples.js';
import { CellStates, ueOccurrence } from './ue-occurrence.js';

/**
 * `timing_advance_jump` (anomalies.md: > 16 TA units between updates; TS 38.213 §4.2, TS 36.213 §4.2.3):
 * the UE's timing advance follows its distance to the cell, so between two updates it moves by a few
 * units (a TA command adjusts by −31…+32 units, 31 = no change); a larger step means a wrong RAR, a
 * reflection taking over the path or a network timing fault. Per cell the detector keeps the absolute
 * NTA (from the RAR) and applies relative commands to it; the step of an update is its change of NTA
 * (an absolute update with no earlier NTA on the cell is a start, not a step). A step larger than
 * `max_delta_ta` is an occurrence; steps of one cell less than 1 s apart are one anomaly.
 */
export class UeTimingAdvanceJumpDetection {
  private readonly agg = new Aggregator();
  private readonly maxDelta: number;
  private readonly cells = new CellStates<{ nta: number | undefined }>(
    () => ({ nta: undefined }),
    () => undefined,
  );

  constructor(t: ResolvedThresholds) {
    this.maxDelta = numberOption(t, 'timing_advance_jump', 'max_delta_ta', 16);
  }

  onUpdate(s: TimingAdvanceSample): void {
    this.agg.advance(s.tsNs);
    const c = this.cells.get(s.cell);
    const before = c.nta;
    let step: number | undefined;
    if (s.kind === 'absolute') {
      if (before !== undefined) step = s.value - before;
      c.nta = s.value;
    } else {
      step = s.value;
      if (before !== undefined) c.nta = before + s.value;
    }
    if (step === undefined || Math.abs(step) <= this.maxDelta) return;
    this.agg.add(
      ueOccurrence(
        'timing_advance_jump',
        'minor',
        s.kind === 'absolute' ? 0.8 : 0.9,
        { tsNs: s.tsNs, recordIndex: s.recordIndex, cell: s.cell, rnti: s.rnti, records: 1 },
        `timing advance ${step > 0 ? '+' : ''}${step} units in one ${s.kind === 'absolute' ? 'RAR' : 'TA command'} on ${cellText(s.cell)}`,
        {
          step_ta: step,
          ...(before !== undefined ? { from_ta: before } : {}),
          ...(c.nta !== undefined ? { to_ta: c.nta } : {}),
          update: s.kind,
          max_delta_ta_threshold: this.maxDelta,
        },
        { totals: { jumps: 1 } },
      ),
    );
  }

  finish(): AnomalyDraft[] {
    return this.agg.finish();
  }
}
