/** One KPI series of the detail page's chart: a metric name with one label set. */
export interface KpiSeriesKey {
  key: string;
  name: string;
  labels: Record<string, string>;
}

/**
 * A readable label without repeated keys (issue 16: `flow=c|dl|eaxc=0,eaxc=0,…`): the `flow` label already
 * says plane, direction and eAxC, so those keys are not repeated beside it.
 */
export function seriesLabel(name: string, labels: Record<string, string>): string {
  const parts: string[] = [];
  const flow = labels.flow;
  if (flow) {
    const [plane, direction, ...rest] = flow.split('|');
    const eaxc = rest.find((p) => p.startsWith('eaxc='))?.slice(5);
    parts.push(
      [
        eaxc !== undefined ? `eAxC ${eaxc}` : '',
        plane ? `${plane.toUpperCase()}-plane` : '',
        direction?.toUpperCase() ?? '',
      ]
        .filter(Boolean)
        .join(' '),
    );
  }
  for (const [k, v] of Object.entries(labels)) {
    if (k === 'flow') continue;
    if (flow && (k === 'plane' || k === 'direction' || k === 'eaxc')) continue;
    if (k === 'eaxc') parts.push(`eAxC ${v}`);
    else if (k === 'plane') parts.push(`${v.toUpperCase()}-plane`);
    else if (k === 'direction') parts.push(v.toUpperCase());
    else parts.push(`${k} ${v}`);
  }
  return parts.length ? `${name} · ${parts.join(' · ')}` : name;
}

/** The unit of a metric, from its name's suffix (the store keeps bare numbers). */
export function metricUnit(name: string): string {
  if (/_dbfs$/.test(name)) return 'dBFS';
  if (/_db$/.test(name)) return 'dB';
  if (/_dbm$/.test(name)) return 'dBm';
  if (/_ratio$/.test(name)) return 'ratio (0–1)';
  if (/_pct$/.test(name)) return '%';
  if (/_ns$/.test(name)) return 'ns';
  if (/_us$/.test(name)) return 'µs';
  if (/_ms$/.test(name)) return 'ms';
  if (/_s$/.test(name)) return 's';
  return 'count per interval';
}

/** Metric names that speak to a finding type, best first. */
const RELATED: [RegExp, RegExp][] = [
  [/^seq_/, /seq/],
  [/^rx_window|^ul_symbol|window_stat/, /rx_late|rx_early|rx_on_time|offset|window/],
  [/^iq_|compression/, /^iq_/],
  [/^traffic_gap|plane_without/, /rx_total/],
  [/^ptp_/, /ptp|offset|delay|time_error/],
  // UE findings (anomalies.md, UE table) open on the KPI their trigger reads (diag-kpi.ts names).
  [/^rsrp_|^rx_imbalance/, /^ue_rsrp/],
  [/^sinr_|^out_of_sync|^radio_link_failure|^beam_failure/, /^ue_sinr/],
  [/^bler_|^harq_/, /bler|harq/],
  [/^ul_power_limited/, /pusch_tx_power|pcmax|headroom/],
  [/^timing_advance/, /timing_advance/],
  [/^rach_/, /rach/],
];

/**
 * The series the chart opens on: the finding's own flow (eAxC, plane and direction all matching; a U-plane
 * finding gets a U-plane series, not the C-plane one of the same eAxC), then a metric related to its type.
 */
export function pickSeries(
  series: readonly KpiSeriesKey[],
  a: { type: string; flow?: Record<string, string | number> },
): KpiSeriesKey | undefined {
  const f = a.flow ?? {};
  const planeOf = (s: KpiSeriesKey) => s.labels.plane ?? s.labels.flow?.split('|')[0];
  const dirOf = (s: KpiSeriesKey) => s.labels.direction ?? s.labels.flow?.split('|')[1];
  const score = (s: KpiSeriesKey): number => {
    let n = 0;
    if (f.eaxc !== undefined && s.labels.eaxc === String(f.eaxc)) n += 8;
    if (f.plane !== undefined && planeOf(s) === String(f.plane)) n += 4;
    if (f.plane !== undefined && planeOf(s) !== undefined && planeOf(s) !== String(f.plane)) n -= 8;
    if (f.direction !== undefined && dirOf(s) === String(f.direction)) n += 2;
    const related = RELATED.find(([type]) => type.test(a.type))?.[1];
    if (related?.test(s.name)) n += 3;
    return n;
  };
  let best: KpiSeriesKey | undefined;
  let bestScore = -Infinity;
  for (const s of series) {
    const n = score(s);
    if (n > bestScore || (n === bestScore && best && s.key < best.key)) {
      best = s;
      bestScore = n;
    }
  }
  return best;
}
