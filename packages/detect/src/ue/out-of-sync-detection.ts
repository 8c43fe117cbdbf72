import type { AnomalyDraft, RadioKey } from '@l1t/contracts';
import { isoNs } from '../time-format.js';

/** One radio-link-monitoring report (0xB18A record group) as the detector sees it. */
export interface RlmSample {
  tsNs: bigint;
  recordIndex: number;
  /** Largest out-of-sync count (N310 counter) in the report. */
  outOfSyncCount: number;
  /** Largest out-of-sync BLER (%) in the report. */
  outOfSyncBlerPct: number;
  /** Raw T310 status values seen in the report (non-zero while T310 runs, as the logs show). */
  t310Status: number;
  /** Serving cell last measured before the report, when known. */
  cell?: { earfcn: number; pci: number } | undefined;
}

/** Reports closer than this are one out-of-sync episode. */
const BURST_GAP_NS = 1_000_000_000n;

interface Episode {
  first: RlmSample;
  last: RlmSample;
  reports: number;
  maxCount: number;
  maxBler: number;
  maxT310: number;
}

/**
 * `out_of_sync` (anomalies.md: any): layer 1 indicated out-of-sync (Qout, TS 36.133 §7.6) — an RLM report
 * with a non-zero out-of-sync (N310) count. Consecutive reports less than 1 s apart are one episode with
 * its span, the highest count, the worst out-of-sync BLER and the T310 status seen.
 */
export class UeOutOfSyncDetection {
  private readonly anomalies: AnomalyDraft[] = [];
  private open: Episode | undefined;

  onReport(s: RlmSample): void {
    if (this.open && s.tsNs - this.open.last.tsNs > BURST_GAP_NS) this.close();
    if (s.outOfSyncCount <= 0) return;
    const e = this.open;
    if (!e) {
      this.open = {
        first: s,
        last: s,
        reports: 1,
        maxCount: s.outOfSyncCount,
        maxBler: s.outOfSyncBlerPct,
        maxT310: s.t310Status,
      };
      return;
    }
    e.last = s;
    e.reports++;
    e.maxCount = Math.max(e.maxCount, s.outOfSyncCount);
    e.maxBler = Math.max(e.maxBler, s.outOfSyncBlerPct);
    e.maxT310 = Math.max(e.maxT310, s.t310Status);
  }

  finish(): AnomalyDraft[] {
    this.close();
    return this.anomalies;
  }

  private close(): void {
    const e = this.open;
    if (!e) return;
    this.open = undefined;
    const c = e.first.cell;
    const radio: RadioKey | undefined = c ? { cell: `${c.earfcn}/${c.pci}`, pci: c.pci, earfcn: c.earfcn } : undefined;
    const spanMs = Number((e.last.tsNs - e.first.tsNs) / 1000n) / 1000;
    this.anomalies.push({
      type: 'out_of_sync',
      source: 'ue',
      severity: 'major',
      confidence: 0.9,
      timestamp: isoNs(e.first.tsNs),
      ...(e.last.tsNs > e.first.tsNs ? { end_timestamp: isoNs(e.last.tsNs) } : {}),
      packet_index: e.first.recordIndex,
      packet_count: e.reports,
      ...(radio ? { radio } : {}),
      description: `radio link monitoring out-of-sync${c ? ` on PCI ${c.pci} EARFCN ${c.earfcn}` : ''}: count up to ${e.maxCount} over ${(spanMs / 1000).toFixed(1)} s${e.maxT310 > 0 ? ', T310 running' : ''}`,
      evidence: {
        max_out_of_sync_count: e.maxCount,
        max_out_of_sync_bler_pct: e.maxBler,
        t310_status_max: e.maxT310,
        duration_ms: spanMs,
        reports: e.reports,
        threshold: 'any out-of-sync indication',
      },
    });
  }
}
