import { describe, expect, it } from 'vitest';
import { UeBlerHighDetection } from './bler-high-detection.js';
import type { PdschTbSample } from './ue-link-samples.js';
import { resolveUeThresholds } from './ue-thresholds.js';

const T0 = 1_600_000_000_000_000_000n;
const MS = 1_000_000n;
const CELL = { rat: 'lte' as const, earfcn: 1825, pci: 73 };

/** `n` initial TBs one per ms from `startMs`; TB i is NACKed when `nack(i)`; each NACK's retransmission passes. */
function tbs(startMs: number, n: number, nack: (i: number) => boolean): PdschTbSample[] {
  const out: PdschTbSample[] = [];
  for (let i = 0; i < n; i++) {
    const ts = T0 + BigInt(startMs + i) * MS;
    const harqId = i % 8;
    out.push({ tsNs: ts, recordIndex: 0, cell: CELL, rnti: 4660, harqId, rv: 0, isRetx: false, crcPass: !nack(i) });
    if (nack(i))
      out.push({ tsNs: ts + MS / 2n, recordIndex: 0, cell: CELL, harqId, rv: 2, isRetx: true, crcPass: true });
  }
  return out.map((s, k) => ({ ...s, recordIndex: k + 1 }));
}

function run(samples: PdschTbSample[], overrides?: Record<string, Record<string, unknown>>) {
  const d = new UeBlerHighDetection(resolveUeThresholds(overrides));
  for (const s of samples) d.onTb(s);
  return d.finish();
}

describe('bler_high', () => {
  it('20 % of initial TBs NACKed for 3 s is one anomaly with the cell, RNTI and the measured BLER', () => {
    const found = run(tbs(0, 3000, (i) => i % 5 === 0));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'bler_high',
      source: 'ue',
      severity: 'major',
      packet_index: 1,
      radio: { cell: '1825/73', pci: 73, earfcn: 1825, rnti: 4660 },
      evidence: { bler: 0.2, initial_tbs: 1000, nacked_initial_tbs: 200, max_bler_threshold: 0.1, window_ms: 1000 },
    });
    expect(found[0]!.end_timestamp).toBe('2020-09-13T12:26:42.995000000Z'); // the last NACKed initial TB
  });

  it('a high BLER that starts inside a window is reported from its first NACK (the window slides)', () => {
    // clean for 1.35 s, then 25 % for 1 s
    const found = run(tbs(0, 2350, (i) => i >= 1350 && i % 4 === 0));
    expect(found).toHaveLength(1);
    expect(found[0]!.timestamp).toBe('2020-09-13T12:26:41.352000000Z');
    expect(found[0]!.evidence).toMatchObject({ bler: 0.237, initial_tbs: 1000, nacked_initial_tbs: 237 }); // [1.3 s, 2.3 s): TBs 1352…2296
  });

  it('10 % exactly, failed retransmissions, or fewer than min_tbs initial TBs do not trigger', () => {
    expect(run(tbs(0, 3000, (i) => i % 10 === 0))).toEqual([]); // 10 %: at the target, not above
    // 50 TBs per second at 40 %: too few TBs for a verdict
    const sparse = tbs(0, 150, (i) => i % 5 < 2).map((s) => ({ ...s, tsNs: T0 + (s.tsNs - T0) * 20n }));
    expect(run(sparse)).toEqual([]);
    // retransmissions that fail do not count: BLER is over initial transmissions
    const retxFail = tbs(0, 2000, (i) => i % 20 === 0).map((s) => (s.isRetx ? { ...s, crcPass: false } : s));
    expect(run(retxFail)).toEqual([]);
  });

  it('takes max_bler and min_tbs from the profile', () => {
    expect(
      run(
        tbs(0, 2000, (i) => i % 20 === 0),
        { bler_high: { max_bler: 0.04 } },
      ),
    ).toHaveLength(1);
    const sparse = tbs(0, 150, (i) => i % 5 < 2).map((s) => ({ ...s, tsNs: T0 + (s.tsNs - T0) * 20n }));
    expect(run(sparse, { bler_high: { min_tbs: 40 } })).toHaveLength(1);
  });

  it('keeps cells apart: a bad cell does not raise a good one', () => {
    const other = { rat: 'lte' as const, earfcn: 1825, pci: 74 };
    const good = tbs(0, 2000, () => false).map((s) => ({ ...s, cell: other }));
    const found = run([...tbs(0, 2000, (i) => i % 4 === 0), ...good].sort((a, b) => Number(a.tsNs - b.tsNs)));
    expect(found.map((a) => a.radio?.pci)).toEqual([73]);
  });
});
