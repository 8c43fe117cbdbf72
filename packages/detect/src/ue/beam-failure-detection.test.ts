import { describe, expect, it } from 'vitest';
import { UeBeamFailureDetection } from './beam-failure-detection.js';
import type { BeamEventSample } from './ue-link-samples.js';

const T0 = 1_600_000_000_000_000_000n;
const MS = 1_000_000n;
const CELL = { rat: 'nr' as const, arfcn: 632628, pci: 5 };

function run(events: [number, Partial<BeamEventSample>][]) {
  const d = new UeBeamFailureDetection();
  events.forEach(([ms, e], i) => d.onEvent({ tsNs: T0 + BigInt(ms) * MS, recordIndex: i + 1, cell: CELL, ...e }));
  return d.finish();
}

describe('beam_failure', () => {
  it('BFI counter reaching its maximum, then recovery, is one finding with the NR cell and the outcome', () => {
    const found = run([
      [0, { bfiCount: 1, bfiMaxCount: 3, event: 'bfi', ssbIndex: 2 }],
      [10, { bfiCount: 2, bfiMaxCount: 3, event: 'bfi', ssbIndex: 2 }],
      [20, { bfiCount: 3, bfiMaxCount: 3, event: 'bfi', ssbIndex: 2 }],
      [25, { event: 'bfr_start' }],
      [60, { event: 'bfr_success', ssbIndex: 5 }],
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'beam_failure',
      severity: 'major',
      packet_index: 3,
      packet_count: 3,
      radio: { cell: '632628/5', pci: 5, arfcn: 632628 },
      evidence: { outcome: 'recovered', bfi_count: 3, bfi_max_count: 3, ssb_index: 2 },
    });
  });

  it('a failed recovery is critical; an explicit beam failure detection event counts too', () => {
    const found = run([
      [0, { event: 'bfd' }],
      [30, { event: 'bfr_failure' }],
    ]);
    expect(found[0]).toMatchObject({ severity: 'critical', evidence: { outcome: 'recovery failed' } });
  });

  it('beam failure instances below the maximum, and recovery events alone, are not beam failure', () => {
    expect(
      run([
        [0, { bfiCount: 1, bfiMaxCount: 3, event: 'bfi' }],
        [10, { bfiCount: 2, bfiMaxCount: 3, event: 'bfi' }],
        [20, { bfiCount: 0, bfiMaxCount: 3 }],
        [30, { event: 'bfr_success' }],
      ]),
    ).toEqual([]);
  });

  it('failures of one cell less than 1 s apart are one anomaly; 3 s apart are two', () => {
    expect(
      run([
        [0, { event: 'bfd' }],
        [50, { event: 'bfr_success' }],
        [500, { event: 'bfd' }],
      ]),
    ).toHaveLength(1);
    expect(
      run([
        [0, { event: 'bfd' }],
        [50, { event: 'bfr_success' }],
        [3000, { event: 'bfd' }],
      ]),
    ).toHaveLength(2);
  });
});
