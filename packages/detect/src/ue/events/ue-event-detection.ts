import type { UeEvent } from '@l1t/capture';
import type { AnomalyDraft } from '@l1t/contracts';
import type { ResolvedThresholds } from '../../framework/detector.js';
import { UeAbnormalDetachDetection } from './abnormal-detach-detection.js';
import { UeAttachFailureDetection } from './attach-failure-detection.js';
import { UeAttachStormDetection } from './attach-storm-detection.js';
import { UeBehaviourOutlierDetection } from './ue-behaviour-outlier.js';

/** The UE event log detectors behind one entry point (the text-log analyzer hands every event here). */
export class UeEventDetection {
  private readonly failure: UeAttachFailureDetection;
  private readonly detach: UeAbnormalDetachDetection;
  private readonly storm: UeAttachStormDetection;
  private readonly outlier: UeBehaviourOutlierDetection;

  constructor(t: ResolvedThresholds) {
    this.failure = new UeAttachFailureDetection(t);
    this.detach = new UeAbnormalDetachDetection(t);
    this.storm = new UeAttachStormDetection(t);
    this.outlier = new UeBehaviourOutlierDetection(t);
  }

  onEvent(e: UeEvent): void {
    this.failure.onEvent(e);
    this.detach.onEvent(e);
    this.storm.onEvent(e);
    this.outlier.onEvent(e);
  }

  /** Findings, and notes on what could not be judged (e.g. too few UEs to compare). */
  finish(): { anomalies: AnomalyDraft[]; notes: string[] } {
    const anomalies = [
      ...this.failure.finish(),
      ...this.detach.finish(),
      ...this.storm.finish(),
      ...this.outlier.finish(),
    ].sort((a, b) => a.packet_index - b.packet_index);
    return { anomalies, notes: this.outlier.note ? [this.outlier.note] : [] };
  }
}
