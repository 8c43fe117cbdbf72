import { describe, expect, it } from 'vitest';
import { UeTimingAdvanceJumpDetection } from './timing-advance-jump-detection.js';
import type { TimingAdvanceSample } from './ue-link-samples.js';
import { resolveUeThresholds } from './ue-thresholds.js';

const T0 = 1_600_000_000_000_000_000n;
const MS = 1_000_000n;
const CELL = { rat: 'lte' as const, earfcn: 1825, pci: 73 };

function run(
  updates: [number, 'absolute' | 'relative', number][],
  overrides?: Record<string, Record<string, unknown>>,
) {
  const d = new UeTimingAdvanceJumpDetection(resolveUeThresholds(overrides));
  updates.forEach(([ms, kind, value], i) =>
    d.onUpdate({ tsNs: T0 + BigInt(ms) * MS, recordIndex: i + 1, cell: CELL, kind, value } as TimingAdvanceSample),
  );
  return d.finish();
}

describe('timing_advance_jump', () => {
  it('a TA command of +20 units after a RAR is a jump, with the NTA before and after', () => {
    const found = run([
      [0, 'absolute', 100],
      [500, 'relative', 1],
      [1000, 'relative', 20],
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'timing_advance_jump',
      severity: 'minor',
      packet_index: 3,
      radio: { cell: '1825/73', pci: 73, earfcn: 1825 },
      evidence: { step_ta: 20, from_ta: 101, to_ta: 121, update: 'relative', max_delta_ta_threshold: 16 },
    });
  });

  it('a new RAR far from the tracked NTA is a jump; the first RAR is a start, not a step', () => {
    expect(run([[0, 'absolute', 300]])).toEqual([]);
    expect(
      run([
        [0, 'absolute', 300],
        [2000, 'absolute', 260],
      ])[0]!.evidence,
    ).toMatchObject({ step_ta: -40 });
  });

  it('steps of 16 units or less are tracking, not jumps; the threshold is a profile option', () => {
    const steady: [number, 'absolute' | 'relative', number][] = [
      [0, 'absolute', 100],
      [100, 'relative', 16],
      [200, 'relative', -16],
      [300, 'absolute', 110],
    ];
    expect(run(steady)).toEqual([]);
    expect(run(steady, { timing_advance_jump: { max_delta_ta: 12 } })).toHaveLength(1); // two steps 100 ms apart: one burst
  });
});
