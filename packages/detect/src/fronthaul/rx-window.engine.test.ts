/**
 * The fronthaul timing, coupling, PRB, compression and UL-burst detectors through the framework engine
 * (registry, thresholds, aggregation): one synthetic capture with one fault of each of their types; every
 * label is an anomaly at its packet_index, and these detectors report nothing a label does not explain.
 */
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { parseFaultSpec, synthFronthaul } from '../../../capture/src/synth/index.js';
import { detectCapture } from '../framework/detect-capture.js';
import { ThresholdRegistry } from '../framework/thresholds.js';
import { DETECTORS } from '../registry.js';

const MY_TYPES = new Set([
  'rx_window_late',
  'rx_window_early',
  'uplane_without_cplane',
  'cplane_without_uplane',
  'prb_out_of_range',
  'compression_mismatch',
  'ul_symbol_burst_slow',
]);

const FAULTS =
  'rx_window_late@0.010;rx_window_early@0.014:eaxc=1;uplane_without_cplane@0.018:eaxc=1;' +
  'cplane_without_uplane@0.022:eaxc=2;prb_out_of_range@0.026:eaxc=3;compression_mismatch@0.030;' +
  'ul_symbol_burst_slow@0.034';

function capture(faults: string): { bytes: Uint8Array; labels: ReturnType<typeof synthFronthaul>['labels'] } {
  const synth = synthFronthaul({ durationS: 0.05, nrb: 51, maxPrbPerPacket: 20 }, parseFaultSpec(faults), 5);
  const chunks = [...synth];
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.length;
  }
  return { bytes, labels: synth.labels };
}

describe.each<[string, Profile | undefined]>([
  [
    'with a profile',
    {
      scs_khz: 30,
      nrb: 51,
      timing: { mode: 'absolute' },
      uplane: { comp_method: 'bfp', iq_width: 9, comp_hdr: 'static' },
    },
  ],
  ['without a profile', undefined],
])('fronthaul detectors through the engine, %s', (_name, profile) => {
  it('clean capture: none of these types', () => {
    const { bytes } = capture('');
    const res = detectCapture(bytes, 'pcap', { profile, decode: { nrb: profile?.nrb } });
    expect(res.anomalies.filter((a) => MY_TYPES.has(a.type)).map((a) => `${a.type}@${a.packet_index}`)).toEqual([]);
    expect(res.warnings).toBeUndefined();
    expect(Object.keys(res.counters).some((k) => res.counters[k]!.RX_ON_TIME! > 0)).toBe(true);
  });

  it('one fault of each type: every label found at its packet index, nothing unexplained', () => {
    const { bytes, labels } = capture(FAULTS);
    expect(labels.map((l) => l.type).sort()).toEqual([...MY_TYPES].sort());
    const res = detectCapture(bytes, 'pcap', { profile, decode: { nrb: profile?.nrb } });
    expect(res.warnings).toBeUndefined();
    const mine = res.anomalies.filter((a) => MY_TYPES.has(a.type));
    for (const l of labels) {
      // without a profile NRB (and no numPrbu-0 section to learn it from) a PRB overflow inside 275 PRBs is
      // only visible as U-plane outside its C-plane section, which the label allows
      const accept: string[] = profile ? [l.type] : [l.type, ...(l.also ?? [])];
      expect(
        mine.some((a) => accept.includes(a.type) && a.packet_index === l.packet_index),
        `${l.type} at ${l.packet_index}: got ${mine.map((a) => `${a.type}@${a.packet_index}`).join(', ')}`,
      ).toBe(true);
    }
    for (const a of mine) {
      expect(
        labels.some((l) => l.type === a.type || (l.also ?? []).includes(a.type as never)),
        `${a.type}@${a.packet_index} not explained by a label`,
      ).toBe(true);
    }
    const late = mine.find((a) => a.type === 'rx_window_late')!;
    expect(late.evidence).toMatchObject({ mode: 'absolute', window: 'dl_uplane' });
    expect(late.severity).toBe('critical');
    expect(late.packet_context?.some((c) => c.focus === true)).toBe(true);
  });

  it('an early UL U-plane packet also spreads its symbol burst (both findings are real)', () => {
    const { bytes, labels } = capture('rx_window_early@0.014:dir=ul');
    const res = detectCapture(bytes, 'pcap', { profile, decode: { nrb: profile?.nrb } });
    const at = labels[0]!.packet_index;
    expect(
      res.anomalies
        .filter((a) => MY_TYPES.has(a.type))
        .map((a) => `${a.type}@${a.packet_index}`)
        .sort(),
    ).toEqual([`rx_window_early@${at}`, `ul_symbol_burst_slow@${at}`]);
  });
});

describe('threshold options and profile checks of these detectors', () => {
  const registry = new ThresholdRegistry(DETECTORS);

  it('lists every documented option with its default', () => {
    const rows = registry.list().filter((r) => MY_TYPES.has(r.type));
    expect(rows.map((r) => `${r.type}.${r.option}=${r.default}`).sort()).toEqual([
      'rx_window_early.relative_tolerance=1',
      'rx_window_late.learn_packets=64',
      'rx_window_late.relative_tolerance=1',
      'ul_symbol_burst_slow.max_spread_us=50',
      'uplane_without_cplane.capture_start_guard_us=1000',
      'uplane_without_cplane.slot_close_us=3000',
    ]);
    for (const t of MY_TYPES) expect(registry.types()).toContain(t);
  });

  it('rejects an unknown option naming the key, and applies a known one', () => {
    expect(() => registry.resolve({ ul_symbol_burst_slow: { max_spread: 10 } })).toThrow(
      /thresholds\.ul_symbol_burst_slow\.max_spread/,
    );
    expect(registry.resolve({ ul_symbol_burst_slow: { max_spread_us: 10 } }).ul_symbol_burst_slow).toEqual({
      max_spread_us: 10,
    });
  });

  it('a window with min > max is a configuration error naming the key', () => {
    const { bytes } = capture('');
    expect(() =>
      detectCapture(bytes, 'pcap', { profile: { timing: { windows_us: { dl_uplane: [400, 50] } } } }),
    ).toThrow(/timing\.windows_us\.dl_uplane must be \[min, max\]/);
  });
});
