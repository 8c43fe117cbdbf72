import { describe, expect, it } from 'vitest';
import {
  concat,
  diagLogPacket,
  hdlcFrame,
  nrPdschStatsBody,
  nrSearcherMeasBody,
  pucchCsfBody,
  pdschStatBody,
  rachAttemptBody,
  rawTs,
  scmrBody,
  scmrV4,
  weakCell,
  type PdschTbRaw,
} from '../../../capture/src/diag/test-support/diag-fixtures.js';
import { nrUlScheduleBody } from '../../../capture/src/diag/build/nr-bodies.js';
import { analyzeFile, type AnalyzeInput } from '../analyze-file.js';
import { DiagKpiWindows } from './diag-kpi.js';

const input = (name: string, bytes: Uint8Array): AnalyzeInput => ({
  name,
  size: bytes.length,
  async *open() {
    yield bytes;
  },
});

const TICKS = 800 * 1_100_000_000; // 1.25 ms ticks: a 2002 date
const tb = (harqId: number, crcPass: boolean, o: Partial<PdschTbRaw> = {}): PdschTbRaw => ({
  harqId,
  rv: 0,
  ndi: 0,
  crcPass,
  rntiType: 0,
  recombined: false,
  tbSize: 1000,
  mcs: 20,
  numRb: 50,
  ...o,
});

describe('UE KPIs of a DIAG log (1-second windows per serving cell)', () => {
  it('BLER over initial transmissions, HARQ retransmissions, MCS, RACH attempts and RAR TA', async () => {
    const cell = hdlcFrame(diagLogPacket(0xb193, rawTs(TICKS), [...scmrBody(4, scmrV4(2300, weakCell(1, 2)))]));
    // 4 initial TBs (1 CRC failure), 2 retransmissions (one fails again), 1 SI-RNTI block (not the UE's data)
    const pdsch = hdlcFrame(
      diagLogPacket(0xb173, rawTs(TICKS + 10), [
        ...pdschStatBody(16, [
          { sfn: 1, subframe: 0, layers: 2, cellIndex: 0, tbs: [tb(0, true), tb(0, false, { mcs: 10 })] },
          { sfn: 1, subframe: 1, layers: 1, cellIndex: 0, tbs: [tb(1, true)] },
          { sfn: 1, subframe: 2, layers: 1, cellIndex: 0, tbs: [tb(2, true)] },
          { sfn: 1, subframe: 8, layers: 1, cellIndex: 0, tbs: [tb(0, true, { rv: 2, recombined: true })] },
          { sfn: 1, subframe: 9, layers: 1, cellIndex: 0, tbs: [tb(0, false, { rv: 3, recombined: true })] },
          { sfn: 2, subframe: 5, layers: 1, cellIndex: 0, tbs: [tb(3, false, { rntiType: 5 })] },
        ]),
      ]),
    );
    const rach = hdlcFrame(
      diagLogPacket(0xb062, rawTs(TICKS + 20), [
        ...rachAttemptBody(2, {
          attempt: 2,
          result: 1,
          contention: 1,
          mask: 1,
          preamble: 9,
          ta: 0,
          tcRnti: 0,
          grant: 0,
          harqId: 0,
        }),
      ]),
    );
    const rach2 = hdlcFrame(
      diagLogPacket(0xb062, rawTs(TICKS + 30), [
        ...rachAttemptBody(2, {
          attempt: 3,
          result: 0,
          contention: 1,
          mask: 7,
          preamble: 9,
          ta: 17,
          tcRnti: 5,
          grant: 7,
          harqId: 0,
        }),
      ]),
    );
    const csf = (ri: number, cqi0: number): Uint8Array =>
      hdlcFrame(
        diagLogPacket(0xb14d, rawTs(TICKS + 40), [
          ...pucchCsfBody(102, { sfn: 1, subframe: 1, mode: 1, ri, cqi0, cqi1: 0, pmi: 0, carrier: 0 }),
        ]),
      );
    const r = await analyzeFile(input('kpi.qmdl', concat([cell, pdsch, rach, rach2, csf(0, 10), csf(1, 13)])));
    const v = (name: string): number[] => r.metrics.filter((m) => m.name === name).map((m) => m.value);
    expect(v('ue_dl_tb_count')).toEqual([4]);
    expect(v('ue_dl_bler_pct')).toEqual([25]);
    expect(v('ue_dl_harq_retx_count')).toEqual([2]);
    expect(v('ue_dl_harq_retx_fail_count')).toEqual([1]);
    expect(v('ue_dl_mcs')).toEqual([17.5]);
    expect(v('ue_rach_attempt_count')).toEqual([2]);
    expect(v('ue_rach_failure_count')).toEqual([1]);
    expect(v('ue_rar_ta_units')).toEqual([17]);
    expect(v('ue_cqi')).toEqual([11.5]);
    expect(v('ue_rank')).toEqual([1.5]);
    expect(r.metrics.find((m) => m.name === 'ue_dl_bler_pct')?.labels).toEqual({
      cell: '2300/314',
      pci: '314',
      earfcn: '2300',
    });
    expect(r.summary.details.ue_link_inputs).toMatchObject({ pdsch_tbs: 6, rach_attempts: 2, ta_updates: 1 });
  });

  it('0xB193 serving cells: mean RSRP, RSRQ, SINR (best chain) and per-chain RSRP per cell and second', async () => {
    const at = (ticks: number, c: ReturnType<typeof weakCell>): Uint8Array =>
      hdlcFrame(diagLogPacket(0xb193, rawTs(ticks), [...scmrBody(4, scmrV4(2300, c))]));
    // −120.3125 dBm (chains −120.3125, −126.1875), RSRQ −15 dB, SNR −0.5/−0.8 dB; then −116.8125 dBm
    // (chains −116.8125, −126.1875), RSRQ −14 dB, SNR 3/−0.8 dB 12.5 ms later; the first cell again 1 s on
    const stronger = { ...weakCell(1, 3), rsrp: 1011, rsrpRx: [1011, 861] as [number, number], rsrq: 256 };
    const frames = [
      at(TICKS, weakCell(1, 2)),
      at(TICKS + 10, { ...stronger, snrRx: [230, 192] }),
      at(TICKS + 800, weakCell(2, 2)),
    ];
    const r = await analyzeFile(input('cells.qmdl', concat(frames)));
    const v = (name: string, rx?: string): number[] =>
      r.metrics.filter((m) => m.name === name && m.labels.rx === rx).map((m) => m.value);
    expect(v('ue_rsrp_dbm')).toEqual([-118.56, -120.31]);
    expect(v('ue_rsrq_db')).toEqual([-14.5, -15]);
    expect(v('ue_sinr_db')).toEqual([1.25, -0.5]);
    expect(v('ue_rsrp_rx_dbm', '0')).toEqual([-118.56, -120.31]);
    expect(v('ue_rsrp_rx_dbm', '1')).toEqual([-126.19, -126.19]);
    expect(r.metrics.find((m) => m.name === 'ue_rsrp_rx_dbm' && m.labels.rx === '1')?.labels).toEqual({
      cell: '2300/314',
      pci: '314',
      earfcn: '2300',
      rx: '1',
    });
    expect(r.metrics.find((m) => m.name === 'ue_sinr_db')?.labels).toEqual({
      cell: '2300/314',
      pci: '314',
      earfcn: '2300',
    });
  });

  it('a row (a KpiRow, not a literal: diag-kpi.ts) serialises as the stored row does, keys in their order', () => {
    const k = new DiagKpiWindows();
    k.onPuschPower({ tsNs: 5_000_000_000n, recordIndex: 1, cell: { rat: 'lte', pci: 1, earfcn: 100 }, headroomDb: 3 });
    expect(JSON.stringify(k.finish()[0])).toBe(
      '{"timestamp":"1970-01-01T00:00:05.000000000Z","source":"ue","name":"ue_power_headroom_db",' +
        '"labels":{"cell":"100/1","pci":"1","earfcn":"100"},"value":3}',
    );
  });

  it('one row per KPI and window, whatever the record count; windows close when time moves on', () => {
    const k = new DiagKpiWindows();
    const cell = { rat: 'lte' as const, pci: 1, earfcn: 100 };
    for (let i = 0; i < 10_000; i++)
      k.onPuschPower({ tsNs: 5_000_000_000n + BigInt(i) * 100_000n, recordIndex: i + 1, cell, headroomDb: i % 7 });
    k.onPuschPower({ tsNs: 7_100_000_000n, recordIndex: 10_001, cell, headroomDb: -3 });
    const rows = k.finish();
    expect(rows.map((m) => [m.timestamp, m.name, m.value])).toEqual([
      ['1970-01-01T00:00:05.000000000Z', 'ue_power_headroom_db', 3],
      ['1970-01-01T00:00:05.000000000Z', 'ue_power_headroom_min_db', 0],
      ['1970-01-01T00:00:07.000000000Z', 'ue_power_headroom_db', -3],
      ['1970-01-01T00:00:07.000000000Z', 'ue_power_headroom_min_db', -3],
    ]);
  });
});

describe('NR serving-cell KPIs (0xB97F)', () => {
  it('cell RSRP/RSRQ and per-chain RSRP of the serving cells, keyed by NR-ARFCN and PCI', async () => {
    const body = nrSearcherMeasBody(9, [
      {
        arfcn: 504990,
        servingPci: 138,
        cells: [
          { pci: 138, rsrp: -85.5, rsrq: -11, beams: [{ ssb: 3, rsrpRx: [-86, -88.25] as const }] },
          { pci: 123, rsrp: -101.25, rsrq: -18.5, beams: [] },
        ],
      },
    ]);
    const r = await analyzeFile(input('nr.qmdl', hdlcFrame(diagLogPacket(0xb97f, rawTs(TICKS), [...body]))));
    expect(r.summary.details.nr_measurement_records).toBe(1);
    expect(r.metrics.map((m) => [m.name, m.labels, m.value])).toEqual([
      ['ue_rsrp_dbm', { cell: '504990/138', pci: '138', arfcn: '504990' }, -85.5],
      ['ue_rsrq_db', { cell: '504990/138', pci: '138', arfcn: '504990' }, -11],
      ['ue_rsrp_rx_dbm', { cell: '504990/138', pci: '138', arfcn: '504990', rx: '0' }, -86],
      ['ue_rsrp_rx_dbm', { cell: '504990/138', pci: '138', arfcn: '504990', rx: '1' }, -88.25],
    ]);
  });
});

describe('NR DL BLER from the cumulative 0xB888 counters', () => {
  it('counts the increase between records per carrier, on the serving NR cell last measured', async () => {
    const stats = (i: number, pass: number, fail: number, harqFailures: number): Uint8Array =>
      hdlcFrame(
        diagLogPacket(0xb888, rawTs(TICKS + i), [
          ...nrPdschStatsBody(2, 2, [
            {
              carrier: 0,
              slots: 100,
              decodes: pass + fail,
              pass,
              fail,
              retx: fail,
              ackAsNack: 0,
              harqFailures,
              passBytes: 0,
              failBytes: 0,
            },
          ]),
        ]),
      );
    const cell = hdlcFrame(
      diagLogPacket(0xb97f, rawTs(TICKS), [
        ...nrSearcherMeasBody(7, [
          { arfcn: 627264, servingPci: 5, cells: [{ pci: 5, rsrp: -80, rsrq: -11, beams: [] }] },
        ]),
      ]),
    );
    // first record: baseline; then +90 pass +10 fail (1 HARQ failure); then a reset (counters fall): new baseline
    const r = await analyzeFile(
      input('nr-bler.qmdl', concat([cell, stats(1, 1000, 5, 0), stats(2, 1090, 15, 1), stats(3, 3, 0, 0)])),
    );
    const v = (name: string) => r.metrics.filter((m) => m.name === name).map((m) => [m.labels.cell, m.value]);
    expect(v('ue_nr_dl_bler_pct')).toEqual([['627264/5', 10]]);
    expect(v('ue_nr_dl_tb_count')).toEqual([['627264/5', 100]]);
    expect(v('ue_nr_harq_failure_count')).toEqual([['627264/5', 1]]);
  });
});

describe('NR UL KPIs from the 0xB883 PUSCH grants', () => {
  it('grants, mean MCS and RBs, granted bytes per window on the serving NR cell; PUCCH/SRS-only reports count nothing', async () => {
    const grant = (mcs: number, rbs: number, tbSize: number, carrier = 0) => ({
      pusch: { carrier, symbols: 12, harqId: 1, mcs, rbStart: 0, rbs, tbSize },
    });
    const sched = (ticks: number, carriers: Parameters<typeof nrUlScheduleBody>[0][number]['carriers']): Uint8Array =>
      hdlcFrame(diagLogPacket(0xb883, rawTs(TICKS + ticks), [...nrUlScheduleBody([{ frame: 7, slot: 3, carriers }])]));
    const cell = hdlcFrame(
      diagLogPacket(0xb97f, rawTs(TICKS), [
        ...nrSearcherMeasBody(7, [
          { arfcn: 627264, servingPci: 5, cells: [{ pci: 5, rsrp: -80, rsrq: -11, beams: [] }] },
        ]),
      ]),
    );
    const r = await analyzeFile(
      input(
        'nr-ul.qmdl',
        concat([
          cell,
          sched(1, [grant(20, 50, 3000), grant(10, 30, 1000, 1)]),
          sched(2, [{ pucch: true, srs: true }]),
          sched(3, [grant(0, 10, 100)]),
          sched(1000, [grant(27, 273, 10000)]), // 1.25 s later: the next 1-second window
        ]),
      ),
    );
    const v = (name: string) => r.metrics.filter((m) => m.name === name).map((m) => [m.labels.cell, m.value]);
    expect(r.summary.malformedRecords).toBe(0);
    expect(v('ue_nr_pusch_grant_count')).toEqual([
      ['627264/5', 3],
      ['627264/5', 1],
    ]);
    expect(v('ue_nr_ul_mcs')).toEqual([
      ['627264/5', 10],
      ['627264/5', 27],
    ]);
    expect(v('ue_nr_ul_rbs')).toEqual([
      ['627264/5', 30],
      ['627264/5', 273],
    ]);
    expect(v('ue_nr_ul_grant_bytes')).toEqual([
      ['627264/5', 4100],
      ['627264/5', 10000],
    ]);
  });
});
