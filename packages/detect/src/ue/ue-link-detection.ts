import type { AnomalyDraft } from '@l1t/contracts';
import type { ResolvedThresholds } from '../framework/detector.js';
import { UeBeamFailureDetection } from './beam-failure-detection.js';
import { UeBlerHighDetection } from './bler-high-detection.js';
import { UeHarqFailureDetection } from './harq-failure-detection.js';
import { UeRachFailureDetection } from './rach-failure-detection.js';
import { UeTimingAdvanceJumpDetection } from './timing-advance-jump-detection.js';
import type {
  BeamEventSample,
  PdschTbSample,
  PuschPowerSample,
  RachAttemptSample,
  TimingAdvanceSample,
} from './ue-link-samples.js';
import { UeUlPowerLimitedDetection } from './ul-power-limited-detection.js';

/**
 * The UE link detectors of one DIAG log behind one entry point: the analyzer hands each decoded record's
 * samples here (ue-link-samples.ts says which record gives which) and takes every finding at the end.
 * `inputs` says which detectors had input, for the file summary (an empty list must not read as "all is well").
 */
export class UeLinkDetection {
  private readonly bler: UeBlerHighDetection;
  private readonly harq: UeHarqFailureDetection;
  private readonly beam = new UeBeamFailureDetection();
  private readonly rach = new UeRachFailureDetection();
  private readonly power: UeUlPowerLimitedDetection;
  private readonly ta: UeTimingAdvanceJumpDetection;
  /** Samples handed in, per input kind. */
  readonly inputs = { pdsch_tbs: 0, pusch_transmissions: 0, rach_attempts: 0, ta_updates: 0, beam_events: 0 };

  constructor(t: ResolvedThresholds) {
    this.bler = new UeBlerHighDetection(t);
    this.harq = new UeHarqFailureDetection(t);
    this.power = new UeUlPowerLimitedDetection(t);
    this.ta = new UeTimingAdvanceJumpDetection(t);
  }

  onPdschTb(s: PdschTbSample): void {
    this.inputs.pdsch_tbs++;
    this.bler.onTb(s);
    this.harq.onTb(s);
  }

  onPuschPower(s: PuschPowerSample): void {
    this.inputs.pusch_transmissions++;
    this.power.onPusch(s);
  }

  onRachAttempt(s: RachAttemptSample): void {
    this.inputs.rach_attempts++;
    this.rach.onAttempt(s);
  }

  onTimingAdvance(s: TimingAdvanceSample): void {
    this.inputs.ta_updates++;
    this.ta.onUpdate(s);
  }

  onBeamEvent(s: BeamEventSample): void {
    this.inputs.beam_events++;
    this.beam.onEvent(s);
  }

  /** The detectors that ran (had at least one sample). */
  ran(): string[] {
    const i = this.inputs;
    return [
      ...(i.pdsch_tbs > 0 ? ['bler_high', 'harq_failure'] : []),
      ...(i.pusch_transmissions > 0 ? ['ul_power_limited'] : []),
      ...(i.rach_attempts > 0 ? ['rach_failure'] : []),
      ...(i.ta_updates > 0 ? ['timing_advance_jump'] : []),
      ...(i.beam_events > 0 ? ['beam_failure'] : []),
    ];
  }

  finish(): AnomalyDraft[] {
    return [
      ...this.bler.finish(),
      ...this.harq.finish(),
      ...this.beam.finish(),
      ...this.rach.finish(),
      ...this.power.finish(),
      ...this.ta.finish(),
    ].sort((a, b) => a.packet_index - b.packet_index);
  }
}
