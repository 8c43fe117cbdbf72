/**
 * End to end: synthetic captures with injected compression_mismatch faults (DL: C-plane udCompHdr ≠ 0;
 * UL: the C-plane announces another IQ width than the U-plane carries) through the reader and decoder.
 */
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { analyse } from './test-support/synth-detect.js';
import { compressionDetector } from './compression.js';


const PROFILES: [string, Profile | undefined, string][] = [
  [
    'static profile',
    { nrb: 51, uplane: { comp_method: 'bfp', iq_width: 9, comp_hdr: 'static' } },
    'ul_cplane_vs_profile',
  ],
  ['no profile (U-plane format inferred)', undefined, 'uplane_vs_announced'],
];

describe.each(PROFILES)('compression on synthetic captures, %s', (_name, profile, ulReason) => {
  it('clean traffic (UL C-plane announcing the U-plane format, or 0) gives nothing', () => {
    expect(analyse(compressionDetector, profile, '').occ).toEqual([]);
    expect(analyse(compressionDetector, profile, '', { ulCompHdr: 'zero' }).occ).toEqual([]);
  });

  it.each([
    ['compression_mismatch@0.012', 'dl_cplane_reserved'],
    ['compression_mismatch@0.012:dir=ul', 'ul'],
    ['compression_mismatch@0.01:dir=ul,eaxc=1,count=3', 'ul'],
  ])('%s is found at its packet index', (spec, reason) => {
    const { occ, labels } = analyse(compressionDetector, profile, spec);
    expect(labels.length).toBe(1);
    const label = labels[0]!;
    expect(occ.map((o) => o.packetIndex)).toContain(label.packet_index);
    expect(new Set(occ.map((o) => o.evidence.reason))).toEqual(new Set([reason === 'ul' ? ulReason : reason]));
    expect(occ.length).toBe(label.packet_count);
    const o = occ.find((x) => x.packetIndex === label.packet_index)!;
    expect(o.flow).toMatchObject({ eaxc: label.flow.eaxc, plane: label.flow.plane, direction: label.flow.direction });
    expect(o.radio).toEqual(label.radio);
  });
});
