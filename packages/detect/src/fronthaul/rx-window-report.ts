import type { DetectContext, Occurrence } from '../framework/detector.js';
import { isoNs } from '../time-format.js';
import { UNITS_PER_NS, type AirClock } from './air-time.js';
import { WINDOW_NAMES, type FronthaulTiming, type TimingMode } from './air-time-profile.js';
import type { RxFlow } from './rx-window-state.js';
import { marginConfidence, round3, sampleFactor } from '../framework/confidence.js';

/** Occurrences and KPI metrics of the rx-window detector (rx-window.ts): evidence and descriptions. */

export const LATE = 0;
export const EARLY = 1;
export const RX_TYPE_NAMES = ['rx_window_late', 'rx_window_early'] as const;
const PLANE_TEXT = ['UL U-plane', 'DL U-plane', 'UL C-plane', 'DL C-plane'];

/** What a report needs to know of the detector's state. */
export interface RxReportView {
  timing: FronthaulTiming;
  mode: TimingMode;
  modeNote: string;
  /** Automatic mode judged absolutely although the reference median lay outside its window. */
  autoSystematic: boolean;
  scsSource: string;
  clock: AirClock;
  /** Relative mode: the reference offset of plane/direction g and how many messages it came from. */
  reference(g: number): { reference: number; referencePackets: number };
  /** Relative mode: tolerated deviation (units of 1/6144 ns) for plane/direction g and LATE/EARLY. */
  band(g: number, kind: number): number;
  /** Relative mode: the `relative_tolerance` option of LATE/EARLY (window widths). */
  tolerance(kind: number): number;
}

/** A window's width in units of 1/6144 ns (at least 50 µs: a zero-width window still has a scale). */
function widthUnits(w: readonly [number, number]): number {
  return Math.max(50, w[1] - w[0]) * 1000 * UNITS_PER_NS;
}

/** The occurrence of `flow`'s pending LATE or EARLY messages of one slot. */
export function rxOccurrence(r: RxReportView, flow: RxFlow, kind: number): Occurrence {
  const pend = flow.pending[kind]!;
  const g = flow.index & 3;
  const name = WINDOW_NAMES[g]!;
  const w = r.timing.windowsUs[name];
  const relative = r.mode === 'relative';
  const late = kind === LATE;
  const us = (units: number): number => Math.round(units / UNITS_PER_NS) / 1000;
  const air = r.clock.airInstant(pend.tsNs, pend.offset);
  const delayType = g === 0;
  const measured = delayType ? us(pend.offset) : us(-pend.offset);
  const evidence: Record<string, unknown> = {
    mode: relative ? 'relative' : 'absolute',
    window: name,
    window_us: [w[0], w[1]],
    window_kind: delayType ? 'delay after air time' : 'advance before air time',
    [delayType ? 'measured_delay_us' : 'measured_advance_us']: measured,
    excess_us: us(pend.excess),
    worst_excess_us: us(pend.worstExcess),
    air_time: isoNs(air.ns),
    scs_khz: 15 << r.clock.mu,
    scs_source: r.scsSource,
  };
  if (!r.timing.windowsFromProfile.includes(name)) evidence.window_source = 'default (no timing.windows_us in profile)';
  if (r.modeNote) evidence.mode_note = r.modeNote;
  let description: string;
  const what = PLANE_TEXT[g]!;
  if (relative) {
    const b = r.reference(g);
    evidence.reference_offset_us = us(b.reference);
    evidence.reference_packets = b.referencePackets;
    evidence.band_us = us(r.band(g, kind));
    evidence.deviation_us = us(pend.offset - b.reference);
    description =
      `${what} on eAxC ${flow.index >>> 2} ${us(Math.abs(pend.offset - b.reference))} µs ${late ? 'later' : 'earlier'} than the capture's usual offset ` +
      `(relative timing: more than ${us(r.band(g, kind))} µs = ${r.tolerance(kind)} × the ${w[0]}–${w[1]} µs window's width)`;
  } else {
    description =
      `${what} on eAxC ${flow.index >>> 2} arrived ${Math.abs(measured)} µs ${measured >= 0 === delayType ? 'after' : 'before'} air time: ` +
      `${late ? 'after' : 'before'} its window (${w[0]}–${w[1]} µs ${delayType ? 'after' : 'before'}) by ${us(pend.excess)} µs`;
  }
  if (pend.count > 1) description += ` (${pend.count} messages in the slot)`;
  const inferred = r.scsSource !== 'profile';
  return {
    type: RX_TYPE_NAMES[kind]!,
    source: 'fronthaul',
    severity: late ? 'critical' : 'minor',
    // margin: the worst excess of the slot on the window's width; the base says how the timeline is known
    // (absolute 0.75, absolute taken for a systematically off DU 0.55, relative to a learned reference 0.6 ×
    // its sample), an inferred numerology lowers it by 0.1
    confidence: round3(
      marginConfidence(
        pend.worstExcess,
        Math.max(1, widthUnits(w)),
        relative ? 0.6 : r.autoSystematic ? 0.55 : 0.75,
        0.24,
      ) *
        (relative ? sampleFactor(r.reference(g).referencePackets, 256, 0.8) : 1) -
        (inferred ? 0.1 : 0),
    ),
    tsNs: pend.tsNs,
    packetIndex: pend.index,
    packetCount: pend.count,
    flow: { ...flow.key },
    radio: { frame_id: pend.frameId, subframe_id: pend.subframeId, slot_id: pend.slotId, symbol_id: pend.symbolId },
    aggregationKey: `${RX_TYPE_NAMES[kind]}|${flow.name}`,
    description,
    evidence,
  };
}

/**
 * KPI time series per flow and KPI bucket (framework/kpi-buckets.ts): `fh_rx_offset_us_mean` (mean advance before air time;
 * UL U-plane: mean delay after it) and `fh_rx_margin_us_min` (smallest distance to the nearer window
 * bound, negative outside the window; in relative mode to the relative band).
 */
export function emitRxKpi(f: RxFlow, mode: string, ctx: DetectContext): void {
  if (f.winN === 0) return;
  const timestamp = isoNs(f.winTsNs);
  const labels = {
    flow: f.name,
    eaxc: String(f.index >>> 2),
    plane: f.index & 2 ? 'c' : 'u',
    direction: f.index & 1 ? 'dl' : 'ul',
    mode,
  };
  const us = (units: number): number => Math.round(units / UNITS_PER_NS) / 1000;
  ctx.metric({ timestamp, source: 'fronthaul', name: 'fh_rx_offset_us_mean', labels, value: us(f.win[0]! / f.winN) });
  ctx.metric({ timestamp, source: 'fronthaul', name: 'fh_rx_margin_us_min', labels, value: us(f.win[1]!) });
  f.winN = 0;
  f.win[0] = 0;
  f.win[1] = Infinity;
}
