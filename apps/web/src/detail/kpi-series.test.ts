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

  it('gives every chart a unit', () => {
    expect(metricUnit('iq_mean_prb_power_dbfs')).toBe('dBFS');
    expect(metricUnit('iq_zero_prb_ratio')).toBe('ratio (0–1)');
    expect(metricUnit('ptp_offset_ns')).toBe('ns');
    expect(metricUnit('rx_total')).toBe('count per interval');
  });
});
