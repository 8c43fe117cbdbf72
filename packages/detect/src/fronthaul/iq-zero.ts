import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  FronthaulMessage,
  ResolvedThresholds,
  ThresholdOption,
} from '../framework/detector.js';
import { C_PLANE_MESSAGES } from '../framework/detector.js';
import { slotKeyOf } from '../framework/flow.js';
import { FlowStates } from '../framework/flow-table.js';
import type { SlotStats } from '../framework/slot-stats.js';
import { numberOption } from '../framework/thresholds.js';

/**
 * `iq_zero` (anomalies.md): a flow sends all-zero PRBs — more than `min_zero_prb_ratio` of its PRBs in each
 * of at least `min_slots` consecutive slots (an O-DU whose baseband stopped but whose framing runs on, a
 * muted antenna path, a broken compression stage) — when either
 *
 * - the flow normally carries energy: before the run, at least half of its slots (and at least one) had no
 *   more than `min_zero_prb_ratio` zero PRBs (`reason: 'energy_lost'`); or
 * - the C-plane of the same stream (link × eAxC × direction) scheduled those slots — sections of type 1
 *   or 3 with symbols and PRBs (O-RAN WG4 CUS §7.5.2) — and the flow never carried energy at all
 *   (`reason: 'scheduled_never_energy'`, e.g. `nv_offset0_ref0_2sym.pcap` eAxC 1: zeros from the first
 *   packet while the C-plane schedules 106 PRBs × 14 symbols).
 *
 * An idle or lightly loaded carrier whose slots are empty without being scheduled is not reported.
 * The first occurrence is reported when the run reaches `min_slots` (timestamp and packet of the run's
 * first packet); every further slot of the run adds one occurrence, merged by the aggregator.
 *
 * Confidence: the share of zero PRBs in the run and how much longer than `min_slots` the run is, from
 * 0.6 (a run of exactly `min_slots` slots just over the ratio) towards 0.99.
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
/** Scheduled slots remembered per stream (a slot's U-plane closes within a few slots of its C-plane). */
const SCHEDULED_RING = 64;

class ZeroState {
  energySlots = 0;
  zeroSlots = 0;
  runSlots = 0;
  /** Slots of the run that the C-plane scheduled. */
  runScheduled = 0;
  runPackets = 0;
  runFirstIndex = 0;
  runFirstTsNs = 0n;
  runMinRatio = 1;
  runZeroPrbs = 0;
  runPrbs = 0;
  reported = false;
  reason: 'energy_lost' | 'scheduled_never_energy' = 'energy_lost';
}

/** Slots the C-plane of one stream scheduled data in, most recent first out. */
class Schedule {
  readonly keys = new Int32Array(SCHEDULED_RING).fill(-1);
  readonly prbs = new Int32Array(SCHEDULED_RING);
  next = 0;
  has(slotKey: number): number {
    for (let i = 0; i < SCHEDULED_RING; i++) if (this.keys[i] === slotKey) return this.prbs[i]!;
    return -1;
  }
  add(slotKey: number, prbs: number): void {
    const at = this.next === 0 ? SCHEDULED_RING - 1 : this.next - 1;
    if (this.keys[at] === slotKey) {
      if (prbs > this.prbs[at]!) this.prbs[at] = prbs;
      return;
    }
    this.keys[this.next] = slotKey;
    this.prbs[this.next] = prbs;
    this.next = (this.next + 1) % SCHEDULED_RING;
  }
}

class IqZeroDetector implements Detector {
  private readonly states = new FlowStates<ZeroState>(() => new ZeroState());
  private readonly schedules = new FlowStates<Schedule>(() => new Schedule(), true);
  private readonly minRatio: number;
  private readonly minSlots: number;

  constructor(t: ResolvedThresholds) {
    this.minRatio = numberOption(t, 'iq_zero', 'min_zero_prb_ratio', 0.5);
    this.minSlots = Math.max(1, Math.round(numberOption(t, 'iq_zero', 'min_slots', 10)));
  }

  /** Only C-plane messages reach {@link onMessage} (a U-plane message does not cost a call). */
  readonly messagePlanes = C_PLANE_MESSAGES;

  /** C-plane messages: which slots of the stream carry data (type 1 or 3 sections with symbols and PRBs). */
  onMessage(msg: FronthaulMessage): void {
    const m = msg.m;
    if (m.plane !== 'c' || (m.sectionType !== 1 && m.sectionType !== 3)) return;
    let prbs = 0;
    for (let i = 0; i < m.sectionCount; i++) {
      const s = m.cSections[i]!;
      if (s.numSymbol > 0 && s.reMask !== 0) prbs += s.numPrbc === 0 ? 1 : s.numPrbc;
    }
    if (prbs > 0) this.schedules.get(msg.flow).add(slotKeyOf(m), prbs);
  }

  finish(): void {}

  onSlot(s: SlotStats, ctx: DetectContext): void {
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
      z.runScheduled = 0;
    }
    z.runSlots++;
    z.runPackets += s.packets;
    z.runZeroPrbs += s.zeroPrbs;
    z.runPrbs += s.prbs;
    if (ratio < z.runMinRatio) z.runMinRatio = ratio;
    if ((this.schedules.peek(s.flow)?.has(s.slotKey) ?? -1) > 0) z.runScheduled++;
    if (z.reported) {
      this.report(s, z, s.firstTsNs, s.firstIndex, s.packets, 1, ctx);
      return;
    }
    if (z.runSlots < this.minSlots) return;
    const before = z.energySlots + z.zeroSlots;
    if (z.energySlots > 0 && z.energySlots >= NORMAL_ENERGY_SHARE * before) z.reason = 'energy_lost';
    else if (z.energySlots === 0 && z.runScheduled >= this.minSlots) z.reason = 'scheduled_never_energy';
    else return;
    z.reported = true;
    this.report(s, z, z.runFirstTsNs, z.runFirstIndex, z.runPackets, z.runSlots, ctx);
  }

  private report(
    s: SlotStats,
    z: ZeroState,
    tsNs: bigint,
    index: number,
    packets: number,
    slots: number,
    ctx: DetectContext,
  ): void {
    const never = z.reason === 'scheduled_never_energy';
    ctx.report({
      type: 'iq_zero',
      source: 'fronthaul',
      severity: 'major',
      confidence: zeroConfidence(z.runZeroPrbs / Math.max(1, z.runPrbs), z.runSlots, this.minSlots),
      tsNs,
      packetIndex: index,
      packetCount: packets,
      endTsNs: s.lastTsNs,
      flow: s.flow.key,
      radio: s.radio(),
      aggregationKey: `iq_zero|${s.flow.name}`,
      description: never
        ? `All-zero IQ on ${s.flow.label} in ${z.runSlots} consecutive slots the C-plane scheduled data in; the flow never carried energy`
        : `All-zero IQ on ${s.flow.label}: more than ${pct(this.minRatio)} % of the PRBs zero in ${z.runSlots} consecutive slots`,
      evidence: {
        reason: z.reason,
        consecutive_slots: z.runSlots,
        min_slots: this.minSlots,
        zero_prbs: z.runZeroPrbs,
        prbs: z.runPrbs,
        min_zero_prb_ratio_seen: Math.round(z.runMinRatio * 1e4) / 1e4,
        min_zero_prb_ratio: this.minRatio,
        energetic_slots_before: z.energySlots,
        slots_scheduled_by_cplane: z.runScheduled,
      },
      totals: { zero_slots: slots },
    });
  }
}

/**
 * Confidence of an all-zero run: half from how far the zero share is past an all-or-nothing split
 * (0.5 → 0, 1 → 1), half from how long the run is against `min_slots` (saturating at 4 × min_slots).
 */
export function zeroConfidence(zeroShare: number, runSlots: number, minSlots: number): number {
  const share = Math.max(0, Math.min(1, (zeroShare - 0.5) / 0.5));
  const length = Math.min(1, (runSlots - minSlots) / Math.max(1, 3 * minSlots));
  return Math.round((0.6 + 0.2 * share + 0.19 * length) * 1000) / 1000;
}

function pct(r: number): string {
  return (100 * r).toFixed(0);
}

export const iqZeroDetector: DetectorDefinition = {
  name: 'iq-zero',
  types: ['iq_zero'],
  thresholds: { iq_zero: IQ_ZERO_OPTIONS },
  reference:
    'O-RAN WG4 CUS Annex A.1 (an all-zero PRB decodes to zeros whatever the exponent); §7.5.2 (C-plane scheduling)',
  create: ({ thresholds }) => new IqZeroDetector(thresholds),
};
