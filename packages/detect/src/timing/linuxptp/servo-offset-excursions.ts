import type { AnomalyDraft } from '@l1t/contracts';
import { isLocked, logFinding, type ServoSample } from './linuxptp-finding.js';

/**
 * `ptp_time_error` from servo offsets: a locked servo (s2/s3) reporting |offset| above the budget
 * (`ptp_time_error.max_abs_offset_ns`, G.8271.1's 1.1 µs by default). The offset is the servo's own
 * measurement of its master after its last correction — not a time error measured against a reference —
 * and the finding says so. Samples beyond the budget separated by fewer than {@link CLOSE_AFTER_IN_BUDGET}
 * in-budget locked samples are one excursion (a noisy servo gives one finding, not hundreds), with its
 * worst sample and how many of its samples were beyond the budget. Unlocked samples (s0/s1) are the
 * servo-lock detector's; they end nothing here.
 */
const CLOSE_AFTER_IN_BUDGET = 10;

interface Excursion {
  first: ServoSample;
  last: ServoSample;
  worst: ServoSample;
  beyond: number;
  locked: number;
  inBudgetRun: number;
}

export class ServoOffsetExcursions {
  private open: Excursion | undefined;
  readonly findings: AnomalyDraft[] = [];

  constructor(
    private readonly source: string,
    private readonly maxAbsNs: number,
  ) {}

  onSample(s: ServoSample): void {
    if (!isLocked(s.servoState)) return;
    const e = this.open;
    if (Math.abs(s.offsetNs) > this.maxAbsNs) {
      if (!e) {
        this.open = { first: s, last: s, worst: s, beyond: 1, locked: 1, inBudgetRun: 0 };
        return;
      }
      e.last = s;
      e.beyond++;
      e.locked++;
      e.inBudgetRun = 0;
      if (Math.abs(s.offsetNs) > Math.abs(e.worst.offsetNs)) e.worst = s;
      return;
    }
    if (!e) return;
    e.locked++;
    if (++e.inBudgetRun >= CLOSE_AFTER_IN_BUDGET) this.close();
  }

  finish(): AnomalyDraft[] {
    this.close();
    return this.findings;
  }

  private close(): void {
    const e = this.open;
    if (!e) return;
    this.open = undefined;
    const w = e.worst;
    const lockedInSpan = e.locked - e.inBudgetRun;
    this.findings.push(
      logFinding(
        'ptp_time_error',
        'major',
        0.5,
        {
          firstLine: e.first.line,
          firstS: e.first.monoS,
          lastLine: e.last.line,
          lastS: e.last.monoS,
          lines: e.last.line - e.first.line + 1,
        },
        this.source,
        `${this.source}: servo offset up to ${w.offsetNs} ns while locked (budget ±${this.maxAbsNs} ns), ${e.beyond} of ${lockedInSpan} samples beyond it — servo offsets, not a measured time error`,
        {
          basis: 'servo_offset',
          note: "the servo's own offset from its master after each correction, not a time error against an independent reference",
          max_abs_offset_ns: this.maxAbsNs,
          worst_offset_ns: w.offsetNs,
          ...(w.summaryRmsNs !== undefined
            ? {
                worst_from_summary: true,
                summary_rms_ns: w.summaryRmsNs,
                summary_note: 'max |offset| of a summary_interval line: sign unknown',
              }
            : {}),
          worst_line: w.line,
          samples_beyond: e.beyond,
          locked_samples: lockedInSpan,
          ...(w.delayNs !== undefined ? { path_delay_ns_at_worst: w.delayNs } : {}),
          freq_ppb_at_worst: w.freqPpb,
        },
      ),
    );
  }
}
