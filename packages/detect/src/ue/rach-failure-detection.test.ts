import { describe, expect, it } from 'vitest';
import { UeRachFailureDetection } from './rach-failure-detection.js';
import type { RachAttemptSample } from './ue-link-samples.js';

const T0 = 1_600_000_000_000_000_000n;
const MS = 1_000_000n;
const CELL = { rat: 'lte' as const, earfcn: 1825, pci: 73 };

function run(attempts: [number, Partial<RachAttemptSample> & Pick<RachAttemptSample, 'result'>][]) {
  const d = new UeRachFailureDetection();
  attempts.forEach(([ms, a], i) => d.onAttempt({ tsNs: T0 + BigInt(ms) * MS, recordIndex: i + 1, cell: CELL, ...a }));
  return d.finish();
}

describe('rach_failure', () => {
  it('failed attempts of one procedure are one finding counting each kind', () => {
    const found = run([
      [0, { result: 'no_rar', attempt: 1, preambleTransMax: 10 }],
      [20, { result: 'contention_lost', attempt: 2, preambleTransMax: 10 }],
      [40, { result: 'success', attempt: 3, preambleTransMax: 10 }],
    ]);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'rach_failure',
      severity: 'major',
      packet_index: 1,
      packet_count: 2,
      radio: { cell: '1825/73', pci: 73, earfcn: 1825 },
      evidence: { result: 'no_rar', attempt: 1, occurrences: 2, totals: { no_rar: 1, contention_lost: 1 } },
    });
  });

  it('the attempt reaching preambleTransMax fails the procedure: critical', () => {
    const found = run([[0, { result: 'no_rar', attempt: 4, preambleTransMax: 4 }]]);
    expect(found[0]).toMatchObject({ severity: 'critical', evidence: { procedure_failed: true } });
  });

  it('successful attempts give nothing', () => {
    expect(
      run([
        [0, { result: 'success', attempt: 1 }],
        [5000, { result: 'success', attempt: 1 }],
      ]),
    ).toEqual([]);
  });
});
