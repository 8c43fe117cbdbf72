import type { FlowKey } from '@l1t/contracts';
import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  FronthaulMessage,
  ResolvedThresholds,
  ThresholdOption,
} from '../framework/detector.js';
import type { FlowRef } from '../framework/flow.js';
import { FlowStates } from '../framework/flow-table.js';
import { numberOption } from '../framework/thresholds.js';
import { isoNs } from '../time-format.js';
import { marginConfidence, round3, sampleFactor } from '../framework/confidence.js';
import { CaptureTimeBase, EXACT_REL_NS } from './air-time.js';

/**
 * `traffic_gap` (anomalies.md): an active flow (eAxC × plane × direction) stops sending for more slots
 * than its usual period. One finding per eAxC × direction when both planes stop together (their
 * silences overlap in time), one per plane when only one does.
 *
 * Silence is counted in slots from the radio position of the last packet before and the first packet
 * after (frameId/subframeId/slotId, O-RAN WG4 CUS §5.4.4.10; the capture time only resolves the 2.56 s
 * frameId wrap). The slot length comes from the profile's `scs_khz`, else from the largest slotId seen.
 *
 * Usual period: TDD flows are silent by design (a UL flow of a DDDSU pattern is silent 4 slots out of 5),
 * so a silence length seen at least {@link USUAL_REPEATS} times on the flow is its usual period, and
 * only a silence longer than both `min_silent_slots` and that usual period is a gap. A flow is active
 * once it has carried packets in {@link ACTIVE_SLOTS} slots.
 *
 * As interfaces.md states for absences: `timestamp`/`packet_index` are those of the first packet after
 * the gap (for both planes: the earlier of the two resuming packets), `evidence` holds the last packet
 * before it and how many slots were silent. A flow that never resumes while the capture goes on is
 * reported at the last packet of the file (`resumed: false`).
 */
export const TRAFFIC_GAP_OPTIONS: readonly ThresholdOption[] = [
  {
    name: 'min_silent_slots',
    default: 4,
    unit: 'slots',
    description:
      'Silent slots of an active flow (strictly more than this, and more than its usual TDD period) that make a gap.',
  },
];

/** Times a silence length must recur on a flow to count as its usual period. */
export const USUAL_REPEATS = 3;
/** Slots with packets before a flow counts as active. */
export const ACTIVE_SLOTS = 3;
const MAX_HIST = 64;
const CLOCK_STEP_NS = 1_000_000n;
const CLOCK_STEP = Number(CLOCK_STEP_NS);

interface Gap {
  flow: GapFlow;
  lastIndex: number;
  lastTsNs: bigint;
  resumeIndex: number;
  resumeTsNs: bigint;
  silentSlots: number;
  threshold: number;
  usual: number;
  radio: { frame_id: number; subframe_id: number; slot_id: number; symbol_id: number } | undefined;
  resumed: boolean;
}

class GapFlow {
  lastSlot = -1;
  lastIndex = 0;
  lastTsNs = 0n;
  /** Coarse capture time of the last packet (see `TrafficGapDetector.clock`). */
  lastTsApprox = 0.5;
  slots = 0;
  readonly hist = new Uint16Array(MAX_HIST);
  pending: Gap | undefined = undefined;
  partner: GapFlow | undefined = undefined;
  readonly plane: 'c' | 'u';
  readonly dl: boolean;
  readonly eaxc: number;
  readonly flowKey: FlowKey;
  constructor(readonly ref: FlowRef) {
    this.plane = ref.plane;
    this.dl = ref.dl;
    this.eaxc = ref.eaxc;
    this.flowKey = ref.key;
  }

  usual(): number {
    for (let s = MAX_HIST - 1; s > 0; s--) if (this.hist[s]! >= USUAL_REPEATS) return s;
    return 0;
  }
}

/** The C-plane and U-plane flows of one stream (link × eAxC × direction). */
class PlanePair {
  c: GapFlow | undefined = undefined;
  u: GapFlow | undefined = undefined;
}

class TrafficGapDetector implements Detector {
  /** Per flow of the stage's table (bounded by its cap). */
  private readonly flows = new FlowStates<GapFlow>((ref) => this.admit(ref));
  private readonly pairs = new FlowStates<PlanePair>(() => new PlanePair(), true);
  private readonly minSilent: number;
  private readonly fixedSlotsPerSubframe: number;
  private maxSlotId = 0;
  private spsf = 0;
  /**
   * Coarse capture time in ns as a double, refreshed once the capture time passes `clockNextNs`
   * ({@link CLOCK_STEP_NS} later): converting or adding bigints allocates, comparing them does not, so
   * the per-packet cost is one comparison. Resolving the 2.56 s frameId wrap needs nothing finer.
   * Once set, the comparison is made on `clockNextRel` (the same instant as ns since the first message,
   * while exact: `clockRelExact`): a bigint comparison is a library call in optimized code (issue 14).
   */
  private clock = 0.5;
  private clockNextNs = -1n;
  private clockNextRel = 0;
  private clockRelExact = false;
  private readonly time = new CaptureTimeBase();
  private ctx: DetectContext | undefined;

  constructor(t: ResolvedThresholds, scsKhz: number | undefined) {
    this.minSilent = numberOption(t, 'traffic_gap', 'min_silent_slots', 4);
    this.fixedSlotsPerSubframe = scsKhz !== undefined ? Math.max(1, Math.round(scsKhz / 15)) : 0;
  }

  private slotsPerSubframe(): number {
    if (this.fixedSlotsPerSubframe > 0) return this.fixedSlotsPerSubframe;
    let n = 1;
    while (n <= this.maxSlotId) n <<= 1;
    return n;
  }

  private admit(ref: FlowRef): GapFlow {
    const f = new GapFlow(ref);
    const pair = this.pairs.get(ref);
    const partner = ref.plane === 'c' ? pair.u : pair.c;
    if (ref.plane === 'c') pair.c = f;
    else pair.u = f;
    if (partner !== undefined) {
      f.partner = partner;
      partner.partner = f;
    }
    return f;
  }

  onMessage(msg: FronthaulMessage, ctx: DetectContext): void {
    this.ctx = ctx;
    const { p, m: o } = msg;
    const rel = this.time.relNs(p.tsNs);
    const relExact = rel > -EXACT_REL_NS && rel < EXACT_REL_NS;
    if (this.clockRelExact && relExact ? rel >= this.clockNextRel : p.tsNs >= this.clockNextNs) {
      this.clock = Number(p.tsNs);
      this.clockNextNs = p.tsNs + CLOCK_STEP_NS;
      this.clockNextRel = rel + CLOCK_STEP;
      this.clockRelExact = relExact;
    }
    if (o.slotId > this.maxSlotId && o.slotId < 32) this.maxSlotId = o.slotId;
    const f = this.flows.get(msg.flow);
    const spsf = this.slotsPerSubframe();
    if (spsf !== this.spsf) {
      // The inferred numerology grew (a larger slotId appeared): slot numbers of the flows so far were
      // counted with another slot length, so every flow starts counting afresh.
      this.spsf = spsf;
      for (const x of this.flows.values()) x.lastSlot = -1;
    }
    const slot = ((o.frameId * 10 + o.subframeId) * spsf + o.slotId) | 0;
    let gap = false;
    if (f.lastSlot < 0) {
      if (f.slots === 0) f.slots = 1;
    } else if (slot !== f.lastSlot) {
      const wrap = 2560 * spsf;
      const radioDiff = (((slot - f.lastSlot) % wrap) + wrap) % wrap;
      const slotNs = 1e6 / spsf;
      const expected = (this.clock - f.lastTsApprox) / slotNs;
      const k = Math.round((expected - radioDiff) / wrap);
      const diff = radioDiff + (k > 0 ? k : 0) * wrap;
      if (diff > wrap / 2 && expected < wrap / 2) return; // a straggler of an earlier slot: not news
      const silent = diff - 1;
      const usual = f.usual();
      const threshold = Math.max(this.minSilent, usual);
      if (silent > threshold && f.slots >= ACTIVE_SLOTS) {
        gap = true;
        this.onGap(f, {
          flow: f,
          lastIndex: f.lastIndex,
          lastTsNs: f.lastTsNs,
          resumeIndex: p.index,
          resumeTsNs: p.tsNs,
          silentSlots: silent,
          threshold,
          usual,
          radio: { frame_id: o.frameId, subframe_id: o.subframeId, slot_id: o.slotId, symbol_id: o.symbolId },
          resumed: true,
        });
      }
      if (silent > 0) f.hist[silent < MAX_HIST ? silent : MAX_HIST - 1]!++;
      f.slots++;
    }
    f.lastSlot = slot;
    f.lastIndex = p.index;
    f.lastTsNs = p.tsNs;
    f.lastTsApprox = this.clock;
    // The partner plane waits for this plane to tell whether both stopped: this packet says it did not.
    const partner = f.partner;
    if (!gap && partner?.pending !== undefined && partner.pending.resumeTsNs <= p.tsNs) {
      this.flush(partner);
    }
  }

  private onGap(f: GapFlow, g: Gap): void {
    const partner = f.partner;
    if (partner === undefined) {
      this.report([g]);
      return;
    }
    const other = partner.pending;
    if (other !== undefined && overlaps(other, g)) {
      partner.pending = undefined;
      this.report([other, g]);
      return;
    }
    if (other !== undefined) this.flush(partner);
    if (f.pending !== undefined) this.flush(f);
    f.pending = g;
  }

  private flush(f: GapFlow): void {
    const g = f.pending;
    f.pending = undefined;
    if (g !== undefined) this.report([g]);
  }

  /** An evicted flow has been silent past the eviction idle time: what it left pending is reported. */
  onFlowEvicted(ref: FlowRef, ctx: DetectContext): void {
    this.ctx = ctx;
    const f = this.flows.peek(ref);
    if (f === undefined) return;
    this.flush(f);
    if (f.partner !== undefined) f.partner.partner = undefined;
    const pair = this.pairs.peek(ref);
    if (pair !== undefined) {
      if (pair.c === f) pair.c = undefined;
      if (pair.u === f) pair.u = undefined;
    }
    this.flows.delete(ref);
  }

  finish(ctx: DetectContext): void {
    this.ctx = ctx;
    const lastTsNs = ctx.clock.lastTsNs;
    const lastIndex = ctx.clock.lastIndex;
    for (const f of this.flows.values()) this.flush(f);
    // Flows that stopped and never resumed while the capture went on.
    const spsf = this.slotsPerSubframe();
    const slotNs = 1e6 / spsf;
    const stopped = new Map<GapFlow, Gap>();
    for (const f of this.flows.values()) {
      if (f.slots < ACTIVE_SLOTS) continue;
      const silent = Math.floor(Number(lastTsNs - f.lastTsNs) / slotNs) - 1;
      const usual = f.usual();
      const threshold = Math.max(this.minSilent, usual);
      if (silent <= threshold) continue;
      stopped.set(f, {
        flow: f,
        lastIndex: f.lastIndex,
        lastTsNs: f.lastTsNs,
        resumeIndex: lastIndex,
        resumeTsNs: lastTsNs,
        silentSlots: silent,
        threshold,
        usual,
        radio: undefined,
        resumed: false,
      });
    }
    for (const [f, g] of stopped) {
      if (!stopped.has(f)) continue;
      const p = f.partner !== undefined ? stopped.get(f.partner) : undefined;
      if (p !== undefined && f.partner !== undefined) {
        stopped.delete(f.partner);
        this.report([g, p]);
      } else this.report([g]);
      stopped.delete(f);
    }
  }

  private report(gaps: Gap[]): void {
    const ctx = this.ctx;
    const first = gaps[0];
    if (ctx === undefined || first === undefined) return;
    gaps.sort((a, b) => a.resumeIndex - b.resumeIndex);
    const g = gaps[0]!;
    const both = gaps.length === 2;
    const f = g.flow;
    const flow: FlowKey = { ...f.flowKey };
    if (both) delete flow.plane;
    const dir = f.dl ? 'dl' : 'ul';
    const lost = gaps.some((x) => x.flow.plane === 'u');
    const what = both ? 'C- and U-plane' : `${f.plane.toUpperCase()}-plane`;
    const silent = Math.max(...gaps.map((x) => x.silentSlots));
    const evidence: Record<string, unknown> = {
      planes: gaps.map((x) => x.flow.plane).sort(),
      silent_slots: silent,
      threshold_slots: g.threshold,
      usual_silent_slots: g.usual,
      last_packet_index: Math.max(...gaps.map((x) => x.lastIndex)),
      last_timestamp: isoNs(gaps.reduce((m, x) => (x.lastTsNs > m ? x.lastTsNs : m), g.lastTsNs)),
      silent_ms: Math.round(Number(g.resumeTsNs - g.lastTsNs) / 1e3) / 1e3,
      resumed: g.resumed,
    };
    ctx.report({
      type: 'traffic_gap',
      source: 'fronthaul',
      // Missing U-plane is lost user data (anomalies.md §Severity); a C-plane-only gap leaves the O-RU without control.
      severity: lost ? 'critical' : 'major',
      // margin: silent slots past the threshold, on its scale; a flow with a long record (slots with packets)
      // is more surely interrupted than one barely started
      confidence: round3(
        marginConfidence(silent - g.threshold, Math.max(1, g.threshold), 0.7, 0.29) * sampleFactor(f.slots, 100, 0.85),
      ),
      tsNs: g.resumeTsNs,
      packetIndex: g.resumeIndex,
      packetCount: gaps.length,
      flow,
      ...(g.radio !== undefined ? { radio: g.radio } : {}),
      aggregationKey: both ? `traffic_gap|${dir}|eaxc=${f.eaxc}${f.ref.linkSuffix}` : `traffic_gap|${f.ref.name}`,
      description: g.resumed
        ? `${what} of eAxC ${f.eaxc} ${dir.toUpperCase()}${f.ref.linkSuffix} silent for ${silent} slots (usual at most ${g.threshold})`
        : `${what} of eAxC ${f.eaxc} ${dir.toUpperCase()}${f.ref.linkSuffix} stopped ${silent} slots before the end of the capture`,
      evidence,
      totals: { silent_slots: silent },
    });
  }
}

function overlaps(a: Gap, b: Gap): boolean {
  return a.lastTsNs < b.resumeTsNs && b.lastTsNs < a.resumeTsNs;
}

export const trafficGapDetector: DetectorDefinition = {
  name: 'traffic-gap',
  types: ['traffic_gap'],
  thresholds: { traffic_gap: TRAFFIC_GAP_OPTIONS },
  reference: 'O-RAN WG4 CUS §5.4.4.10 (frameId/subframeId/slotId); anomalies.md traffic_gap',
  create: ({ profile, thresholds }) => new TrafficGapDetector(thresholds, profile?.scs_khz),
};
