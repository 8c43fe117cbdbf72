import { describe, expect, it } from 'vitest';
import { ueCharts, unitOf } from './ue-series';

const row = (name: string, timestamp: string, value: number, labels: Record<string, string>) => ({
  name,
  timestamp,
  value,
  labels,
});

describe('ueCharts', () => {
  it('makes one chart per UE metric, one series per label set on a shared time axis with gaps', () => {
    const cell = { cell: '301/1850', pci: '301', earfcn: '1850' };
    const charts = ueCharts([
      row('ue_rsrp_rx_dbm', '2026-12-06T12:00:00.000000000Z', -90, { ...cell, rx: '0' }),
      row('ue_rsrp_rx_dbm', '2026-12-06T12:00:00.000000000Z', -97, { ...cell, rx: '1' }),
      row('ue_rsrp_rx_dbm', '2026-12-06T12:00:01.000000000Z', -91, { ...cell, rx: '0' }),
      row('ue_sinr_db', '2026-12-06T12:00:01.000000000Z', 12.5, cell),
      row('rx_on_time', '2026-12-06T12:00:01.000000000Z', 5, {}), // not a UE metric
    ]);
    expect(charts.map((c) => [c.name, c.unit, c.seriesLabels])).toEqual([
      ['ue_rsrp_rx_dbm', 'dBm', ['PCI 301/1850 · rx 0', 'PCI 301/1850 · rx 1']],
      ['ue_sinr_db', 'dB', ['PCI 301/1850']],
    ]);
    const t0 = Date.parse('2026-12-06T12:00:00Z') / 1000;
    expect(charts[0]!.data).toEqual([
      [t0, t0 + 1],
      [-90, -91],
      [-97, null],
    ]);
  });

  it('reads the unit from the name (NR UL grant bytes and RBs included)', () => {
    expect(['ue_nr_ul_grant_bytes', 'ue_nr_ul_rbs', 'ue_nr_ul_mcs', 'ue_nr_pusch_grant_count'].map(unitOf)).toEqual([
      'bytes',
      'RBs',
      'index',
      'count',
    ]);
    expect(['ue_dl_bler_pct', 'ue_ta_ms', 'ue_dl_harq_retx_count', 'ue_rar_ta_units', 'ue_dl_mcs'].map(unitOf)).toEqual(
      ['%', 'ms', 'count', '16·Ts', 'index'],
    );
  });
});
