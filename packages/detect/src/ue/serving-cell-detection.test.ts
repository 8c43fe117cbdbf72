import { describe, expect, it } from 'vitest';
import { UeServingCellDetection, type ServingCellSample } from './serving-cell-detection.js';
import { resolveUeThresholds } from './ue-thresholds.js';

const T0 = 1_600_000_000_000_000_000n; // 2020-09-13T12:26:40Z
const MS = 1_000_000n;

/** A serving-cell sample every `stepMs` from `values` (RSRP, SINR, Rx0/Rx1 RSRP per sample). */
function run(samples: Partial<ServingCellSample>[], stepMs = 40, overrides?: Record<string, Record<string, unknown>>) {
  const d = new UeServingCellDetection(resolveUeThresholds(overrides));
  samples.forEach((s, i) =>
    d.onSample({
      tsNs: T0 + BigInt(i * stepMs) * MS,
      recordIndex: i + 1,
      earfcn: 2300,
      pci: 314,
      rsrp: -95,
      rsrq: -10,
      sinr: 15,
      rsrpRx: [-95, -96],
      ...s,
    }),
  );
  return { anomalies: d.finish() };
}
const repeat = (n: number, s: Partial<ServingCellSample>): Partial<ServingCellSample>[] =>
  Array.from({ length: n }, () => ({ ...s }));
const types = (r: ReturnType<typeof run>): string[] => r.anomalies.map((a) => a.type);

describe('UE serving-cell detectors', () => {
  it('report nothing on a steady, healthy cell', () => {
    const r = run(repeat(100, {})); // 4 s
    expect(r.anomalies).toEqual([]);
  });

  it('rsrp_low: below −115 dBm for 1 s is one finding with its span; 0.9 s is not', () => {
    const edge = { rsrp: -112, rsrpRx: [-112, -112] }; // near the threshold: entering the low span is no 10 dB drop
    const low = run([...repeat(10, edge), ...repeat(30, { rsrp: -120, rsrpRx: [-120, -121] }), ...repeat(10, edge)]); // 29 × 40 ms = 1.16 s
    expect(types(low)).toEqual(['rsrp_low']);
    expect(low.anomalies[0]).toMatchObject({
      source: 'ue',
      severity: 'major',
      packet_index: 11,
      packet_count: 30,
      radio: { cell: '2300/314', pci: 314, earfcn: 2300 },
      evidence: { min_rsrp_dbm: -120, duration_ms: 1160, max_rsrp_dbm_threshold: -115 },
    });
    expect(low.anomalies[0]!.end_timestamp).toBeDefined();
    expect(
      types(run([...repeat(10, edge), ...repeat(23, { rsrp: -120, rsrpRx: [-120, -121] }), ...repeat(10, edge)])),
    ).toEqual([]); // 0.88 s
    expect(types(run(repeat(30, { rsrp: -114, rsrpRx: [-114, -114] })))).toEqual([]);
  });

  it('rsrp_drop: a fall of more than 10 dB inside 500 ms triggers once per burst; a slow fall does not', () => {
    const fast = run([...repeat(10, {}), ...repeat(10, { rsrp: -107, rsrpRx: [-107, -107] })]);
    expect(types(fast)).toEqual(['rsrp_drop']);
    expect(fast.anomalies[0]!.evidence).toMatchObject({ from_dbm: -95, to_dbm: -107, drop_db: 12, within_ms: 40 });
    // a deeper step inside the burst moves the drop's deepest point; every sample below counts
    const deeper = run([
      ...repeat(10, {}),
      ...repeat(3, { rsrp: -107, rsrpRx: [-107, -107] }),
      ...repeat(3, { rsrp: -110, rsrpRx: [-110, -110] }),
    ]);
    expect(types(deeper)).toEqual(['rsrp_drop']);
    expect(deeper.anomalies[0]!.evidence).toMatchObject({
      from_dbm: -95,
      to_dbm: -110,
      drop_db: 15,
      within_ms: 160,
      samples_below: 6,
    });
    // −12 dB over 1.2 s in 0.4 dB steps: never 10 dB inside a 500 ms window
    const slow = run(
      Array.from({ length: 31 }, (_, i) => ({ rsrp: -95 - i * 0.4, rsrpRx: [-95 - i * 0.4, -95 - i * 0.4] })),
    );
    expect(types(slow)).toEqual([]);
    // the same cell after a handover is another cell: no drop from the old cell's level
    expect(types(run([...repeat(10, {}), ...repeat(10, { pci: 7, rsrp: -110, rsrpRx: [-110, -110] })]))).toEqual([]);
  });

  it('sinr_drop: SINR falling more than 10 dB inside 500 ms triggers; 9 dB does not', () => {
    expect(types(run([...repeat(5, {}), ...repeat(5, { sinr: 2 })]))).toEqual(['sinr_drop']);
    expect(types(run([...repeat(5, {}), ...repeat(5, { sinr: 6 })]))).toEqual([]);
  });

  it('rx_imbalance: chains more than 6 dB apart for 1 s; a single chain or 5 dB is not', () => {
    const imb = run(repeat(40, { rsrpRx: [-95, -103] }));
    expect(types(imb)).toEqual(['rx_imbalance']);
    expect(imb.anomalies[0]).toMatchObject({
      severity: 'minor',
      evidence: { max_delta_db: 8, min_delta_db_threshold: 6 },
    });
    expect(types(run(repeat(40, { rsrpRx: [-95, -100] })))).toEqual([]);
    expect(types(run(repeat(40, { rsrpRx: [-95, null] })))).toEqual([]);
  });

  it('takes its thresholds from the profile', () => {
    expect(types(run(repeat(40, { rsrpRx: [-95, -100] }), 40, { rx_imbalance: { min_delta_db: 4 } }))).toEqual([
      'rx_imbalance',
    ]);
    expect(() => resolveUeThresholds({ rsrp_low: { max_rsrp: -110 } })).toThrow(/thresholds.rsrp_low.max_rsrp/);
  });

  it('rsrp_low and rx_imbalance ending at one sample close in that order; a sample with one chain ends no imbalance', () => {
    const edge = { rsrp: -112, rsrpRx: [-112, -112] }; // near the threshold: no 10 dB drop on the way down
    const both = { rsrp: -120, rsrpRx: [-120, -130] }; // low, chains 10 dB apart
    const together = run([...repeat(10, edge), ...repeat(30, both), ...repeat(10, edge)]);
    expect(types(together)).toEqual(['rsrp_low', 'rx_imbalance']);
    expect(together.anomalies.map((a) => a.evidence.samples)).toEqual([30, 30]);
    // RSRP back above the limit with one chain unmeasured: the low episode ends there, the imbalance goes on
    const oneChain = run([
      ...repeat(10, edge),
      ...repeat(30, both),
      ...repeat(5, { rsrp: -112, rsrpRx: [-112, null] }),
      ...repeat(10, { rsrp: -112, rsrpRx: [-112, -122] }),
      ...repeat(5, edge),
    ]);
    expect(types(oneChain)).toEqual(['rsrp_low', 'rx_imbalance']);
    expect(oneChain.anomalies.map((a) => a.evidence.samples)).toEqual([30, 40]);
  });

  it('a pause in measurements longer than 2 s ends a sustained condition', () => {
    const d = new UeServingCellDetection(resolveUeThresholds(undefined));
    const s = (ms: number, i: number): ServingCellSample => ({
      tsNs: T0 + BigInt(ms) * MS,
      recordIndex: i,
      earfcn: 1,
      pci: 1,
      rsrp: -120,
      rsrq: -12,
      sinr: 1,
      rsrpRx: [-120, -120],
    });
    d.onSample(s(0, 1));
    d.onSample(s(600, 2));
    d.onSample(s(3000, 3)); // gap 2.4 s: the first episode (0.6 s) is closed, too short
    d.onSample(s(3500, 4));
    expect(d.finish()).toEqual([]);
  });

  it('two cells alternating sample by sample: each its own state, closed at the end least recently seen first', () => {
    // the PCell and an SCell of each record (or two subscriptions): every sample is of the cell before the last
    const low = { rsrp: -120, rsrpRx: [-120, -121] };
    const alternate = (n: number) => Array.from({ length: n }, (_, i) => ({ ...low, pci: i % 2 === 0 ? 1 : 2 }));
    for (const n of [60, 61]) {
      // 40 ms apart: each cell sampled every 80 ms, low for 2.3 s — one rsrp_low each, open until finish()
      const r = run(alternate(n));
      expect(types(r)).toEqual(['rsrp_low', 'rsrp_low']);
      const lastPci = n % 2 === 0 ? 2 : 1;
      expect(r.anomalies.map((a) => a.radio?.pci)).toEqual([3 - lastPci, lastPci]);
      expect(r.anomalies.map((a) => a.packet_count)).toEqual(n % 2 === 0 ? [30, 30] : [30, 31]);
    }
  });

  it('with a sink, hands findings over while the log is read, the same ones as without one', () => {
    // 20 minutes of a cell measured every 40 ms, alternating 1.2 s spells at -120 dBm and -95 dBm, two chains
    // 8 dB apart and SINR 13 dB lower in the low spells: rsrp_low, rx_imbalance, rsrp_drop and sinr_drop in
    // each low spell, past the batch of 1000 findings.
    const samples = Array.from({ length: 30_000 }, (_, i): ServingCellSample => {
      const low = Math.floor(i / 30) % 2 === 1;
      return {
        tsNs: T0 + BigInt(i * 40) * MS,
        recordIndex: i + 1,
        earfcn: 2300,
        pci: 314,
        rsrp: low ? -120 : -95,
        rsrq: -10,
        sinr: low ? 2 : 15,
        rsrpRx: low ? [-116, -124] : [-95, -96],
      };
    });
    const plain = new UeServingCellDetection(resolveUeThresholds(undefined));
    for (const s of samples) plain.onSample(s);
    const all = plain.finish();

    const got: unknown[] = [];
    let largestHeld = 0;
    const d = new UeServingCellDetection(resolveUeThresholds(undefined), {
      anomalies: (b) => {
        largestHeld = Math.max(largestHeld, b.length);
        got.push(...b);
      },
      metrics: () => {
        throw new Error("the KPI rows are the KPI windows' (pipeline diag-kpi.ts)");
      },
    });
    for (const s of samples) d.onSample(s);
    const handedBeforeEnd = got.length;
    expect(d.finish()).toEqual([]);
    expect(new Set(all.map((a) => a.type))).toEqual(new Set(['rsrp_low', 'rx_imbalance', 'rsrp_drop', 'sinr_drop']));
    expect(all.length).toBeGreaterThan(1000);
    expect(handedBeforeEnd).toBeGreaterThanOrEqual(1000);
    expect(largestHeld).toBeLessThanOrEqual(1000);
    expect(got).toEqual(all);
  });
});
