import { DecodedPacket } from '@l1t/capture';
import type { MetricDraft, Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../framework/detector.js';
import { airTime, airTimeNs, type SymbolPosition } from './air-time.js';
import { rxWindowDetector } from './rx-window.js';
import { end, feed } from '../framework/test-support/feed.js';
import type { DriverContext } from '../framework/detector-driver.js';

/** 2026-01-01T00:00:00Z: frameId 8, subframe 0 starts here (air-time.test.ts). */
const T0 = 1_767_225_600_000_000_000n;
const US = 1000n;

interface Msg extends SymbolPosition {
  plane: 'u' | 'c';
  dl: boolean;
  eaxc?: number;
}

function packet(index: number, tsNs: bigint, m: Msg): DecodedPacket {
  const p = new DecodedPacket();
  p.index = index;
  p.tsNs = tsNs;
  p.kind = 'ecpri';
  p.hasOran = true;
  p.oranCount = 1;
  const o = p.oran;
  o.plane = m.plane;
  o.eaxc = m.eaxc ?? 0;
  o.dataDirection = m.dl ? 1 : 0;
  o.frameId = m.frameId;
  o.subframeId = m.subframeId;
  o.slotId = m.slotId;
  o.symbolId = m.symbolId;
  o.headerComplete = true;
  return p;
}

function context(profile: Profile | undefined): DriverContext & {
  occ: Occurrence[];
  metrics: MetricDraft[];
  counts: Record<string, Record<string, number>>;
} {
  const occ: Occurrence[] = [];
  const metrics: MetricDraft[] = [];
  const counts: Record<string, Record<string, number>> = {};
  return {
    profile,
    thresholds: {},
    occ,
    metrics,
    counts,
    report: (o) => occ.push(o),
    metric: (m) => metrics.push(m),
    count: (flow, name, value) => {
      const c = (counts[flow] ??= {});
      c[name] = (c[name] ?? 0) + value;
    },
  };
}

/** Runs the detector over (arrival, message) pairs in order. */
function run(profile: Profile | undefined, msgs: [bigint, Msg][], thresholds = {}): ReturnType<typeof context> {
  const ctx = context(profile);
  const d = rxWindowDetector.create({ profile, thresholds });
  msgs.forEach(([ts, m], i) => feed(d, packet(i + 1, ts, m), ctx));
  end(d, ctx);
  return ctx;
}

const ABS: Profile = { scs_khz: 30, timing: { mode: 'absolute' } };
const cfg = { mu: 1 };

describe('rx-window, absolute mode: inclusive bounds to the nanosecond', () => {
  it('DL U-plane advance window [50, 400] µs on a symbol whose air time has a sub-ns fraction', () => {
    const pos = { frameId: 8, subframeId: 2, slotId: 0, symbolId: 1 };
    const air = airTime(pos, T0, cfg);
    expect(air.sub).toBeGreaterThan(0); // air = ns + 5632/6144
    const m: Msg = { ...pos, plane: 'u', dl: true };
    const ctx = run(ABS, [
      [air.ns - 50n * US, m], // advance 50 µs + 0.92 ns: on time
      [air.ns - 50n * US + 1n, m], // advance 49 999.92 ns: late
      [air.ns - 400n * US + 1n, m], // advance 399 999.92 ns: on time
      [air.ns - 400n * US, m], // advance 400 000.92 ns: early
    ]);
    expect(ctx.occ.map((o) => [o.type, o.packetIndex])).toEqual([
      ['rx_window_late', 2],
      ['rx_window_early', 4],
    ]);
    expect(ctx.counts['u|dl|eaxc=0']).toEqual({ RX_ON_TIME: 2, RX_EARLY: 1, RX_LATE: 1 });
    const late = ctx.occ[0]!;
    expect(late.severity).toBe('critical');
    expect(late.evidence).toMatchObject({ mode: 'absolute', window: 'dl_uplane', window_us: [50, 400], scs_khz: 30 });
    expect(late.evidence.scs_source).toBe('profile');
    expect(late.evidence.window_source).toMatch(/default/);
    expect(late.radio).toEqual({ frame_id: 8, subframe_id: 2, slot_id: 0, symbol_id: 1 });
    expect(late.flow).toMatchObject({ eaxc: 0, plane: 'u', direction: 'dl' });
    expect(ctx.occ[1]!.severity).toBe('minor');
  });

  it('UL U-plane delay window [0, 300] µs: early before air time, late after 300 µs', () => {
    const pos = { frameId: 8, subframeId: 4, slotId: 1, symbolId: 0 }; // 0.5 ms into the subframe: whole ns
    const air = airTimeNs(pos, T0, cfg);
    const m: Msg = { ...pos, plane: 'u', dl: false, eaxc: 3 };
    const ctx = run(ABS, [
      [air, m],
      [air - 1n, m],
      [air + 300n * US, m],
      [air + 300n * US + 1n, m],
    ]);
    const occ = ctx.occ.sort((a, b) => a.packetIndex - b.packetIndex);
    expect(occ.map((o) => [o.type, o.packetIndex])).toEqual([
      ['rx_window_early', 2],
      ['rx_window_late', 4],
    ]);
    expect(occ[1]!.evidence).toMatchObject({ window: 'ul_uplane', measured_delay_us: 300.001, excess_us: 0.001 });
    expect(ctx.counts['u|ul|eaxc=3']).toEqual({ RX_ON_TIME: 2, RX_EARLY: 1, RX_LATE: 1 });
  });

  it('C-plane is judged at its startSymbolId against dl_cplane / ul_cplane with _C counters', () => {
    const pos = { frameId: 9, subframeId: 0, slotId: 0, symbolId: 2 };
    const air = airTime(pos, T0, cfg);
    const dl: Msg = { ...pos, plane: 'c', dl: true };
    const ul: Msg = { ...pos, plane: 'c', dl: false };
    const profile: Profile = { ...ABS, timing: { mode: 'absolute', windows_us: { ul_cplane: [100, 200] } } };
    expect(air.sub).toBe(0);
    const ctx = run(profile, [
      [air.ns - 250n * US, dl], // exactly 250 µs (symbol 2 starts on a whole ns): on time
      [air.ns - 1000n * US - 1n, dl], // 1000.001 µs: early
      [air.ns - 99n * US, ul], // late for [100, 200]
      [air.ns - 150n * US, ul],
    ]);
    expect(ctx.occ.map((o) => [o.type, o.packetIndex, o.evidence.window])).toEqual([
      ['rx_window_early', 2, 'dl_cplane'],
      ['rx_window_late', 3, 'ul_cplane'],
    ]);
    expect(ctx.occ[1]!.evidence.window_source).toBeUndefined();
    expect(ctx.counts['c|dl|eaxc=0']).toEqual({ RX_ON_TIME_C: 1, RX_EARLY_C: 1, RX_LATE_C: 0 });
    expect(ctx.counts['c|ul|eaxc=0']).toEqual({ RX_ON_TIME_C: 1, RX_EARLY_C: 0, RX_LATE_C: 1 });
    expect(ctx.metrics.find((m) => m.name === 'oran_rx_late_c' && m.labels.direction === 'ul')?.value).toBe(1);
  });

  it('applies α and β from the profile (a capture aligned to a shifted radio timeline is on time)', () => {
    const pos = { frameId: 8, subframeId: 2, slotId: 0, symbolId: 0 };
    const shifted = { mu: 1, alphaNs: 20_000, betaFrames: 3 };
    const air = airTimeNs(pos, T0, shifted);
    const m: Msg = { ...pos, plane: 'u', dl: true };
    const profile: Profile = { scs_khz: 30, timing: { mode: 'absolute', alpha_ns: 20_000, beta_frames: 3 } };
    expect(run(profile, [[air - 100n * US, m]]).occ).toEqual([]);
    // without them the nearest frameId occurrence is 30.02 ms earlier: the message looks 29.9 ms late
    expect(run(ABS, [[air - 100n * US, m]]).occ.map((o) => o.type)).toEqual(['rx_window_late']);
  });

  it('coalesces late messages of one flow and slot into one occurrence with a packet count', () => {
    const msgs: [bigint, Msg][] = [];
    for (let s = 0; s < 14; s++) {
      const pos = { frameId: 8, subframeId: 1, slotId: 0, symbolId: s };
      msgs.push([airTimeNs(pos, T0, cfg) - 10n * US, { ...pos, plane: 'u', dl: true }]);
    }
    const pos2 = { frameId: 8, subframeId: 1, slotId: 1, symbolId: 0 };
    msgs.push([airTimeNs(pos2, T0, cfg) - 10n * US, { ...pos2, plane: 'u', dl: true }]);
    const ctx = run(ABS, msgs);
    expect(ctx.occ.map((o) => [o.packetIndex, o.packetCount])).toEqual([
      [1, 14],
      [15, 1],
    ]);
    expect(ctx.occ[0]!.aggregationKey).toBe('rx_window_late|u|dl|eaxc=0');
  });

  it('mode off judges and counts nothing', () => {
    const pos = { frameId: 8, subframeId: 2, slotId: 0, symbolId: 0 };
    const ctx = run({ scs_khz: 30, timing: { mode: 'off' } }, [
      [airTimeNs(pos, T0, cfg), { ...pos, plane: 'u', dl: true }],
    ]);
    expect(ctx.occ).toEqual([]);
    expect(ctx.counts).toEqual({});
  });
});

/** A stream of DL U-plane messages, every symbol of `slots` slots, `advanceUs` before air time + `skewNs`. */
function stream(slots: number, advanceUs: number, skewNs: bigint, mu = 1, start = 0): [bigint, Msg][] {
  const out: [bigint, Msg][] = [];
  for (let g = start; g < start + slots; g++) {
    const sfAbs = Math.floor(g / (1 << mu));
    const pos0 = { frameId: 8 + Math.floor(sfAbs / 10), subframeId: sfAbs % 10, slotId: g % (1 << mu) };
    for (let s = 0; s < 14; s++) {
      const pos = { ...pos0, symbolId: s };
      out.push([airTimeNs(pos, T0, { mu }) - BigInt(advanceUs) * US + skewNs, { ...pos, plane: 'u', dl: true }]);
    }
  }
  return out;
}

describe('rx-window, relative and automatic modes', () => {
  it('relative: a constant clock offset is not a finding; a deviation beyond the window width is', () => {
    const msgs = stream(10, 200, 7_300_000n); // the capture clock is 7.3 ms ahead
    const late = msgs[100]!;
    late[0] += 351n * US; // deviation 351 µs > width 350 µs
    const early = msgs[120]!;
    early[0] -= 349n * US; // inside the band
    const ctx = run({ scs_khz: 30, timing: { mode: 'relative' } }, msgs);
    expect(ctx.occ.map((o) => [o.type, o.packetIndex])).toEqual([['rx_window_late', 101]]);
    const e = ctx.occ[0]!.evidence;
    expect(e.mode).toBe('relative');
    expect(e.reference_offset_us).toBeCloseTo(7300 - 200, 3);
    expect(e.band_us).toBe(350);
    expect(e.deviation_us).toBeCloseTo(351, 3);
    expect(ctx.occ[0]!.description).toMatch(/relative timing/);
    expect(ctx.occ[0]!.confidence).toBeLessThan(0.9);
  });

  it('relative_tolerance scales the band', () => {
    const msgs = stream(10, 200, 7_300_000n);
    msgs[100]![0] += 200n * US;
    const profile: Profile = { scs_khz: 30, timing: { mode: 'relative' } };
    expect(run(profile, msgs).occ).toEqual([]);
    expect(run(profile, msgs, { rx_window_late: { relative_tolerance: 0.5 } }).occ.map((o) => o.packetIndex)).toEqual([
      101,
    ]);
  });

  it('auto (no mode in profile): an aligned capture is judged absolutely, and says why', () => {
    const msgs = stream(10, 200, 0n);
    msgs[100]![0] += 160n * US; // advance 40 µs: late
    const ctx = run({ scs_khz: 30 }, msgs);
    expect(ctx.occ.map((o) => [o.type, o.packetIndex])).toEqual([['rx_window_late', 101]]);
    expect(ctx.occ[0]!.evidence.mode).toBe('absolute');
    expect(ctx.occ[0]!.evidence.mode_note).toMatch(/inside its window.*absolute/);
  });

  it('auto: a DU systematically late by less than a window width is a finding, with lower confidence', () => {
    const ctx = run({ scs_khz: 30 }, stream(10, 30, 0n)); // advance 30 µs for a [50, 400] window
    expect(ctx.occ.length).toBeGreaterThan(0);
    expect(ctx.occ.every((o) => o.type === 'rx_window_late')).toBe(true);
    expect(ctx.occ.reduce((n, o) => n + o.packetCount, 0)).toBe(140);
    expect(ctx.occ[0]!.evidence.mode).toBe('absolute');
    expect(ctx.occ[0]!.evidence.mode_note).toMatch(/within one window width.*systematically off/);
    // 20 µs past a 350 µs-wide window on a systematically-off base (0.55): 0.55 + 0.24 × (1 − e^(−20/350))
    expect(ctx.occ[0]!.confidence).toBeCloseTo(0.55 + 0.24 * (1 - Math.exp(-20 / 350)), 2);
    // one window width beyond the bound is a clock offset instead
    expect(run({ scs_khz: 30 }, stream(10, -301, 0n)).occ).toEqual([]);
  });

  it('auto: a capture whose clock is not GPS-aligned falls back to relative and says so', () => {
    const msgs = stream(10, 200, -123_456_789n);
    msgs[3]![0] += 500n * US; // during learning: replayed and judged after the reference is known
    const ctx = run(undefined, msgs);
    expect(ctx.occ.map((o) => [o.type, o.packetIndex])).toEqual([['rx_window_late', 4]]);
    expect(ctx.occ[0]!.evidence.mode).toBe('relative');
    expect(ctx.occ[0]!.evidence.mode_note).toMatch(/outside its window.*not GPS-aligned/);
    expect(ctx.counts['u|dl|eaxc=0']).toEqual({ RX_ON_TIME: 139, RX_EARLY: 0, RX_LATE: 1 });
  });
});

describe('rx-window, numerology without scs_khz', () => {
  it('infers 60 kHz from slotIds 0..3 and judges with it (no false findings), saying so in evidence', () => {
    const msgs = stream(12, 200, 0n, 2);
    msgs[150]![0] += 190n * US;
    const ctx = run({ timing: { mode: 'absolute' } }, msgs);
    expect(ctx.occ.map((o) => o.packetIndex)).toEqual([151]);
    expect(ctx.occ[0]!.evidence.scs_khz).toBe(60);
    expect(ctx.occ[0]!.evidence.scs_source).toMatch(/inferred from slotId range 0\.\.3/);
  });

  it('defaults to 30 kHz when a short capture shows slot 0 only, and says so', () => {
    const msgs = stream(1, 200, 0n, 1).slice(0, 5);
    msgs[4]![0] += 190n * US;
    const ctx = run({ timing: { mode: 'absolute' } }, msgs);
    expect(ctx.occ.map((o) => o.packetIndex)).toEqual([5]);
    expect(ctx.occ[0]!.evidence.scs_source).toMatch(/default 30 kHz/);
  });

  it('does not judge PRACH / mixed-numerology messages (C-plane type 3, U-plane filterIndex ≠ 0)', () => {
    const c = packet(1, T0, { frameId: 8, subframeId: 0, slotId: 0, symbolId: 0, plane: 'c', dl: false });
    c.oran.sectionType = 3;
    const u = packet(2, T0 + 5_000_000n, { frameId: 8, subframeId: 0, slotId: 0, symbolId: 0, plane: 'u', dl: false });
    u.oran.filterIndex = 1;
    const ctx = context(ABS);
    const d = rxWindowDetector.create({ profile: ABS, thresholds: {} });
    feed(d, c, ctx);
    feed(d, u, ctx);
    end(d, ctx);
    expect(ctx.occ).toEqual([]);
    expect(ctx.counts['c|ul|eaxc=0']).toMatchObject({ RX_UNJUDGED_C: 1, RX_ON_TIME_C: 0 });
    expect(ctx.counts['u|ul|eaxc=0']).toMatchObject({ RX_UNJUDGED: 1, RX_LATE: 0 });
  });

  it('counts a slotId the numerology does not have as unjudged', () => {
    const ctx = run(ABS, [[T0, { frameId: 8, subframeId: 0, slotId: 5, symbolId: 0, plane: 'u', dl: true }]]);
    expect(ctx.counts['u|dl|eaxc=0']).toMatchObject({ RX_UNJUDGED: 1 });
  });
});

describe('rx-window KPI metrics', () => {
  it('emits the mean advance and the smallest margin to the window per flow and KPI bucket', () => {
    const msgs = stream(4, 200, 0n);
    msgs[10]![0] += 120n * US; // advance 80 µs: still inside [50, 400], margin 30 µs
    const ctx = run(ABS, msgs);
    expect(ctx.occ).toEqual([]);
    const mean = ctx.metrics.filter((m) => m.name === 'fh_rx_offset_us_mean');
    const margin = ctx.metrics.filter((m) => m.name === 'fh_rx_margin_us_min');
    expect(mean.length).toBe(1);
    expect(mean[0]!.value).toBeCloseTo(200 - 120 / 56, 2);
    expect(margin[0]!.value).toBeCloseTo(30, 2); // + the sub-ns fraction of the air time
    expect(margin[0]!.labels).toMatchObject({ flow: 'u|dl|eaxc=0', plane: 'u', direction: 'dl', mode: 'absolute' });
  });

  it('a negative margin is how far outside the window the worst message was', () => {
    const msgs = stream(2, 200, 0n);
    msgs[3]![0] += 190n * US; // advance 10 µs: 40 µs late
    const ctx = run(ABS, msgs);
    expect(ctx.metrics.find((m) => m.name === 'fh_rx_margin_us_min')!.value).toBeCloseTo(-40, 2);
  });
});
