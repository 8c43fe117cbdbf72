import type { AlignedData } from 'uplot';
import type { MetricRow } from '../../api';

/** One chart: a metric name, its unit and one line per label set (cell, receive chain…). */
export interface UeChart {
  name: string;
  title: string;
  unit: string;
  seriesLabels: string[];
  data: AlignedData;
}

/** Titles of the UE KPIs we know; any other `ue_*` metric is still charted under its own name. */
const TITLES: Record<string, string> = {
  ue_rsrp_dbm: 'RSRP (serving cell)',
  ue_rsrp_rx_dbm: 'RSRP per receive chain',
  ue_rsrq_db: 'RSRQ',
  ue_sinr_db: 'SINR',
  ue_rssi_dbm: 'RSSI',
  ue_rssi_rx_dbm: 'RSSI per receive chain',
  ue_rsrq_rx_db: 'RSRQ per receive chain',
  ue_sinr_rx_db: 'SINR per receive chain',
  ue_dl_bler_pct: 'DL BLER over initial transmissions',
  ue_dl_tb_count: 'DL transport blocks',
  ue_dl_harq_retx_count: 'DL HARQ retransmissions',
  ue_dl_harq_retx_fail_count: 'DL HARQ failures',
  ue_dl_mcs: 'DL MCS',
  ue_power_headroom_db: 'Power headroom (mean)',
  ue_power_headroom_min_db: 'Power headroom (min)',
  ue_pusch_tx_power_dbm: 'PUSCH Tx power (mean)',
  ue_pusch_tx_power_max_dbm: 'PUSCH Tx power (max)',
  ue_pcmax_dbm: 'Pcmax',
  ue_pusch_tpc_sum_db: 'PUSCH TPC (sum)',
  ue_pucch_tpc_sum_db: 'PUCCH TPC (sum)',
  ue_pusch_fi_db: 'PUSCH closed loop F(i)',
  ue_pucch_gi_db: 'PUCCH closed loop g(i)',
  ue_pathloss_db: 'DL path loss',
  ue_pucch_tx_power_dbm: 'PUCCH Tx power',
  ue_rach_trigger_count: 'RACH triggers',
  ue_ta_command_count: 'TA commands',
  ue_ta_adjust_units: 'TA adjustment',
  ue_rar_ta_units: 'Timing advance from RAR',
  ue_rach_attempt_count: 'RACH attempts',
  ue_rach_failure_count: 'RACH failures',
  ue_nr_pusch_grant_count: 'NR PUSCH grants',
  ue_nr_ul_grant_bytes: 'NR UL granted bytes',
  ue_nr_ul_mcs: 'NR UL MCS',
  ue_nr_ul_rbs: 'NR UL RBs per grant',
};

/** The unit a metric name ends with (the store's naming rule: `<what>_<unit>`). */
export function unitOf(name: string): string {
  if (name.endsWith('_dbm')) return 'dBm';
  if (name.endsWith('_db')) return 'dB';
  if (name.endsWith('_pct')) return '%';
  if (name.endsWith('_ms')) return 'ms';
  if (name.endsWith('_ratio')) return 'ratio';
  // TS 36.213 §4.2.3: timing advance in units of 16·Ts (≈ 0.52 µs).
  if (name.endsWith('_units')) return '16·Ts';
  if (name.endsWith('_mcs')) return 'index';
  if (name.endsWith('_bytes')) return 'bytes';
  if (name.endsWith('_rbs')) return 'RBs';
  return 'count';
}

/** Labels that only repeat the cell identity of every row: left out of a series' name. */
const CELL_KEYS = new Set(['cell', 'pci', 'earfcn', 'arfcn']);

function seriesName(labels: Record<string, string>): string {
  const cell =
    labels.pci !== undefined
      ? `PCI ${labels.pci}${labels.earfcn ? `/${labels.earfcn}` : labels.arfcn ? `/${labels.arfcn}` : ''}`
      : (labels.cell ?? '');
  const extra = Object.entries(labels)
    .filter(([k]) => !CELL_KEYS.has(k))
    .map(([k, v]) => `${k} ${v}`)
    .join(' ');
  return [cell, extra].filter(Boolean).join(' · ') || 'value';
}

/**
 * UE metric rows → one uPlot data set per metric name: a shared time axis (s, Unix) and one column per label
 * set, null where a series has no sample at that time (uPlot leaves a gap).
 */
export function ueCharts(rows: readonly MetricRow[]): UeChart[] {
  const byName = new Map<string, MetricRow[]>();
  for (const r of rows) {
    if (!r.name.startsWith('ue_')) continue;
    const list = byName.get(r.name) ?? [];
    list.push(r);
    byName.set(r.name, list);
  }
  const charts: UeChart[] = [];
  for (const [name, list] of [...byName].sort(([a], [b]) => a.localeCompare(b))) {
    const times = [...new Set(list.map((r) => Date.parse(r.timestamp) / 1000))].sort((a, b) => a - b);
    const at = new Map(times.map((t, i) => [t, i]));
    const cols = new Map<string, (number | null)[]>();
    for (const r of list) {
      const key = seriesName(r.labels);
      let col = cols.get(key);
      if (!col) {
        col = new Array<number | null>(times.length).fill(null);
        cols.set(key, col);
      }
      col[at.get(Date.parse(r.timestamp) / 1000)!] = r.value;
    }
    const keys = [...cols.keys()].sort();
    charts.push({
      name,
      title: TITLES[name] ?? name.replace(/^ue_/, '').replace(/_/g, ' '),
      unit: unitOf(name),
      seriesLabels: keys,
      data: [times, ...keys.map((k) => cols.get(k)!)] as AlignedData,
    });
  }
  return charts;
}
