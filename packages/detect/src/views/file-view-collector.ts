import type { DetectContext, Detector, FronthaulMessage } from '../framework/detector.js';
import type { FlowRef } from '../framework/flow.js';
import type { SlotStats } from '../framework/slot-stats.js';
import { WINDOW_NAMES, type FronthaulTiming } from '../fronthaul/air-time-profile.js';
import type { FileViews, FlowRow } from './file-views-types.js';
import { PrbHeatmap } from './heatmap-view.js';
import { timingGroups } from './timing-groups.js';
import { RelativeTime, TimingSeries } from './timing-view.js';

/** Flows given a table row and a timing series at most (a hostile capture cannot grow the view). */
const MAX_VIEW_FLOWS = 512;
/** U-plane flows given a PRB × time heatmap at most (each holds a fixed grid of ~1 MB). */
const MAX_HEATMAPS = 16;

const COMP_NAMES = ['none', 'bfp', 'block_scaling', 'mu_law', 'modulation', 'bfp_selective_re', 'mod_selective_re'];

class FlowAcc {
  messages = 0;
  sections = 0;
  prbs = 0;
  iqPrbs = 0;
  zeroPrbs = 0;
  clippedPrbs = 0;
  activePowerLin = 0;
  firstNs = -1;
  lastNs = 0;
  compression = -1;
  compressions = '';
  heatmap: PrbHeatmap | undefined;
  constructor(readonly ref: FlowRef) {}
}

/**
 * Collects what the file analysis page shows (issue 16) while the detectors run: it is driven like a
 * detector (the stage's messages and closed slots, one flow identity) and fed the rx-window detector's
 * judged offsets through {@link FileViewCollector.timingSeries}. Everything is per flow and bounded; no
 * allocation per message once a flow is known (string work happens only when a flow or compression is new).
 */
export class FileViewCollector implements Detector {
  private readonly flows = new Map<number, FlowAcc>();
  /**
   * The same accumulators by the flow table's dense id (`FlowRef.id`), for the per-message look-up: an
   * array read and an identity check (an evicted flow's id is reused by a new `FlowRef`) instead of a Map.
   */
  private readonly byId: (FlowAcc | undefined)[] = [];
  private readonly timing: TimingSeries[] = [];
  private readonly time = new RelativeTime();
  private heatmaps = 0;
  private droppedFlows = 0;
  private firstTsNs = 0n;
  private timingInfo: { timing: FronthaulTiming; mode: () => FileViews['timing']['mode'] } | undefined;

  /**
   * `nrb`: the carrier's PRBs (profile), what a C-plane section's numPrbc 0 stands for (CUS §7.5.3.6).
   * `heatmaps` false: no PRB heatmap is drawn (the views are not kept; their timing summary still is).
   */
  constructor(
    private readonly nrb = 0,
    private readonly heatmapsWanted = true,
  ) {}

  /** The rx-window detector says which windows and mode it judges with. */
  setTiming(timing: FronthaulTiming, mode: () => FileViews['timing']['mode']): void {
    this.timingInfo = { timing, mode };
  }

  /** A timing series for one flow (called once per flow by the rx-window detector), or undefined past the limit. */
  timingSeries(name: string, flowIndex: number): TimingSeries | undefined {
    if (this.timing.length >= MAX_VIEW_FLOWS) return undefined;
    const s = new TimingSeries(name, WINDOW_NAMES[flowIndex & 3]!);
    this.timing.push(s);
    return s;
  }

  /** Capture time relative to the first packet (ns, exact, no bigint arithmetic). */
  relNs(tsNs: bigint): number {
    return this.time.relNs(tsNs);
  }

  onMessage(msg: FronthaulMessage, ctx: DetectContext): void {
    const { p, m, flow } = msg;
    if (this.firstTsNs === 0n) {
      this.firstTsNs = ctx.clock.firstTsNs;
      this.time.setBase(ctx.clock.firstTsNs);
    }
    let f = this.byId[flow.id];
    if (f === undefined || f.ref !== flow) {
      f = this.flows.get(flow.serial);
      if (f === undefined) {
        if (this.flows.size >= MAX_VIEW_FLOWS) {
          this.droppedFlows++;
          return;
        }
        f = new FlowAcc(flow);
        this.flows.set(flow.serial, f);
        if (m.plane === 'u' && this.heatmapsWanted && this.heatmaps < MAX_HEATMAPS) {
          f.heatmap = new PrbHeatmap(flow.name);
          this.heatmaps++;
        }
      }
      this.byId[flow.id] = f;
    }
    const rel = this.time.relNs(p.tsNs);
    if (f.firstNs < 0) f.firstNs = rel;
    f.lastNs = rel;
    f.messages++;
    const n = m.sectionCount;
    f.sections += n;
    if (m.plane === 'u') {
      for (let i = 0; i < n; i++) {
        const s = m.uSections[i]!;
        f.prbs += s.nPrb;
        const code = s.compMethod * 32 + s.iqWidth;
        if (code !== f.compression) {
          f.compression = code;
          const text = `${COMP_NAMES[s.compMethod] ?? `method ${s.compMethod}`} ${s.iqWidth}`;
          if (!f.compressions.split(', ').includes(text))
            f.compressions = f.compressions ? `${f.compressions}, ${text}` : text;
        }
      }
      f.heatmap?.add(m, p.data, rel);
    } else {
      for (let i = 0; i < n; i++) {
        const c = m.cSections[i]!.numPrbc;
        f.prbs += c === 0 ? this.nrb : c;
      }
    }
  }

  onSlot(slot: SlotStats): void {
    const byId = this.byId[slot.flow.id];
    const f = byId !== undefined && byId.ref === slot.flow ? byId : this.flows.get(slot.flow.serial);
    if (f === undefined) return;
    f.iqPrbs += slot.prbs;
    f.zeroPrbs += slot.zeroPrbs;
    f.clippedPrbs += slot.clippedPrbs;
    f.activePowerLin += slot.activePowerLin;
  }

  finish(): void {
    // nothing pending: the view is read with result()
  }

  /** The views of the file, with the detection's per-flow counters merged into the table. */
  result(counters: Record<string, Record<string, number>>): FileViews {
    const rows: FlowRow[] = [];
    for (const f of this.flows.values()) {
      const active = f.iqPrbs - f.zeroPrbs;
      rows.push({
        name: f.ref.name,
        label: f.ref.label,
        key: f.ref.key,
        messages: f.messages,
        sections: f.sections,
        prbs: f.prbs,
        compression: f.compressions,
        iq_prbs: f.iqPrbs,
        zero_prbs: f.zeroPrbs,
        clipped_prbs: f.clippedPrbs,
        mean_active_dbfs: active > 0 ? Math.round(1000 * 10 * Math.log10(f.activePowerLin / active)) / 1000 : null,
        first_ms: f.firstNs / 1e6,
        last_ms: f.lastNs / 1e6,
        counters: counters[f.ref.name] ?? {},
      });
    }
    rows.sort((a, b) => (a.key.eaxc ?? 0) - (b.key.eaxc ?? 0) || a.name.localeCompare(b.name));
    const notes: string[] = [];
    if (this.droppedFlows > 0)
      notes.push(`${this.droppedFlows} messages of flows beyond the first ${MAX_VIEW_FLOWS} are not in the views`);
    const heatmaps = [...this.flows.values()].flatMap((f) => (f.heatmap ? [f.heatmap.toJSON()] : []));
    if (this.heatmaps === MAX_HEATMAPS && rows.filter((r) => r.key.plane === 'u').length > MAX_HEATMAPS)
      notes.push(`PRB heatmaps are drawn for the first ${MAX_HEATMAPS} U-plane flows`);
    const t = this.timingInfo;
    const timingFlows = this.timing.map((s) => s.toJSON()).sort((a, b) => a.name.localeCompare(b.name));
    return {
      version: 1,
      first_ts_ns: this.firstTsNs.toString(),
      flows: rows,
      timing: {
        mode: t ? t.mode() : 'off',
        windows_us: t ? { ...t.timing.windowsUs } : {},
        flows: timingFlows,
        groups: timingGroups(timingFlows),
      },
      heatmaps: heatmaps.sort((a, b) => a.name.localeCompare(b.name)),
      notes,
    };
  }
}
