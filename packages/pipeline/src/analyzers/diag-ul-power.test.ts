/**
 * The uplink power logs through the whole DIAG analysis: 0xB16E PUSCH / 0xB16F PUCCH power control, 0xB139
 * PUSCH Tx reports and 0xB061 RACH triggers, byte-built, to `ul_power_limited` and the 1-second KPI metrics.
 */
import { Metric, type Anomaly } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import {
  concat,
  diagLogPacket,
  hdlcFrame,
  macTbBody,
  pucchPowerControlBody,
  puschPowerControlBody,
  puschTxReportBody,
  rachTriggerBody,
  rawTs,
  scmrBody,
  scmrV4,
  weakCell,
  type PuschPowerRecordRaw,
} from '../../../capture/src/diag/test-support/diag-fixtures.js';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { analyzeFile, type AnalyzeInput } from '../analyze-file.js';
import { fileInput } from '../sources.js';

function bytesInput(name: string, bytes: Uint8Array): AnalyzeInput {
  return {
    name,
    size: bytes.length,
    async *open() {
      yield bytes;
    },
  };
}

/** 1.25 ms ticks: a start 1.1e9 s after the GPS epoch, and 10 ms. */
const T0 = 800 * 1_100_000_000;
const MS10 = 8;
const CELL = weakCell(1, 2);
const serving = hdlcFrame(diagLogPacket(0xb193, rawTs(T0), [...scmrBody(4, scmrV4(2300, CELL))]));

const record = (txPowerDbm: number, maxPowerDbm: number, tpc = 1): PuschPowerRecordRaw => ({
  sfn: 10,
  subframe: 2,
  txPowerDbm,
  dciFormat: 0,
  txType: 1,
  numRb: 10,
  tbSize: 400,
  pathLossDb: 120,
  fi: 6,
  tpc,
  actualTxPowerDbm: txPowerDbm,
  maxPowerDbm,
});

/** `seconds` of 0xB16E records every 10 ms, 4 transmissions each. */
function puschPower(version: 5 | 25, seconds: number, rec: PuschPowerRecordRaw, from = 1): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < seconds * 100; i++)
    out.push(
      hdlcFrame(
        diagLogPacket(0xb16e, rawTs(T0 + (from + i) * MS10), [...puschPowerControlBody(version, [rec, rec, rec, rec])]),
      ),
    );
  return out;
}

async function analyze(
  frames: Uint8Array[],
): Promise<{ anomalies: Anomaly[]; metrics: Metric[]; details: Record<string, unknown> }> {
  const r = await analyzeFile(bytesInput('ul-power.qmdl', concat([serving, ...frames])));
  expect(r.status).toBe('done');
  for (const m of r.metrics) Metric.parse(m);
  return { anomalies: r.anomalies, metrics: r.metrics, details: r.summary.details };
}

const values = (metrics: Metric[], name: string): number[] =>
  metrics.filter((m) => m.name === name).map((m) => m.value);

describe('uplink power logs → ul_power_limited and KPIs', () => {
  it('0xB16E v25 at Pcmax for 3 s: one ul_power_limited on the serving cell, with Pcmax in its evidence', async () => {
    const { anomalies, details } = await analyze(puschPower(25, 3, record(23, 23)));
    expect(details.ue_link_inputs).toMatchObject({ pusch_transmissions: 1200 });
    const ul = anomalies.filter((a) => a.type === 'ul_power_limited');
    expect(ul).toHaveLength(1);
    expect(ul[0]).toMatchObject({
      radio: { pci: CELL.pci, earfcn: 2300 },
      evidence: { pcmax_dbm: 23, limited_ratio: 1, min_headroom_db: 0, ul_bler: 'not in the log' },
    });
    expect(ul[0]!.description).toMatch(/PUSCH at Pcmax 23 dBm in 100 %/);
  });

  it('0xB16E v25 10 dB below Pcmax: no anomaly; Tx power, Pcmax, headroom, TPC, F(i) and path loss as KPIs', async () => {
    const { anomalies, metrics } = await analyze(puschPower(25, 3, record(13, 23)));
    expect(anomalies.filter((a) => a.type === 'ul_power_limited')).toEqual([]);
    expect(new Set(values(metrics, 'ue_pusch_tx_power_dbm'))).toEqual(new Set([13]));
    expect(new Set(values(metrics, 'ue_pusch_tx_power_max_dbm'))).toEqual(new Set([13]));
    expect(new Set(values(metrics, 'ue_pcmax_dbm'))).toEqual(new Set([23]));
    expect(new Set(values(metrics, 'ue_power_headroom_db'))).toEqual(new Set([10]));
    expect(new Set(values(metrics, 'ue_pathloss_db'))).toEqual(new Set([120]));
    expect(new Set(values(metrics, 'ue_pusch_fi_db'))).toEqual(new Set([6]));
    // 4 transmissions × +1 dB per record, 100 records a second (the first and last windows partly filled)
    expect(values(metrics, 'ue_pusch_tpc_sum_db').reduce((a, b) => a + b, 0)).toBe(1200);
  });

  it('0xB16E v5 logs no Pcmax: no sample for the detector, the power still a KPI; TPC "not present" sums nothing', async () => {
    const { anomalies, metrics, details } = await analyze(puschPower(5, 2, record(23, 0, 15)));
    expect(details.ue_link_inputs).toMatchObject({ pusch_transmissions: 0 });
    expect(anomalies).toEqual([]);
    expect(new Set(values(metrics, 'ue_pusch_tx_power_dbm'))).toEqual(new Set([23]));
    expect(values(metrics, 'ue_pcmax_dbm')).toEqual([]);
    expect(values(metrics, 'ue_pusch_tpc_sum_db')).toEqual([]);
  });

  it('once 0xB16E gives power against Pcmax, 0xB064 power headroom reports at 0 dB no longer reach the detector', async () => {
    // PHR: UL LCID 26 sub-header, PH level 23 = 0 dB (TS 36.321 §6.1.3.6, TS 36.133 §9.1.8.4)
    const phr = (i: number): Uint8Array =>
      hdlcFrame(
        diagLogPacket(0xb064, rawTs(T0 + (1 + i) * MS10 + 1), [
          ...macTbBody(false, 1, [
            { sfn: 1, subframe: 1, rntiType: 0, harqId: 0, bytes: 20, padding: 0, header: [0x1a, 23] },
          ]),
        ]),
      );
    const phrOnly = await analyze(Array.from({ length: 300 }, (_, i) => phr(i)));
    expect(phrOnly.anomalies.map((a) => a.type)).toEqual(['ul_power_limited']);
    const below = puschPower(25, 3, record(13, 23));
    const both = await analyze(below.flatMap((f, i) => [f, phr(i)]));
    expect(both.anomalies).toEqual([]);
    expect(both.details.ue_link_inputs).toMatchObject({ pusch_transmissions: 1200 });
    // the PHRs still in the headroom KPI: each window's minimum is theirs
    expect(new Set(values(both.metrics, 'ue_power_headroom_min_db'))).toEqual(new Set([0]));
  });

  it('0xB16F, 0xB139 and 0xB061 as KPIs: PUCCH power, g(i), TPC; PUSCH Tx report power; RACH triggers', async () => {
    const frames = [
      hdlcFrame(
        diagLogPacket(0xb16f, rawTs(T0 + 10), [
          ...pucchPowerControlBody(24, [
            {
              sfn: 1,
              subframe: 1,
              txPowerDbm: -2,
              dciFormat: 2,
              pucchFormat: 1,
              nHarq: 1,
              tpc: 63,
              nCqi: 0,
              pathLossDb: 110,
              gi: -3,
              actualTxPowerDbm: -2,
            },
            {
              sfn: 1,
              subframe: 2,
              txPowerDbm: 0,
              dciFormat: 2,
              pucchFormat: 1,
              nHarq: 1,
              tpc: 3,
              nCqi: 0,
              pathLossDb: 110,
              gi: 0,
              actualTxPowerDbm: 0,
            },
          ]),
        ]),
      ),
      hdlcFrame(
        diagLogPacket(0xb139, rawTs(T0 + 20), [
          ...puschTxReportBody(CELL.pci, [
            {
              sfn: 1,
              subframe: 3,
              retx: 0,
              rv: 0,
              startRb: 0,
              numRb: 2,
              tbBytes: 9,
              rate1024: 170,
              mod: 1,
              txPowerDbm: 15,
            },
            {
              sfn: 1,
              subframe: 4,
              retx: 0,
              rv: 0,
              startRb: 0,
              numRb: 4,
              tbBytes: 9,
              rate1024: 170,
              mod: 1,
              txPowerDbm: 21,
            },
          ]),
        ]),
      ),
      hdlcFrame(
        diagLogPacket(0xb061, rawTs(T0 + 30), [
          ...rachTriggerBody(1, { reason: 2, preamble: 5, msg3Size: 7, group: 0, radioConditionDb: 9, cRnti: 1 }),
        ]),
      ),
    ];
    const { metrics, details } = await analyze(frames);
    expect(details.decoded_records).toBe(4);
    const cell1 = (name: string): number[] =>
      metrics.filter((m) => m.name === name && m.labels.pci === String(CELL.pci)).map((m) => m.value);
    expect(cell1('ue_pucch_tx_power_dbm')).toEqual([-1]);
    expect(cell1('ue_pucch_gi_db')).toEqual([-1.5]);
    expect(cell1('ue_pucch_tpc_sum_db')).toEqual([2]); // −1 + 3
    expect(cell1('ue_pathloss_db')).toEqual([110]);
    expect(cell1('ue_pusch_tx_power_dbm')).toEqual([18]);
    expect(cell1('ue_pusch_tx_power_max_dbm')).toEqual([21]);
    expect(cell1('ue_rach_trigger_count')).toEqual([1]);
  });

  const samples = requireSharedDir('samples');
  it.runIf(samples.available)(
    'latency_sample: the 0xB139 Tx power of 1,193 transmissions as per-second KPIs',
    async () => {
      const r = await analyzeFile(
        fileInput(`${samples.path}/mobileinsight-core/latency_sample.mi2log`, 'latency.mi2log'),
      );
      const mean = r.metrics.filter((m) => m.name === 'ue_pusch_tx_power_dbm');
      const max = r.metrics.filter((m) => m.name === 'ue_pusch_tx_power_max_dbm').map((m) => m.value);
      expect(mean.length).toBe(max.length);
      expect(mean.length).toBeGreaterThan(0);
      expect(mean.every((m) => m.value >= 12 && m.value <= 28 && m.labels.pci !== undefined)).toBe(true);
      expect(Math.max(...max)).toBe(28);
      for (const m of r.metrics) Metric.parse(m);
    },
  );
});
