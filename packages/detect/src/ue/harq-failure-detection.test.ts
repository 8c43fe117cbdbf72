import { describe, expect, it } from 'vitest';
import { UeHarqFailureDetection } from './harq-failure-detection.js';
import type { PdschTbSample } from './ue-link-samples.js';
import { resolveUeThresholds } from './ue-thresholds.js';

const T0 = 1_600_000_000_000_000_000n;
const MS = 1_000_000n;
const CELL = { rat: 'lte' as const, earfcn: 1825, pci: 73 };
const RV = [0, 2, 3, 1];

type Tb = Pick<PdschTbSample, 'harqId' | 'isRetx' | 'crcPass'> & Partial<PdschTbSample>;

function run(list: Tb[], overrides?: Record<string, Record<string, unknown>>) {
  const d = new UeHarqFailureDetection(resolveUeThresholds(overrides));
  list.forEach((t, i) => d.onTb({ tsNs: T0 + BigInt(i) * MS, recordIndex: i + 1, cell: CELL, rv: 0, ...t }));
  return d.finish();
}
const ok = (harqId: number): Tb => ({ harqId, isRetx: false, crcPass: true });
/** A TB on process `harqId` that fails `fails` transmissions, then passes if `fails` < 4. */
function tb(harqId: number, fails: number): Tb[] {
  const out: Tb[] = [];
  for (let k = 0; k <= Math.min(fails, 3); k++) out.push({ harqId, rv: RV[k]!, isRetx: k > 0, crcPass: k >= fails });
  return out;
}
/** Interleaves with passing TBs of other processes so NACKs are never consecutive. */
const spaced = (list: Tb[]): Tb[] => list.flatMap((t) => [t, ok(7)]);

describe('harq_failure', () => {
  it('a NACK on the 4th transmission (RV 1, the last of the cycle) is max retransmissions reached', () => {
    const found = run(spaced([...tb(0, 1), ...tb(1, 4), ...tb(2, 0)]));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'harq_failure',
      severity: 'major',
      packet_index: 11, // the 4th transmission of process 1
      radio: { cell: '1825/73', pci: 73, earfcn: 1825 },
      evidence: { reason: 'max_retransmissions', harq_id: 1, rv: 1, transmissions: 4, max_transmissions_threshold: 4 },
    });
  });

  it('a TB recovered on its 4th transmission, or 3 failures then a new TB, is not a failure', () => {
    expect(run(spaced([...tb(0, 3), ...tb(0, 0), ...tb(1, 2)]))).toEqual([]);
  });

  it('uses the log’s own HARQ-failure flag when it has one (NR 0xB888)', () => {
    const found = run(spaced([{ harqId: 3, isRetx: true, crcPass: false, harqFailure: true, retxNumber: 1 }]));
    expect(found[0]!.evidence).toMatchObject({ logged_harq_failure: true, transmissions: 2 });
    // the flag says no: 4 NACKs in the process are not a failure in this log
    const noFlag = spaced(tb(1, 4)).map((t) => (t.harqId === 1 ? { ...t, harqFailure: false } : t));
    expect(run(noFlag)).toEqual([]);
  });

  it('5 consecutive NACKs on a cell are a NACK burst; 4 are not', () => {
    const nack = (h: number): Tb => ({ harqId: h, isRetx: false, crcPass: false });
    const burst = run([ok(0), nack(1), nack(2), nack(3), nack(4), nack(5), ok(6)]);
    expect(burst).toHaveLength(1);
    expect(burst[0]).toMatchObject({
      packet_index: 2,
      packet_count: 5,
      evidence: { reason: 'nack_burst', consecutive_nacks: 5, min_consecutive_nack_threshold: 5, end_packet_index: 6 },
    });
    expect(run([ok(0), nack(1), nack(2), nack(3), nack(4), ok(6)])).toEqual([]);
    expect(run([ok(0), nack(1), nack(2), nack(3), ok(6)], { harq_failure: { min_consecutive_nack: 3 } })).toHaveLength(
      1,
    );
  });
});
