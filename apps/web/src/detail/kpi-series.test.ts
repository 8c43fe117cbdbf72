import { describe, expect, it } from 'vitest';
import { metricUnit, pickSeries, seriesLabel, type KpiSeriesKey } from './kpi-series.js';

const s = (name: string, labels: Record<string, string>): KpiSeriesKey => ({
  key: `${name}${JSON.stringify(labels)}`,
  name,
  labels,
});

describe('KPI series of the detail page', () => {
  it('labels a series without repeating the keys its flow label says', () => {
    expect(seriesLabel('rx_total', { flow: 'u|dl|eaxc=0', plane: 'u', direction: 'dl', eaxc: '0' })).toBe(
      'rx_total · eAxC 0 U-plane DL',
    );
    expect(seriesLabel('iq_mean_prb_power_dbfs', { eaxc: '1', direction: 'ul', ru_port: '1' })).toBe(
      'iq_mean_prb_power_dbfs · eAxC 1 · UL · ru_port 1',
    );
  });

  it('opens a U-plane finding on a U-plane series of its eAxC, related to its type', () => {
    const series = [
      s('rx_seqid_err', { flow: 'c|dl|eaxc=0', plane: 'c', direction: 'dl', eaxc: '0' }),
      s('rx_total', { flow: 'u|dl|eaxc=0', plane: 'u', direction: 'dl', eaxc: '0' }),
      s('rx_seqid_err', { flow: 'u|dl|eaxc=0', plane: 'u', direction: 'dl', eaxc: '0' }),
      s('rx_seqid_err', { flow: 'u|dl|eaxc=1', plane: 'u', direction: 'dl', eaxc: '1' }),
    ];
    const picked = pickSeries(series, { type: 'seq_gap', flow: { eaxc: 0, plane: 'u', direction: 'dl' } });
    expect(picked?.name).toBe('rx_seqid_err');
    expect(picked?.labels.flow).toBe('u|dl|eaxc=0');
  });

  it('opens a UE finding on the KPI its trigger reads, not the first name in the list', () => {
    const series = [
      s('ue_dl_bler_pct', { pci: '73' }),
      s('ue_cqi', { pci: '73' }),
      s('ue_rsrp_dbm', { pci: '73' }),
      s('ue_sinr_rx_db', { pci: '73', rx: '0' }),
      s('ue_pusch_tx_power_dbm', { pci: '73' }),
    ];
    expect(pickSeries(series, { type: 'rsrp_drop' })?.name).toBe('ue_rsrp_dbm');
    expect(pickSeries(series, { type: 'sinr_drop' })?.name).toBe('ue_sinr_rx_db');
    expect(pickSeries(series, { type: 'bler_high' })?.name).toBe('ue_dl_bler_pct');
    expect(pickSeries(series, { type: 'ul_power_limited' })?.name).toBe('ue_pusch_tx_power_dbm');
  });

  it('gives every chart a unit', () => {
    expect(metricUnit('iq_mean_prb_power_dbfs')).toBe('dBFS');
    expect(metricUnit('iq_zero_prb_ratio')).toBe('ratio (0–1)');
    expect(metricUnit('ptp_offset_ns')).toBe('ns');
    expect(metricUnit('rx_total')).toBe('count per interval');
  });
});
