import type { AnomalyDraft } from '@l1t/contracts';
import { Aggregator } from '../framework/aggregator.js';
import { cellText, type RachAttemptSample } from './ue-link-samples.js';
import { ueOccurrence } from './ue-occurrence.js';

const WHAT: Record<string, string> = {
  no_rar: 'no random access response (Msg2)',
  contention_lost: 'contention resolution failed (Msg4)',
  failure: 'attempt failed',
};

/**
 * `rach_failure` (anomalies.md: any; TS 38.321 §5.1, TS 36.321 §5.1): a random access attempt that did
 * not succeed — no RAR within the response window (§5.1.4), contention resolution lost (§5.1.5), or another
 * failure the log names; the attempt that reaches preambleTransMax is the failure of the whole procedure
 * (a random access problem for RRC, one cause of radio link failure). Failed attempts of one cell less
 * than 1 s apart are one anomaly; `evidence.totals` counts them per kind.
 */
export class UeRachFailureDetection {
  private readonly agg = new Aggregator();

  onAttempt(s: RachAttemptSample): void {
    this.agg.advance(s.tsNs);
    if (s.result === 'success') return;
    const procedureFailed =
      s.attempt !== undefined && s.preambleTransMax !== undefined && s.attempt >= s.preambleTransMax;
    this.agg.add(
      ueOccurrence(
        'rach_failure',
        procedureFailed ? 'critical' : 'major',
        0.9,
        { tsNs: s.tsNs, recordIndex: s.recordIndex, cell: s.cell, rnti: s.rnti, records: 1 },
        `random access on ${cellText(s.cell)}: ${WHAT[s.result]}${s.attempt !== undefined ? ` (attempt ${s.attempt}${s.preambleTransMax !== undefined ? ` of ${s.preambleTransMax}` : ''})` : ''}${procedureFailed ? ', preambleTransMax reached' : ''}`,
        {
          result: s.result,
          ...(s.attempt !== undefined ? { attempt: s.attempt } : {}),
          ...(s.preambleTransMax !== undefined ? { preamble_trans_max: s.preambleTransMax } : {}),
          ...(s.contention ? { contention: s.contention } : {}),
          ...(s.preamble !== undefined ? { preamble: s.preamble } : {}),
          procedure_failed: procedureFailed,
          threshold: 'any failed attempt',
        },
        { totals: { [s.result]: 1, ...(procedureFailed ? { procedures_failed: 1 } : {}) } },
      ),
    );
  }

  finish(): AnomalyDraft[] {
    return this.agg.finish();
  }
}
