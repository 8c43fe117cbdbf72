/**
 * End to end: synthetic captures (capture/synth) with injected rx_window_late / rx_window_early faults,
 * through the reader and packet decoder, into the rx-window detector. Every label is found at its
 * packet_index; clean traffic gives no window finding and only on-time counters.
 */
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { analyse } from './test-support/synth-detect.js';
import { rxWindowDetector } from './rx-window.js';


const PROFILES: [string, Profile | undefined][] = [
  ['absolute profile', { scs_khz: 30, nrb: 51, timing: { mode: 'absolute' } }],
  ['no profile (auto mode, inferred SCS)', undefined],
];

describe.each(PROFILES)('rx-window on synthetic captures, %s', (_name, profile) => {
  it('clean traffic: no window findings, every message on time', () => {
    const { occ, counts } = analyse(rxWindowDetector, profile, '');
    expect(occ).toEqual([]);
    for (const [flow, c] of Object.entries(counts)) {
      const suffix = flow.startsWith('c') ? '_C' : '';
      expect(c[`RX_EARLY${suffix}`], flow).toBe(0);
      expect(c[`RX_LATE${suffix}`], flow).toBe(0);
      expect(c[`RX_ON_TIME${suffix}`], flow).toBeGreaterThan(0);
    }
  });

  it.each([
    'rx_window_late@0.012',
    'rx_window_early@0.012',
    'rx_window_late@0.01:dir=ul,eaxc=1',
    'rx_window_early@0.01:dir=ul',
    'rx_window_late@0.015:plane=c',
    'rx_window_early@0.015:plane=c,dir=ul,count=2',
  ])('%s is found at its packet index', (spec) => {
    const { occ, labels } = analyse(rxWindowDetector, profile, spec);
    expect(labels.length).toBe(1);
    const label = labels[0]!;
    const found = occ.filter((o) => o.type === label.type);
    expect(found.map((o) => o.packetIndex)).toContain(label.packet_index);
    expect(found.reduce((n, o) => n + o.packetCount, 0)).toBe(label.packet_count);
    expect(occ.filter((o) => o.type !== label.type)).toEqual([]);
    const o = found.find((x) => x.packetIndex === label.packet_index)!;
    expect(o.flow).toMatchObject({ eaxc: label.flow.eaxc, plane: label.flow.plane, direction: label.flow.direction });
    expect(o.radio).toEqual(label.radio);
    expect(o.evidence.mode).toBe('absolute');
  });
});
