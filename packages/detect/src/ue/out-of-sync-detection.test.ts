import { describe, expect, it } from 'vitest';
import { UeOutOfSyncDetection, type RlmSample } from './out-of-sync-detection.js';

const T0 = 1_564_481_900_000_000_000n;
const MS = 1_000_000n;
const report = (ms: number, i: number, outOfSyncCount: number, t310Status = 0): RlmSample => ({
  tsNs: T0 + BigInt(ms) * MS,
  recordIndex: i,
  outOfSyncCount,
  outOfSyncBlerPct: outOfSyncCount > 0 ? 40 : 0,
  t310Status,
  cell: { earfcn: 1825, pci: 73 },
});

describe('out_of_sync from RLM reports', () => {
  it('one finding per episode of out-of-sync indications, with the highest count and T310 seen', () => {
    const d = new UeOutOfSyncDetection();
    [
      report(0, 1, 0),
      report(200, 2, 1),
      report(400, 3, 5, 1),
      report(600, 4, 20, 1),
      report(800, 5, 0),
      report(5000, 6, 2),
    ].forEach((r) => d.onReport(r));
    const found = d.finish();
    expect(
      found.map((a) => [a.packet_index, a.packet_count, a.evidence.max_out_of_sync_count, a.evidence.t310_status_max]),
    ).toEqual([
      [2, 3, 20, 1],
      [6, 1, 2, 0],
    ]);
    expect(found[0]).toMatchObject({
      type: 'out_of_sync',
      source: 'ue',
      severity: 'major',
      radio: { cell: '1825/73', pci: 73, earfcn: 1825 },
    });
    expect(found[0]!.description).toBe(
      'radio link monitoring out-of-sync on PCI 73 EARFCN 1825: count up to 20 over 0.4 s, T310 running',
    );
  });

  it('reports nothing while every report is in sync', () => {
    const d = new UeOutOfSyncDetection();
    for (let i = 0; i < 50; i++) d.onReport(report(i * 100, i + 1, 0));
    expect(d.finish()).toEqual([]);
  });
});
