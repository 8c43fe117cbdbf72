import type { Profile } from '@l1t/contracts';
import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  FronthaulMessage,
  ResolvedThresholds,
} from '../framework/detector.js';
import type { FlowRef } from '../framework/flow.js';
import { FlowStates } from '../framework/flow-table.js';
import { numberOption } from '../framework/thresholds.js';
import { kpiBucketIndex } from '../framework/kpi-buckets.js';
import { isoNs } from '../time-format.js';
import { AirClock, CaptureTimeBase, UNITS_PER_NS } from './air-time.js';
import { NumerologyGuess, resolveFronthaulTiming, WINDOW_NAMES, type FronthaulTiming } from './air-time-profile.js';
import { EARLY, emitRxKpi, LATE, RX_TYPE_NAMES, rxOccurrence, type RxReportView } from './rx-window-report.js';
import { LEARN_CAPACITY, LearnBuffer, medianOf, RxFlow } from './rx-window-state.js';
import type { FileViewCollector } from '../views/file-view-collector.js';
import { EARLY_KIND, LATE_KIND, ON_TIME } from '../views/timing-view.js';

/**
 * `rx_window_late` / `rx_window_early` (O-RAN WG4 CUS §2.3 delay management): each C-plane message (its
 * startSymbolId, the first symbol of its sections) and each U-plane message (its symbolId) is compared
 * with the profile window of its plane and direction, measured from the exact air time of that symbol
 * (air-time.ts). `dl_cplane`, `dl_uplane`, `ul_cplane` are advances (seen max…min µs before air time),
 * `ul_uplane` a delay (min…max µs after); bounds are inclusive.
 *
 * Modes (`timing.mode`):
 * - `absolute`: the capture clock is GPS/PTP-disciplined; offsets are judged against the windows as they are.
 * - `relative`: the fixed offset of each plane/direction is the median of (arrival − air time) over its first
 *   `learn_packets` messages; a message is late/early when it deviates from it by more than
 *   `relative_tolerance` window widths. Evidence says `mode: relative`.
 * - `off`: nothing is judged or counted.
 * - no mode in the profile (`auto`): the first plane/direction to finish learning decides — its median inside
 *   its window means the clock is aligned (absolute); outside but within one window width of it, still
 *   absolute (a DU systematically off is a finding) with confidence 0.6; farther, a capture-clock offset
 *   (relative). The evidence says which and why (`mode_note`).
 *
 * PRACH and mixed-numerology messages (C-plane section type 3, U-plane filterIndex ≠ 0) count symbols in
 * their own numerology (frameStructure): they are not judged and count as RX_UNJUDGED.
 *
 * Without `scs_khz` in the profile the numerology is inferred from the slotId range seen during learning
 * (air-time-profile.ts `NumerologyGuess`) and the evidence says so. Per-flow counters follow the O-RAN
 * names RX_ON_TIME, RX_EARLY, RX_LATE (C-plane: RX_ON_TIME_C, RX_EARLY_C, RX_LATE_C).
 *
 * Hot path: capture time as exact numbers without bigint arithmetic (air-time.ts `CaptureTimeBase`), state in typed
 * arrays and per-flow objects created once; occurrences are coalesced per flow and slot.
 */

const TYPE_NAMES = RX_TYPE_NAMES;

export const rxWindowDetector: DetectorDefinition = {
  name: 'fronthaul/rx-window',
  types: TYPE_NAMES,
  thresholds: {
    rx_window_late: [
      {
        name: 'learn_packets',
        default: 64,
        unit: 'messages',
        description:
          'Relative and automatic timing: messages per plane/direction whose median (arrival − air time) is the reference offset (also used for rx_window_early)',
      },
      {
        name: 'relative_tolerance',
        default: 1,
        unit: 'window widths',
        description:
          'Relative timing: late when arriving later than the reference offset by more than this many window widths',
      },
    ],
    rx_window_early: [
      {
        name: 'relative_tolerance',
        default: 1,
        unit: 'window widths',
        description:
          'Relative timing: early when arriving earlier than the reference offset by more than this many window widths',
      },
    ],
  },
  reference: 'O-RAN WG4 CUS §2.3 (delay management windows), §9.7.2 (GPS-aligned frame timing); TS 38.211 §5.3.1',
  create: ({ profile, thresholds, views }) => new RxWindowDetector(profile, thresholds, views),
};

export class RxWindowDetector implements Detector {
  readonly timing: FronthaulTiming;
  private mode: 'absolute' | 'relative' | 'off' | 'auto';
  /** Why automatic mode chose absolute or relative timing ('' when the profile set the mode). */
  modeNote = '';
  /** Automatic mode took the clock as aligned although the median was outside its window. */
  autoSystematic = false;
  private clock: AirClock | undefined;
  private scsSource = 'profile';
  private readonly guess = new NumerologyGuess();
  private readonly flows = new FlowStates<RxFlow>((ref) => new RxFlow(ref.index, ref.key, ref.name));
  /** Messages not judged because the capture clock had not advanced yet (all timestamps equal so far). */
  private staticClock = 0;
  /** Messages left unjudged at the end because a relative reference had fewer than `learn_packets`. */
  private tooFewToLearn = [0, 0, 0, 0];
  private readonly groups = [new LearnBuffer(), new LearnBuffer(), new LearnBuffer(), new LearnBuffer()];
  /** Window bounds per group in units of 1/6144 ns: [lo, hi]. */
  private readonly lo = new Float64Array(4);
  private readonly hi = new Float64Array(4);
  private readonly learnPackets: number;
  private readonly tolerance: number[];
  private lastTsNs = 0n;
  /** Capture time since the first packet, for the KPI buckets (framework/kpi-buckets.ts). */
  private readonly kpiTime = new CaptureTimeBase();

  constructor(
    profile: Profile | undefined,
    thresholds: ResolvedThresholds,
    private readonly views?: FileViewCollector,
  ) {
    this.timing = resolveFronthaulTiming(profile);
    views?.setTiming(this.timing, () => this.mode);
    this.mode = this.timing.mode;
    this.learnPackets = Math.max(
      1,
      Math.min(LEARN_CAPACITY, Math.floor(numberOption(thresholds, 'rx_window_late', 'learn_packets', 64))),
    );
    this.tolerance = [
      numberOption(thresholds, 'rx_window_late', 'relative_tolerance', 1),
      numberOption(thresholds, 'rx_window_early', 'relative_tolerance', 1),
    ];
    for (let g = 0; g < 4; g++) {
      const w = this.timing.windowsUs[WINDOW_NAMES[g]!];
      this.lo[g] = w[0] * 1000 * UNITS_PER_NS;
      this.hi[g] = w[1] * 1000 * UNITS_PER_NS;
    }
    if (this.timing.scsKhz !== undefined) this.setNumerology(Math.log2(this.timing.scsKhz / 15), 'profile');
    if (this.mode === 'absolute') for (const b of this.groups) b.ready = this.clock !== undefined;
  }

  /** The mode in force: `auto` until the first plane/direction has finished learning. */
  get effectiveMode(): 'absolute' | 'relative' | 'off' | 'auto' {
    return this.mode;
  }

  /** SCS in use (profile, inferred or default), or undefined while still learning. */
  get scsKhz(): number | undefined {
    return this.clock === undefined ? undefined : 15 << this.clock.mu;
  }

  /** Per-flow O-RAN counters so far, keyed by flow name (`u|dl|eaxc=1`). */
  counters(): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    for (const f of this.flows.values()) out[f.name] = this.flowCounters(f);
    return out;
  }

  onMessage(msg: FronthaulMessage, ctx: DetectContext): void {
    if (this.mode === 'off') return;
    const { p, m: o } = msg;
    const flow = this.flows.get(msg.flow);
    flow.lastTsNs = p.tsNs;
    this.lastTsNs = p.tsNs;
    if (o.plane === 'u' ? o.filterIndex !== 0 : o.sectionType === 3) {
      // PRACH / mixed numerology (CUS §7.5.2.13 frameStructure, filterIndex ≠ 0): its symbols count in
      // their own numerology, not the carrier's: not judged, counted as RX_UNJUDGED
      flow.unjudged++;
      return;
    }
    const g = msg.flow.index & 3;
    const buf = this.groups[g]!;
    // Every timestamp so far equals the first: a static clock (a rewritten capture, all at 1970-01-01) says
    // nothing about timing yet. Messages are held (as while learning) until it advances; a capture whose
    // clock never does is not judged at all (finish).
    const held = !ctx.clock.advanced;
    if (buf.ready && !held) {
      if (buf.n > 0) this.replay(g, ctx);
      this.judge(flow, g, p.tsNs, p.index, o.frameId, o.subframeId, o.slotId, o.symbolId, ctx);
      return;
    }
    if (buf.n === LEARN_CAPACITY) {
      flow.unjudged++;
      this.staticClock++;
      return;
    }
    if (this.clock === undefined) this.guess.observe(o.frameId, o.subframeId, o.slotId);
    const k = buf.n++;
    buf.ts[k] = p.tsNs;
    buf.index[k] = p.index;
    buf.flow[k] = flow;
    buf.radio[k * 4] = o.frameId;
    buf.radio[k * 4 + 1] = o.subframeId;
    buf.radio[k * 4 + 2] = o.slotId;
    buf.radio[k * 4 + 3] = o.symbolId;
    if (this.clock === undefined && (this.guess.settled || buf.n === LEARN_CAPACITY)) {
      this.setNumerology(this.guess.mu(), this.guess.source());
    }
    if (!held) this.tryReady(ctx, false);
  }

  /** A flow leaves the stage's table: its pending findings, KPIs and counters are written now. */
  onFlowEvicted(ref: FlowRef, ctx: DetectContext): void {
    const f = this.flows.peek(ref);
    if (f === undefined) return;
    if (this.mode !== 'off') {
      this.flush(f, LATE, ctx);
      this.flush(f, EARLY, ctx);
    }
    this.emitKpi(f, ctx);
    this.emitCounters(f, ctx);
    this.flows.delete(ref);
  }

  finish(ctx: DetectContext): void {
    if (this.mode !== 'off' && ctx.clock.frozen) {
      for (const b of this.groups) {
        for (let k = 0; k < b.n; k++) b.flow[k]!.unjudged++;
        this.staticClock += b.n;
        b.n = 0;
      }
    }
    if (this.mode !== 'off') {
      if (this.clock === undefined && this.groups.some((b) => b.n > 0))
        this.setNumerology(this.guess.mu(), this.guess.source());
      this.tryReady(ctx, true);
      for (let g = 0; g < 4; g++) if (this.groups[g]!.ready && this.groups[g]!.n > 0) this.replay(g, ctx);
      for (const f of this.flows.values()) {
        this.flush(f, LATE, ctx);
        this.flush(f, EARLY, ctx);
      }
    }
    if (this.staticClock > 0 && ctx.clock.frozen)
      ctx.warn?.(
        `capture timestamps do not advance (every packet at the same time): reception windows not judged for ${this.staticClock} O-RAN messages`,
      );
    for (let g = 0; g < 4; g++) {
      const n = this.tooFewToLearn[g]!;
      if (n > 0)
        ctx.warn?.(
          `${WINDOW_NAMES[g]}: only ${n} messages, fewer than learn_packets (${this.learnPackets}) needed for a relative timing reference: not judged`,
        );
    }
    for (const f of this.flows.values()) this.emitKpi(f, ctx);
    for (const f of this.flows.values()) this.emitCounters(f, ctx);
  }

  private emitCounters(f: RxFlow, ctx: DetectContext): void {
    const ts = isoNs(this.lastTsNs);
    for (const [name, value] of Object.entries(this.flowCounters(f))) {
      ctx.count?.(f.name, name, value);
      ctx.metric({
        timestamp: ts,
        source: 'fronthaul',
        name: `oran_${name.toLowerCase()}`,
        labels: {
          flow: f.name,
          eaxc: String(f.index >>> 2),
          plane: f.index & 2 ? 'c' : 'u',
          direction: f.index & 1 ? 'dl' : 'ul',
        },
        value,
      });
    }
  }

  private flowCounters(f: RxFlow): Record<string, number> {
    const c = f.index & 2 ? '_C' : '';
    const out: Record<string, number> = {
      [`RX_ON_TIME${c}`]: f.onTime,
      [`RX_EARLY${c}`]: f.early,
      [`RX_LATE${c}`]: f.late,
    };
    if (f.unjudged > 0) out[`RX_UNJUDGED${c}`] = f.unjudged;
    return out;
  }

  private setNumerology(mu: number, source: string): void {
    this.clock = new AirClock({
      mu,
      utcGpsOffsetS: this.timing.utcGpsOffsetS,
      alphaNs: this.timing.alphaNs,
      betaFrames: this.timing.betaFrames,
    });
    this.scsSource = source;
  }

  /** Makes groups ready once the numerology (and, when needed, the reference offset) is known; replays them. */
  private tryReady(ctx: DetectContext, atEnd: boolean): void {
    const clock = this.clock;
    if (clock === undefined) return;
    for (let g = 0; g < 4; g++) {
      const b = this.groups[g]!;
      if (b.ready || b.n === 0) continue;
      if (this.mode !== 'absolute') {
        if (b.n < this.learnPackets) {
          if (!atEnd) continue;
          // A relative (or automatic) reference is a statistic: below its minimum sample nothing is judged.
          this.tooFewToLearn[g] = b.n;
          for (let k = 0; k < b.n; k++) b.flow[k]!.unjudged++;
          b.n = 0;
          continue;
        }
        const m = Math.min(b.n, this.learnPackets);
        const offs = new Float64Array(m);
        for (let k = 0; k < m; k++) {
          const r = k * 4;
          offs[k] = clock.offsetUnits(b.ts[k]!, b.radio[r]!, b.radio[r + 1]!, b.radio[r + 2]!, b.radio[r + 3]!);
        }
        const { median, n: validCount } = medianOf(offs);
        if (this.mode === 'auto') {
          // Decided once, by the first plane/direction to finish learning. Inside its window: an aligned
          // clock. Within one window width of it: still taken as aligned (a DU systematically off is a
          // finding, not a clock offset) but with lower confidence. Farther: a capture clock offset (relative).
          const v = g === 0 ? median : -median;
          const lo = this.lo[g]!;
          const hi = this.hi[g]!;
          const width = Math.max(hi - lo, 50_000 * UNITS_PER_NS);
          const text = `no timing.mode in profile: ${WINDOW_NAMES[g]} median ${g === 0 ? 'delay' : 'advance'} ${(v / UNITS_PER_NS / 1000).toFixed(3)} µs is`;
          if (v >= lo && v <= hi) {
            this.mode = 'absolute';
            this.modeNote = `${text} inside its window, so the capture clock is taken as GPS-aligned (absolute)`;
          } else if (v >= lo - width && v <= hi + width) {
            this.mode = 'absolute';
            this.autoSystematic = true;
            this.modeNote =
              `${text} outside its window but within one window width of it: the capture clock is taken as GPS-aligned ` +
              `and the DU timing as systematically off (absolute; set timing.mode to confirm)`;
          } else {
            this.mode = 'relative';
            this.modeNote = `${text} outside its window, so the capture clock is taken as not GPS-aligned (relative)`;
          }
        }
        if (this.mode === 'relative') {
          b.reference = median;
          b.referencePackets = validCount;
        }
      }
      b.ready = true;
      this.replay(g, ctx);
      // a group decided in auto mode fixes the mode for the others: retry them
      if (this.mode !== 'relative') g = -1;
    }
  }

  /** Judges the messages held in group `g`'s buffer, in arrival order, and empties it. */
  private replay(g: number, ctx: DetectContext): void {
    const b = this.groups[g]!;
    for (let k = 0; k < b.n; k++) {
      const r = k * 4;
      this.judge(
        b.flow[k]!,
        g,
        b.ts[k]!,
        b.index[k]!,
        b.radio[r]!,
        b.radio[r + 1]!,
        b.radio[r + 2]!,
        b.radio[r + 3]!,
        ctx,
      );
      b.flow[k] = undefined;
    }
    b.n = 0;
  }

  private judge(
    flow: RxFlow,
    g: number,
    tsNs: bigint,
    index: number,
    frameId: number,
    subframeId: number,
    slotId: number,
    symbolId: number,
    ctx: DetectContext,
  ): void {
    const clock = this.clock!;
    const v = clock.offsetUnits(tsNs, frameId, subframeId, slotId, symbolId);
    if (Number.isNaN(v)) {
      flow.unjudged++;
      return;
    }
    // a finding is reported once its flow moves to another slot (one occurrence per flow, type and slot)
    const slotSerial = clock.lastSubframe * 16 + slotId;
    if (flow.pending[LATE]!.count > 0 && flow.pending[LATE]!.slotSerial !== slotSerial) this.flush(flow, LATE, ctx);
    if (flow.pending[EARLY]!.count > 0 && flow.pending[EARLY]!.slotSerial !== slotSerial) this.flush(flow, EARLY, ctx);
    const lo = this.lo[g]!;
    const hi = this.hi[g]!;
    if (!this.kpiTime.hasBase) this.kpiTime.setBase(ctx.clock.firstTsNs);
    const w = kpiBucketIndex(this.kpiTime.relNs(tsNs));
    if (w !== flow.winIndex) {
      this.emitKpi(flow, ctx);
      flow.winIndex = w;
      flow.winTsNs = tsNs;
    }
    const measured = g === 0 ? v : -v;
    flow.winN++;
    flow.win[0] = flow.win[0]! + measured;
    let kind = -1;
    let excess = 0;
    if (this.mode === 'relative') {
      // relative: late/early beyond the tolerated share of the window width around the reference offset
      const dev = v - this.groups[g]!.reference;
      const width = hi - lo;
      const lateRoom = width * this.tolerance[LATE]! - dev;
      const earlyRoom = width * this.tolerance[EARLY]! + dev;
      if (lateRoom < 0) {
        kind = LATE;
        excess = -lateRoom;
      } else if (earlyRoom < 0) {
        kind = EARLY;
        excess = -earlyRoom;
      }
      const margin = Math.min(lateRoom, earlyRoom);
      if (margin < flow.win[1]!) flow.win[1] = margin;
    } else {
      // absolute: `measured` is the advance (delay for UL U-plane); later arrival = smaller advance / larger delay
      const lateRoom = g === 0 ? hi - measured : measured - lo;
      const earlyRoom = g === 0 ? measured - lo : hi - measured;
      if (lateRoom < 0) {
        kind = LATE;
        excess = -lateRoom;
      } else if (earlyRoom < 0) {
        kind = EARLY;
        excess = -earlyRoom;
      }
      const margin = Math.min(lateRoom, earlyRoom);
      if (margin < flow.win[1]!) flow.win[1] = margin;
    }
    if (this.views !== undefined) this.viewTiming(flow, g, measured, tsNs, symbolId, kind);
    if (kind < 0) {
      flow.onTime++;
      return;
    }
    if (kind === LATE) flow.late++;
    else flow.early++;
    const pend = flow.pending[kind]!;
    if (pend.count === 0) {
      pend.slotSerial = slotSerial;
      pend.index = index;
      pend.tsNs = tsNs;
      pend.offset = v;
      pend.excess = excess;
      pend.worstExcess = excess;
      pend.frameId = frameId;
      pend.subframeId = subframeId;
      pend.slotId = slotId;
      pend.symbolId = symbolId;
    } else if (excess > pend.worstExcess) pend.worstExcess = excess;
    pend.count++;
  }

  /** The file page's histogram and scatter get every judged message, as counted here (issue 16). */
  private viewTiming(flow: RxFlow, g: number, measured: number, tsNs: bigint, symbolId: number, kind: number): void {
    if (flow.view === null) flow.view = this.views!.timingSeries(flow.name, flow.index);
    const series = flow.view;
    if (series === undefined) return;
    if (this.mode === 'relative' && series.referenceUnits === null) {
      const ref = this.groups[g]!.reference;
      series.referenceUnits = g === 0 ? ref : -ref;
    }
    series.add(
      measured,
      this.views!.relNs(tsNs),
      symbolId,
      kind < 0 ? ON_TIME : kind === LATE ? LATE_KIND : EARLY_KIND,
    );
  }

  private flush(flow: RxFlow, kind: number, ctx: DetectContext): void {
    const pend = flow.pending[kind]!;
    if (pend.count === 0) return;
    ctx.report(rxOccurrence(this.reportView(), flow, kind));
    pend.count = 0;
  }

  private emitKpi(f: RxFlow, ctx: DetectContext): void {
    emitRxKpi(f, this.mode, ctx);
  }

  private reportView(): RxReportView {
    return {
      timing: this.timing,
      mode: this.mode,
      modeNote: this.modeNote,
      autoSystematic: this.autoSystematic,
      scsSource: this.scsSource,
      clock: this.clock!,
      reference: (g) => this.groups[g]!,
      band: (g, kind) => (this.hi[g]! - this.lo[g]!) * this.tolerance[kind]!,
      tolerance: (kind) => this.tolerance[kind]!,
    };
  }
}
