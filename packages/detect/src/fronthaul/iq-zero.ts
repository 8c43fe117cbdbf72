import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  ResolvedThresholds,
  ThresholdOption,
} from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { FlowStates } from '../framework/flow-table.js';
import type { SlotStats } from '../framework/slot-stats.js';

/**
 * `iq_zero` (anomalies.md): a flow that normally carries energy sends all-zero PRBs — more than
 * `min_zero_prb_ratio` of its PRBs in each of at least `min_slots` consecutive slots (an O-DU whose
 * baseband stopped but whose framing runs on, a muted antenna path, a broken compression stage).
 *
 * "Normally carries energy": before the run, at least half of the flow's slots (and at least one) had
 * no more than `min_zero_prb_ratio` zero PRBs. An idle or lightly loaded DL carrier, whose slots are
 * mostly empty from the start, is therefore not reported; neither is a capture that starts inside the
 * silence (nothing tells that the flow ever carried energy).
 *
 * The first occurrence is reported when the run reaches `min_slots` (timestamp and packet of the run's
 * first packet); every further slot of the run adds one occurrence, merged by the aggregator.
 */
export const IQ_ZERO_OPTIONS: readonly ThresholdOption[] = [
  {
    name: 'min_zero_prb_ratio',
    default: 0.5,
    unit: 'ratio',
    description:
      "Share of a flow's PRBs in one slot that must be all-zero (strictly more than this) for the slot to count.",
  },
  {
    name: 'min_slots',
    default: 10,
    unit: 'slots',
    description: 'Consecutive slots of the flow over the ratio before the finding is reported.',
  },
];

/** Share of the flow's earlier slots that must have carried energy. */
const NORMAL_ENERGY_SHARE = 0.5;

class ZeroState {
  energySlots = 0;
  zeroSlots = 0;
  runSlots = 0;
  runPackets = 0;
  runFirstIndex = 0;
  runFirstTsNs = 0n;
  runMinRatio = 1;
  runZeroPrbs = 0;
  runPrbs = 0;
  reported = false;
}

class IqZeroDetector implements Detector {
  private readonly states: FlowStates<ZeroState>;
  private readonly minRatio: number;
  private readonly minSlots: number;
  private ctx: DetectContext | undefined;

  constructor(t: ResolvedThresholds) {
    this.minRatio = numberOption(t, 'iq_zero', 'min_zero_prb_ratio', 0.5);
    this.minSlots = Math.max(1, Math.round(numberOption(t, 'iq_zero', 'min_slots', 10)));
    this.states = new FlowStates<ZeroState>(() => new ZeroState());
  }

  finish(): void {}

  onSlot(s: SlotStats, ctx: DetectContext): void {
    this.ctx = ctx;
    if (s.prbs === 0) return;
    const z = this.states.get(s.flow);
    const ratio = s.zeroRatio;
    if (!(ratio > this.minRatio)) {
      if (z.runSlots > 0 && !z.reported) z.zeroSlots += z.runSlots;
      z.runSlots = 0;
      z.reported = false;
      z.energySlots++;
      return;
    }
    if (z.runSlots === 0) {
      z.runFirstIndex = s.firstIndex;
      z.runFirstTsNs = s.firstTsNs;
      z.runPackets = 0;
      z.runMinRatio = 1;
      z.runZeroPrbs = z.runPrbs = 0;
    }
    z.runSlots++;
    z.runPackets += s.packets;
    z.runZeroPrbs += s.zeroPrbs;
    z.runPrbs += s.prbs;
    if (ratio < z.runMinRatio) z.runMinRatio = ratio;
    if (z.reported) {
      this.report(s, s.firstTsNs, s.firstIndex, s.packets, 1);
      return;
    }
    if (z.runSlots < this.minSlots) return;
    const before = z.energySlots + z.zeroSlots;
    if (z.energySlots === 0 || z.energySlots < NORMAL_ENERGY_SHARE * before) return;
    z.reported = true;
    this.report(s, z.runFirstTsNs, z.runFirstIndex, z.runPackets, z.runSlots);
  }

  private report(s: SlotStats, tsNs: bigint, index: number, packets: number, slots: number): void {
    const z = this.states.get(s.flow);
    this.ctx?.report({
      type: 'iq_zero',
      source: 'fronthaul',
      severity: 'major',
      confidence: 0.9,
      tsNs,
      packetIndex: index,
      packetCount: packets,
      endTsNs: s.lastTsNs,
      flow: s.flow.key,
      radio: s.radio(),
      aggregationKey: `iq_zero|${s.flow.name}`,
      description: `All-zero IQ on ${s.flow.label}: more than ${pct(this.minRatio)} % of the PRBs zero in ${z.runSlots} consecutive slots`,
      evidence: {
        consecutive_slots: z.runSlots,
        min_slots: this.minSlots,
        zero_prbs: z.runZeroPrbs,
        prbs: z.runPrbs,
        min_zero_prb_ratio_seen: Math.round(z.runMinRatio * 1e4) / 1e4,
        min_zero_prb_ratio: this.minRatio,
        energetic_slots_before: z.energySlots,
      },
      totals: { zero_slots: slots },
    });
  }
}

function pct(r: number): string {
  return (100 * r).toFixed(0);
}

export const iqZeroDetector: DetectorDefinition = {
  name: 'iq-zero',
  types: ['iq_zero'],
  thresholds: { iq_zero: IQ_ZERO_OPTIONS },
  reference: 'O-RAN WG4 CUS Annex A.1 (an all-zero PRB decodes to zeros whatever the exponent)',
  create: ({ thresholds }) => new IqZeroDetector(thresholds),
};
