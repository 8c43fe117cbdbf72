import type { UeEvent } from '@l1t/capture';
import type { AnomalyDraft } from '@l1t/contracts';
import { Aggregator } from '../../framework/aggregator.js';
import type { ResolvedThresholds } from '../../framework/detector.js';
import { numberOption } from '../../framework/thresholds.js';
import { ueEventOccurrence } from './ue-event-occurrence.js';

/**
 * `abnormal_detach` (anomalies.md: abnormal or network-forced detach): a detach (5G deregistration) the log
 * marks abnormal, failed or timed out, or one the network forced (TS 24.301 §5.5.2.3: network-initiated
 * detach; reported unless `network_forced` is false). A UE's own normal detach (switch-off, request) is not.
 * Detaches of one UE less than `burst_gap_s` apart are one finding.
 */
export class UeAbnormalDetachDetection {
  private readonly agg = new Aggregator();
  private readonly gapNs: bigint;
  private readonly networkForced: boolean;

  constructor(t: ResolvedThresholds) {
    this.gapNs = BigInt(Math.round(numberOption(t, 'abnormal_detach', 'burst_gap_s', 60) * 1000)) * 1_000_000n;
    this.networkForced = t.abnormal_detach?.network_forced !== false;
  }

  onEvent(e: UeEvent): void {
    this.agg.advance(e.tsNs);
    if (e.procedure !== 'detach') return;
    const abnormal = e.outcome === 'abnormal' || e.outcome === 'failed' || e.outcome === 'timeout';
    const network = e.outcome === 'network' && this.networkForced;
    if (!abnormal && !network) return;
    this.agg.add(
      ueEventOccurrence(
        'abnormal_detach',
        'major',
        0.9,
        e,
        `${network ? 'network-forced' : e.outcome === 'abnormal' ? 'abnormal' : e.outcome} detach of ${e.ue}${e.cause ? ` (cause ${e.cause})` : ''}`,
        {
          outcome: e.outcome,
          ...(e.cause ? { cause: e.cause } : {}),
          threshold: `any abnormal${this.networkForced ? ' or network-forced' : ''} detach`,
        },
        this.gapNs,
        { [network ? 'network_forced' : 'abnormal']: 1 },
      ),
    );
  }

  finish(): AnomalyDraft[] {
    return this.agg.finish();
  }
}
