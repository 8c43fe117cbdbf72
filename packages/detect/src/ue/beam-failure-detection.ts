import type { AnomalyDraft } from '@l1t/contracts';
import { Aggregator } from '../framework/aggregator.js';
import { cellText, type BeamEventSample } from './ue-link-samples.js';
import { CellStates, ueOccurrence } from './ue-occurrence.js';

/** How long a recovery outcome is awaited after beam failure is detected (beamFailureRecoveryTimer ≤ 200 ms). */
const RECOVERY_WINDOW_NS = 1_000_000_000n;

interface Pending {
  first: BeamEventSample;
  last: BeamEventSample;
  records: number;
  maxBfi: number;
}

/**
 * `beam_failure` (anomalies.md: any; TS 38.321 §5.17): the MAC counts beam failure instance indications
 * from layer 1 and declares beam failure when BFI_COUNTER reaches beamFailureInstanceMaxCount, then starts
 * beam failure recovery (a contention-free random access on a candidate beam). NR only: LTE has no beam
 * failure procedure. A report with event `bfd`, a counter at its maximum, or a failed recovery (which
 * implies detection) opens an episode; the recovery outcome logged within 1 s is its evidence. Episodes
 * of one cell less than 1 s apart are one anomaly.
 */
export class UeBeamFailureDetection {
  private readonly agg = new Aggregator();
  private readonly cells = new CellStates<{ p: Pending | undefined }>(
    () => ({ p: undefined }),
    (c) => this.close(c, 'no recovery outcome in the log'),
  );

  onEvent(s: BeamEventSample): void {
    this.agg.advance(s.tsNs);
    const c = this.cells.get(s.cell);
    if (c.p && s.tsNs - c.p.last.tsNs > RECOVERY_WINDOW_NS) this.close(c, 'no recovery outcome in the log');
    const atMax = s.bfiCount !== undefined && s.bfiMaxCount !== undefined && s.bfiCount >= s.bfiMaxCount;
    const detected = s.event === 'bfd' || atMax;
    if (detected || (s.event === 'bfr_failure' && !c.p)) {
      if (c.p) {
        c.p.last = s;
        c.p.records++;
        c.p.maxBfi = Math.max(c.p.maxBfi, s.bfiCount ?? 0);
      } else {
        c.p = { first: s, last: s, records: 1, maxBfi: s.bfiCount ?? 0 };
      }
      if (s.event === 'bfr_failure') this.close(c, 'recovery failed');
      return;
    }
    if (!c.p) return;
    if (s.event === 'bfr_start') {
      c.p.last = s;
      c.p.records++;
    } else if (s.event === 'bfr_success') {
      c.p.last = s;
      c.p.records++;
      this.close(c, 'recovered');
    } else if (s.event === 'bfr_failure') {
      c.p.last = s;
      c.p.records++;
      this.close(c, 'recovery failed');
    }
  }

  finish(): AnomalyDraft[] {
    for (const c of this.cells.values()) this.close(c, 'no recovery outcome before the end of the log');
    return this.agg.finish();
  }

  private close(c: { p: Pending | undefined }, outcome: string): void {
    const p = c.p;
    if (!p) return;
    c.p = undefined;
    const f = p.first;
    this.agg.add(
      ueOccurrence(
        'beam_failure',
        outcome === 'recovery failed' ? 'critical' : 'major',
        0.9,
        {
          tsNs: f.tsNs,
          recordIndex: f.recordIndex,
          cell: f.cell,
          rnti: f.rnti,
          endTsNs: p.last.tsNs,
          endRecordIndex: p.last.recordIndex,
          records: p.records,
        },
        `beam failure on ${cellText(f.cell)}${f.ssbIndex !== undefined ? ` (SSB ${f.ssbIndex})` : ''}: ${outcome}`,
        {
          outcome,
          ...(p.maxBfi > 0 ? { bfi_count: p.maxBfi } : {}),
          ...(f.bfiMaxCount !== undefined ? { bfi_max_count: f.bfiMaxCount } : {}),
          ...(f.ssbIndex !== undefined ? { ssb_index: f.ssbIndex } : {}),
          threshold: 'any beam failure (BFI_COUNTER ≥ beamFailureInstanceMaxCount)',
        },
        { totals: { beam_failures: 1, ...(outcome === 'recovery failed' ? { recovery_failures: 1 } : {}) } },
      ),
    );
  }
}
