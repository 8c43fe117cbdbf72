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
import { marginConfidence, round3, sampleFactor } from '../framework/confidence.js';

/**
 * `iq_power_drop` (anomalies.md): a flow's mean PRB power in one slot falls more than `drop_db` below the
 * rolling median of its own previous slots (`baseline_slots` of them).
 *
 * The power is the mean over the PRBs that carry energy (non-zero PRBs, linear average, dBFS), so that a
 * change of load — fewer PRBs allocated, the rest sent as zeros — is not a power drop; all-zero PRBs are
 * `iq_zero`'s business. Slots found dropped do not enter the baseline (a long drop stays a drop), until a
 * drop lasts a whole baseline window: then the level has changed for good and the baseline starts over.
 * No finding before `min_baseline_slots` slots form the baseline.
 */
export const IQ_POWER_DROP_OPTIONS: readonly ThresholdOption[] = [
  {
    name: 'drop_db',
    default: 10,
    unit: 'dB',
    description: 'Drop below the rolling median (strictly more than this) that makes a slot a power drop.',
  },
  {
    name: 'baseline_slots',
    default: 200,
    unit: 'slots',
    description: 'Slots of the flow in the rolling median baseline.',
  },
  {
    name: 'min_baseline_slots',
    default: 20,
    unit: 'slots',
    description: 'Slots needed in the baseline before a drop can be reported.',
  },
];

/** A flow's rolling baseline: the last `n` slot powers (exported for its test). */
export class PowerState {
  readonly ring: Float64Array;
  /**
   * The same `count` values in ascending order, kept as slots are pushed (one binary search and one shift
   * each way), so the baseline median is read, not selected again from a copy of the ring at every slot.
   */
  readonly sorted: Float64Array;
  count = 0;
  head = 0;
  dropRun = 0;
  constructor(n: number) {
    this.ring = new Float64Array(n);
    this.sorted = new Float64Array(n);
  }
  push(v: number): void {
    const sorted = this.sorted;
    let n = this.count;
    if (n === this.ring.length) {
      // the oldest value leaves the window: take one copy of it out of the sorted values
      const at = lowerBound(sorted, n, this.ring[this.head]!);
      sorted.copyWithin(at, at + 1, n);
      n--;
    }
    const at = lowerBound(sorted, n, v);
    sorted.copyWithin(at + 1, at, n);
    sorted[at] = v;
    this.ring[this.head] = v;
    this.head = (this.head + 1) % this.ring.length;
    if (this.count < this.ring.length) this.count++;
  }
  /** The median of the window's values: the middle one, or the mean of the middle two. */
  median(): number {
    const n = this.count;
    const mid = n >> 1;
    return n % 2 === 1 ? this.sorted[mid]! : (this.sorted[mid - 1]! + this.sorted[mid]!) / 2;
  }
}

/** First index of `a[0 .. n)` (ascending) whose value is not below `v`. */
function lowerBound(a: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

class IqPowerDropDetector implements Detector {
  private readonly states: FlowStates<PowerState>;
  private readonly dropDb: number;
  private readonly window: number;
  private readonly minBaseline: number;
  private ctx: DetectContext | undefined;

  constructor(t: ResolvedThresholds) {
    this.dropDb = numberOption(t, 'iq_power_drop', 'drop_db', 10);
    this.window = Math.max(1, Math.round(numberOption(t, 'iq_power_drop', 'baseline_slots', 200)));
    this.minBaseline = Math.max(
      1,
      Math.min(this.window, Math.round(numberOption(t, 'iq_power_drop', 'min_baseline_slots', 20))),
    );
    this.states = new FlowStates<PowerState>(() => new PowerState(this.window));
  }

  finish(): void {}

  onSlot(s: SlotStats, ctx: DetectContext): void {
    this.ctx = ctx;
    const power = s.meanActiveDbfs;
    if (!Number.isFinite(power)) return;
    const st = this.states.get(s.flow);
    if (st.count < this.minBaseline) {
      st.push(power);
      return;
    }
    const baseline = st.median();
    const drop = baseline - power;
    if (!(drop > this.dropDb)) {
      st.dropRun = 0;
      st.push(power);
      return;
    }
    st.dropRun++;
    this.ctx?.report({
      type: 'iq_power_drop',
      source: 'fronthaul',
      severity: 'major',
      // margin: dB past drop_db, on its scale, times how well the median baseline is sampled
      confidence: round3(
        marginConfidence(drop - this.dropDb, this.dropDb, 0.7, 0.29) * sampleFactor(st.count, this.window, 0.7),
      ),
      tsNs: s.firstTsNs,
      packetIndex: s.firstIndex,
      packetCount: s.packets,
      endTsNs: s.lastTsNs,
      flow: s.flow.key,
      radio: s.radio(),
      aggregationKey: `iq_power_drop|${s.flow.name}`,
      description: `IQ power drop on ${s.flow.label}: mean PRB power ${power.toFixed(1)} dBFS, ${drop.toFixed(1)} dB below its median of ${baseline.toFixed(1)} dBFS`,
      evidence: {
        mean_prb_power_dbfs: round2(power),
        baseline_median_dbfs: round2(baseline),
        drop_db: round2(drop),
        threshold_drop_db: this.dropDb,
        baseline_slots: st.count,
        active_prbs: s.prbs - s.zeroPrbs,
      },
      totals: { dropped_slots: 1 },
    });
    if (st.dropRun >= this.window) {
      // The level has been low for a whole baseline window: it is the new normal.
      st.count = st.head = st.dropRun = 0;
    }
  }
}

function round2(v: number): number {
  return Math.round(v * 100) / 100;
}

export const iqPowerDropDetector: DetectorDefinition = {
  name: 'iq-power-drop',
  types: ['iq_power_drop'],
  thresholds: { iq_power_drop: IQ_POWER_DROP_OPTIONS },
  reference: 'O-RAN WG4 CUS Annex A.1 (BFP: value = mantissa × 2^exponent on a 16-bit scale)',
  create: ({ thresholds }) => new IqPowerDropDetector(thresholds),
};
