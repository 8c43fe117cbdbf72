/**
 * End to end: synthetic captures with an injected prb_out_of_range fault through the reader and decoder
 * into the prb-range detector (and the coupling detector, which the label allows to report too).
 */
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { analyse } from './test-support/synth-detect.js';
import { couplingDetector } from './coupling.js';
import { prbRangeDetector } from './prb-range.js';


describe('prb-range on synthetic captures', () => {
  it.each<[string, Profile | undefined]>([
    ['profile nrb 51', { nrb: 51 }],
    ['no profile', undefined],
  ])('clean traffic gives nothing (%s)', (_n, profile) => {
    expect(analyse(prbRangeDetector, profile, '').occ).toEqual([]);
  });

  it.each<[string, Profile | undefined]>([
    ['profile nrb 273', { nrb: 273 }],
    ['no profile (NRB learned from numPrbu 0 sections or 275)', undefined],
  ])('prb_out_of_range is found at its packet index (%s)', (_n, profile) => {
    const { occ, labels } = analyse(prbRangeDetector, profile, 'prb_out_of_range@0.012:overflow=8', { nrb: 273 });
    const label = labels[0]!;
    expect(occ.map((o) => [o.type, o.packetIndex])).toEqual([['prb_out_of_range', label.packet_index]]);
    expect(occ[0]!.evidence).toMatchObject({ start_prbu: 265, num_prbu: 16, nrb: 273 });
    expect(label.also).toContain('uplane_without_cplane');
    // the coupling detector sees the same section outside its C-plane section
    const coupling = analyse(couplingDetector, profile, 'prb_out_of_range@0.012:overflow=8', { nrb: 273 }).occ;
    expect(coupling.map((o) => [o.type, o.packetIndex, o.evidence.reason])).toEqual([
      ['uplane_without_cplane', label.packet_index, 'prbs_outside'],
    ]);
  });
});
