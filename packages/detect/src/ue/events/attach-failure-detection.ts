import type { UeEvent } from '@l1t/capture';
import type { AnomalyDraft } from '@l1t/contracts';
import { Aggregator } from '../../framework/aggregator.js';
import type { ResolvedThresholds } from '../../framework/detector.js';
import { numberOption } from '../../framework/thresholds.js';
import { ueEventOccurrence } from './ue-event-occurrence.js';

/**
 * `attach_failure` (anomalies.md: rejected / timed-out attach): an attach (or 5G registration, or its
 * authentication step) logged as failed — REJECT, FAIL, DENIED, authentication failure — or timed out
 * (T3410, TS 24.301 §5.5.1.2.6). Failures of one UE less than `burst_gap_s` apart are one finding counting
 * them; the evidence names the causes.
 */
export class UeAttachFailureDetection {
  private readonly agg = new Aggregator();
  private readonly gapNs: bigint;

  constructor(t: ResolvedThresholds) {
    this.gapNs = BigInt(Math.round(numberOption(t, 'attach_failure', 'burst_gap_s', 60) * 1000)) * 1_000_000n;
  }

  onEvent(e: UeEvent): void {
    this.agg.advance(e.tsNs);
    if (e.procedure !== 'attach' || (e.outcome !== 'failed' && e.outcome !== 'timeout')) return;
    const what = e.outcome === 'timeout' ? 'timed out' : 'failed';
    this.agg.add(
      ueEventOccurrence(
        'attach_failure',
        'major',
        0.95,
        e,
        `attach ${what} for ${e.ue}${e.cause ? ` (cause ${e.cause})` : ''}`,
        { outcome: e.outcome, ...(e.cause ? { cause: e.cause } : {}), threshold: 'any rejected or timed-out attach' },
        this.gapNs,
        { [e.outcome]: 1 },
      ),
    );
  }

  finish(): AnomalyDraft[] {
    return this.agg.finish();
  }
}
