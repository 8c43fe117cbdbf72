import type { DiagFields } from '@l1t/capture';
import {
  ueCellRef,
  type BeamEventSample,
  type RachAttemptResult,
  type RachAttemptSample,
  type RlfRachTriggerSample,
  type TimingAdvanceSample,
  type UeCellRef,
} from '@l1t/detect';

/**
 * Decoded NR MAC/ML1 records → the UE link detectors' samples (field names as the decoders in
 * packages/capture/src/diag/decoders emit them):
 *
 * - 0xB975 serving cell beam management: a plain beam report (serving SSB index, the NR cell by PCI). Its
 *   layout has no beam failure instance counter or event (nr-ml1-beam-mgmt.ts), so it opens nothing alone.
 * - 0xB889 RACH trigger with reason `beam_failure`: the MAC declared beam failure and starts recovery by
 *   random access (TS 38.321 §5.17) — a `bfd` beam event. The attempts that follow (0xB88A) are that
 *   recovery's: success → `bfr_success`; `aborted` → `bfr_failure`; other failed attempts are retries
 *   (the procedure goes on until preambleTransMax, §5.1.4).
 * - 0xB889 RACH trigger with reason `radio_link_failure`: the random access of the re-establishment that
 *   follows radio link failure (TS 38.331 §5.3.10.3 → §5.3.7; TS 38.321 §5.1.1) — an `rlf` sample, which the
 *   RRC detector counts once with the 0xB821 RRCReestablishmentRequest of the same failure.
 * - 0xB88A RACH attempt: one `rach_failure` sample per attempt with an outcome (suspended / resumed are
 *   procedure states, not outcomes: left out), and the RAR's absolute timing advance when Msg2 came.
 *
 * The NR cell: the PCI the record (or the last beam report) names, with the NR-ARFCN of the last 0xB97F
 * serving cell when that cell has the same PCI.
 */
const RESULTS: Readonly<Record<string, RachAttemptResult>> = {
  success: 'success',
  msg2_ra_timer_expired: 'no_rar',
  msg2_rapid_mismatch: 'no_rar',
  msg2_rar_pruned: 'no_rar',
  msg2_backoff_only: 'no_rar',
  msg4_ct_timer_expired: 'contention_lost',
  msg4_ct_resolution_failed: 'contention_lost',
  aborted: 'failure',
};

export interface NrSampleSinks {
  beam: (s: BeamEventSample) => void;
  rach: (s: RachAttemptSample) => void;
  ta: (s: TimingAdvanceSample) => void;
  rlf?: (s: RlfRachTriggerSample) => void;
}

export class NrLinkSamples {
  private pci: number | undefined;
  private cell: UeCellRef | undefined;
  private ssbIndex: number | undefined;
  /** A beam failure recovery random access is under way (0xB889 reason beam_failure seen). */
  private recovering = false;
  private rnti: number | undefined;

  constructor(private readonly sinks: NrSampleSinks) {}

  /** The NR cell a PCI names, with the ARFCN of the last measured serving cell (0xB97F) when it is that one. */
  private cellOf(pci: number | undefined, measured: UeCellRef | undefined): UeCellRef | undefined {
    if (pci === undefined) return measured;
    const arfcn = measured?.pci === pci ? measured.arfcn : undefined;
    if (this.cell?.pci !== pci || this.cell.arfcn !== arfcn) this.cell = ueCellRef('nr', pci, undefined, arfcn);
    return this.cell;
  }

  beamReport(f: DiagFields, tsNs: bigint, recordIndex: number, measured: UeCellRef | undefined): void {
    this.pci = f.pci as number;
    this.ssbIndex = f.serving_ssb_index as number;
    this.sinks.beam({ tsNs, recordIndex, cell: this.cellOf(this.pci, measured), ssbIndex: this.ssbIndex });
  }

  rachTrigger(f: DiagFields, tsNs: bigint, recordIndex: number, measured: UeCellRef | undefined): void {
    this.rnti = f.c_rnti as number;
    this.recovering = f.rach_reason === 'beam_failure';
    if (f.rach_reason === 'radio_link_failure')
      this.sinks.rlf?.({ tsNs, recordIndex, cell: this.cellOf(this.pci, measured), rnti: this.rnti });
    if (!this.recovering) return;
    this.sinks.beam({
      tsNs,
      recordIndex,
      cell: this.cellOf(this.pci, measured),
      rnti: this.rnti,
      event: 'bfd',
      ...(this.ssbIndex !== undefined ? { ssbIndex: this.ssbIndex } : {}),
    });
  }

  rachAttempt(f: DiagFields, tsNs: bigint, recordIndex: number, measured: UeCellRef | undefined): void {
    const result = RESULTS[f.rach_result as string];
    const cell = this.cellOf(this.pci, measured);
    const rnti = (f.c_rnti as number | null) ?? (f.tc_rnti as number | null) ?? this.rnti;
    const ta = f.timing_advance as number | null;
    if (result) {
      this.sinks.rach({
        tsNs,
        recordIndex,
        cell,
        ...(rnti !== undefined ? { rnti } : {}),
        result,
        attempt: f.attempt as number,
        contention: f.contention === 'contention_free' ? 'contention_free' : 'contention_based',
        ...(f.ra_id !== null ? { preamble: f.ra_id as number } : {}),
        ...(ta !== null ? { rarTa: ta } : {}),
      });
    }
    if (ta !== null) this.sinks.ta({ tsNs, recordIndex, cell, kind: 'absolute', value: ta });
    if (this.recovering && (result === 'success' || f.rach_result === 'aborted')) {
      this.recovering = false;
      this.sinks.beam({
        tsNs,
        recordIndex,
        cell,
        ...(rnti !== undefined ? { rnti } : {}),
        event: result === 'success' ? 'bfr_success' : 'bfr_failure',
        ssbIndex: f.ssb_id as number,
      });
    }
  }
}
