import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  ResolvedThresholds,
  ThresholdOption,
} from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import type { SlotStats } from '../framework/slot-stats.js';
import { marginConfidence } from '../framework/confidence.js';

/**
 * `iq_saturation` (anomalies.md; O-RAN WG4 CUS Annex A.1 block floating point): more than
 * `min_clipped_prb_ratio` of a flow's PRBs in one slot are clipped. A BFP PRB is clipped when its exponent
 * is the largest the 16-bit range allows (16 − udIqWidth) and at least one mantissa sits at −2^(w−1) or
 * 2^(w−1) − 1: the compressor had no larger exponent left, so the true sample was larger than what was
 * sent. The decoder counts that per PRB (`prbClipped`); this detector judges it per flow and slot.
 *
 * Uncompressed IQ is never judged (no exponent tells a clipped sample from a full-scale constellation
 * point). One occurrence per clipped slot; the aggregator merges a run of them into one anomaly.
 */
export const IQ_SATURATION_OPTIONS: readonly ThresholdOption[] = [
  {
    name: 'min_clipped_prb_ratio',
    default: 0.01,
    unit: 'ratio',
    description:
      "Share of a flow's PRBs in one slot that must be clipped (strictly more than this) to report the slot.",
  },
];

class IqSaturationDetector implements Detector {
  private readonly minRatio: number;
  private ctx: DetectContext | undefined;

  constructor(t: ResolvedThresholds) {
    this.minRatio = numberOption(t, 'iq_saturation', 'min_clipped_prb_ratio', 0.01);
  }

  finish(): void {}

  onSlot(s: SlotStats, ctx: DetectContext): void {
    this.ctx = ctx;
    if (!s.bfp || s.prbs === 0 || s.clippedPrbs === 0) return;
    const ratio = s.clippedRatio;
    if (!(ratio > this.minRatio)) return;
    const pct = (100 * ratio).toFixed(1);
    this.ctx?.report({
      type: 'iq_saturation',
      source: 'fronthaul',
      severity: 'major',
      // The rule needs the right IQ width: a guessed width lowers the confidence.
      // margin: clipped share past the threshold, on its scale; the BFP rule needs the right IQ width, so a
      // guessed width lowers the floor
      confidence: marginConfidence(ratio - this.minRatio, this.minRatio, s.widthInferred ? 0.5 : 0.75, 0.24),
      tsNs: s.firstClippedTsNs,
      packetIndex: s.firstClippedIndex,
      packetCount: s.clippedPackets,
      endTsNs: s.lastTsNs,
      flow: s.flow.key,
      radio: s.radio(),
      aggregationKey: `iq_saturation|${s.flow.name}`,
      description: `BFP clipping on ${s.flow.label}: ${s.clippedPrbs} of ${s.prbs} PRBs (${pct} %) clipped in one slot`,
      evidence: {
        clipped_prbs: s.clippedPrbs,
        prbs: s.prbs,
        clipped_prb_ratio: round(ratio, 4),
        min_clipped_prb_ratio: this.minRatio,
        clipped_samples: s.clippedSamples,
        iq_width: s.iqWidth,
        clip_exponent: 16 - s.iqWidth,
        iq_width_inferred: s.widthInferred,
      },
      totals: { clipped_slots: 1, clipped_prbs: s.clippedPrbs },
    });
  }
}

function round(v: number, digits: number): number {
  const m = 10 ** digits;
  return Math.round(v * m) / m;
}

export const iqSaturationDetector: DetectorDefinition = {
  name: 'iq-saturation',
  types: ['iq_saturation'],
  thresholds: { iq_saturation: IQ_SATURATION_OPTIONS },
  reference: 'O-RAN WG4 CUS Annex A.1 (block floating point)',
  create: ({ thresholds }) => new IqSaturationDetector(thresholds),
};
