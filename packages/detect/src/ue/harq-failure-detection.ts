import type { AnomalyDraft } from '@l1t/contracts';
import { Aggregator } from '../framework/aggregator.js';
import type { ResolvedThresholds } from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { cellText, type PdschTbSample } from './ue-link-samples.js';
import { CellStates, ueOccurrence } from './ue-occurrence.js';

/** HARQ processes tracked per cell (LTE FDD 8, TDD up to 15, NR up to 16; 32 leaves room for two TBs). */
const MAX_PROCESSES = 32;

interface CellHarq {
  /** Transmissions so far of the TB each HARQ process holds (index = HARQ id). */
  tx: Int16Array;
  runFirst: PdschTbSample | undefined;
  runLength: number;
  runLast: PdschTbSample | undefined;
}

/**
 * `harq_failure` (anomalies.md: any max-retransmissions; ≥ 5 consecutive NACK; TS 38.321 §5.3.2 / TS 36.321
 * §5.3.2): a DL HARQ process gives up on a TB when its last allowed transmission fails too. Where the log
 * says so (NR 0xB888 "HARQ failure") that flag is used; where it does not (LTE 0xB173), the detector counts
 * the transmissions of each process's TB (a new TB restarts at 1) and a NACK on transmission
 * `max_transmissions` is max retransmissions reached (the NACK after the last RV of the 0, 2, 3, 1 cycle).
 * Separately, `min_consecutive_nack` NACKed TBs in a row on one cell (any process) are a NACK burst.
 * Occurrences of one cell less than 1 s apart are one anomaly.
 */
export class UeHarqFailureDetection {
  private readonly agg = new Aggregator();
  private readonly maxTx: number;
  private readonly minRun: number;
  private readonly cells = new CellStates<CellHarq>(
    () => ({ tx: new Int16Array(MAX_PROCESSES), runFirst: undefined, runLength: 0, runLast: undefined }),
    (c) => this.closeRun(c),
  );

  constructor(t: ResolvedThresholds) {
    this.maxTx = numberOption(t, 'harq_failure', 'max_transmissions', 4);
    this.minRun = numberOption(t, 'harq_failure', 'min_consecutive_nack', 5);
  }

  onTb(s: PdschTbSample): void {
    const c = this.cells.get(s.cell);
    this.agg.advance(s.tsNs);
    const p = s.harqId & (MAX_PROCESSES - 1);
    const tx = s.retxNumber !== undefined ? s.retxNumber + 1 : s.isRetx ? c.tx[p]! + 1 : 1;
    c.tx[p] = Math.min(tx, 0x7fff);
    const maxReached = s.harqFailure ?? (!s.crcPass && tx >= this.maxTx);
    if (maxReached) this.maxRetx(s, tx, s.harqFailure !== undefined);
    if (s.crcPass) {
      this.closeRun(c);
    } else {
      if (c.runLength === 0) c.runFirst = s;
      c.runLength++;
      c.runLast = s;
    }
  }

  finish(): AnomalyDraft[] {
    for (const c of this.cells.values()) this.closeRun(c);
    return this.agg.finish();
  }

  private maxRetx(s: PdschTbSample, tx: number, fromLog: boolean): void {
    this.agg.add(
      ueOccurrence(
        'harq_failure',
        'major',
        fromLog ? 0.95 : 0.85,
        { tsNs: s.tsNs, recordIndex: s.recordIndex, cell: s.cell, rnti: s.rnti, records: 1 },
        `HARQ process ${s.harqId} gave up a DL TB on ${cellText(s.cell)}: ${fromLog ? 'the log reports HARQ failure' : `NACK on transmission ${tx} (max ${this.maxTx})`}`,
        {
          reason: 'max_retransmissions',
          harq_id: s.harqId,
          rv: s.rv,
          transmissions: tx,
          ...(fromLog ? { logged_harq_failure: true } : { max_transmissions_threshold: this.maxTx }),
        },
        { totals: { max_retransmissions: 1 } },
      ),
    );
  }

  private closeRun(c: CellHarq): void {
    const first = c.runFirst;
    const last = c.runLast;
    const n = c.runLength;
    c.runFirst = undefined;
    c.runLength = 0;
    c.runLast = undefined;
    if (!first || !last || n < this.minRun) return;
    this.agg.add(
      ueOccurrence(
        'harq_failure',
        'major',
        0.9,
        {
          tsNs: first.tsNs,
          recordIndex: first.recordIndex,
          cell: first.cell,
          rnti: first.rnti,
          endTsNs: last.tsNs,
          endRecordIndex: last.recordIndex,
          records: n,
        },
        `${n} consecutive DL NACKs on ${cellText(first.cell)}`,
        { reason: 'nack_burst', consecutive_nacks: n, min_consecutive_nack_threshold: this.minRun },
        { totals: { nack_bursts: 1, nacked_tbs: n } },
      ),
    );
  }
}
