/**
 * End to end: synthetic captures with injected uplane_without_cplane / cplane_without_uplane faults through
 * the reader and decoder into the coupling detector: every label at its packet_index, nothing on clean
 * traffic.
 */
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { analyse } from './test-support/synth-detect.js';
import { couplingDetector } from './coupling.js';

const PROFILES: [string, Profile | undefined][] = [
  ['profile', { scs_khz: 30, nrb: 51, timing: { mode: 'absolute' } }],
  ['no profile', undefined],
];

describe.each(PROFILES)('coupling on synthetic captures, %s', (_name, profile) => {
  it('clean traffic couples completely (one or three U-plane packets per symbol)', () => {
    expect(analyse(couplingDetector, profile, '').occ).toEqual([]);
    expect(analyse(couplingDetector, profile, '', { maxPrbPerPacket: 20 }).occ).toEqual([]);
  });

  it.each([
    'uplane_without_cplane@0.012',
    'uplane_without_cplane@0.01:dir=ul,eaxc=1',
    'uplane_without_cplane@0.01:eaxc=2,count=3',
    'cplane_without_uplane@0.012',
    'cplane_without_uplane@0.012:eaxc=3,count=2',
  ])('%s is found at its packet index', (spec) => {
    const { occ, labels } = analyse(couplingDetector, profile, spec);
    expect(labels.length).toBe(1);
    const label = labels[0]!;
    const found = occ.filter((o) => o.type === label.type);
    expect(found.map((o) => o.packetIndex)).toContain(label.packet_index);
    expect(found.reduce((n, o) => n + o.packetCount, 0)).toBe(label.packet_count);
    expect(occ.filter((o) => o.type !== label.type)).toEqual([]);
    const o = found.find((x) => x.packetIndex === label.packet_index)!;
    expect(o.flow).toMatchObject({ eaxc: label.flow.eaxc, plane: label.flow.plane, direction: label.flow.direction });
    expect(o.radio).toEqual(label.radio);
  });

  it('UL C-plane without UL U-plane is not a cplane_without_uplane finding (the rule is DL only)', () => {
    const { occ, labels } = analyse(couplingDetector, profile, 'cplane_without_uplane@0.012:dir=ul');
    expect(labels.length).toBe(1);
    expect(occ).toEqual([]);
  });
});
