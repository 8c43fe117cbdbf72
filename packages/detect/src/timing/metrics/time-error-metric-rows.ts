import type { Metric, MetricDraft } from '@l1t/contracts';
import { isoNs } from '../../time-format.js';
import { CTE_WINDOW_S, type SampleStats } from './time-error-stats.js';
import { BASIS_STATEMENT, type TauValue, type TimeErrorBasis, type TimeErrorReport } from './time-error-report.js';
import type { Criterion, Verdict } from './time-error-verdicts.js';

/**
 * A {@link TimeErrorReport} as metric rows (the stores' `metrics` table, source `timing`) and back, as the
 * API's PTP view. Every row carries `ptp_port`, `domain` and `basis`; the names are listed in
 * {@link PTP_TE_METRIC_NAMES} (the API reads exactly these).
 *
 *   ptp_te_series_ns {stat: mean|min|max}     per second of the series
 *   ptp_path_delay_series_ns                  per second (mean)
 *   ptp_te_summary_ns {stat}                  max_abs, mean, cte, max_abs_te_l, dte_h_pp
 *   ptp_te_samples                            exchanges (capture) or servo samples (log)
 *   ptp_mtie_ns / ptp_tdev_ns {tau_s, filter: none|lp01}
 *   ptp_interval_s {message: sync|announce|exchange|servo, stat: count|mean|std|min|max}
 *   ptp_sync_pdv_ns {stat: floor|p50|p99|max}, ptp_sync_fpp_pct
 *   ptp_verdict {standard, class, criterion, limit_ns} value 1 pass, 0 fail; the measured value in ptp_verdict_value_ns
 *   ptp_te_window_ns {stat: max_abs|cte, window_s}   per sliding window, at its start
 *   ptp_te_worst_exchange {sync_frame, delay_req_frame, delay_resp_frame}   the exchange of max|TE| (capture)
 */
export const PTP_TE_METRIC_NAMES = [
  'ptp_te_series_ns',
  'ptp_path_delay_series_ns',
  'ptp_te_summary_ns',
  'ptp_te_samples',
  'ptp_mtie_ns',
  'ptp_tdev_ns',
  'ptp_interval_s',
  'ptp_sync_pdv_ns',
  'ptp_sync_fpp_pct',
  'ptp_verdict',
  'ptp_verdict_value_ns',
  'ptp_te_worst_exchange',
  'ptp_te_window_ns',
] as const;

const secIso = (s: number): string => isoNs(BigInt(Math.round(s * 1e6)) * 1000n);

export function timeErrorMetricRows(r: TimeErrorReport, extraLabels: Record<string, string> = {}): MetricDraft[] {
  const base = { ptp_port: r.port, domain: r.domain === null ? '' : String(r.domain), basis: r.basis, ...extraLabels };
  const at = secIso(r.firstS);
  const rows: MetricDraft[] = [];
  const put = (name: string, value: number, labels: Record<string, string> = {}, timestamp = at): void => {
    if (Number.isFinite(value)) rows.push({ timestamp, source: 'timing', name, labels: { ...base, ...labels }, value });
  };
  const ps = r.perSecond;
  for (let i = 0; i < ps.tS.length; i++) {
    const ts = secIso(ps.tS[i]!);
    put('ptp_te_series_ns', ps.meanNs[i]!, { stat: 'mean' }, ts);
    put('ptp_te_series_ns', ps.minNs[i]!, { stat: 'min' }, ts);
    put('ptp_te_series_ns', ps.maxNs[i]!, { stat: 'max' }, ts);
    const d = ps.pathDelayNs[i];
    if (d !== null && d !== undefined) put('ptp_path_delay_series_ns', d, { stat: 'mean' }, ts);
  }
  put('ptp_te_samples', r.samples);
  put('ptp_te_summary_ns', r.maxAbsTeNs, { stat: 'max_abs' });
  put('ptp_te_summary_ns', r.p50AbsTeNs, { stat: 'p50_abs' });
  put('ptp_te_summary_ns', r.p99AbsTeNs, { stat: 'p99_abs' });
  put('ptp_te_summary_ns', r.meanTeNs, { stat: 'mean' });
  put('ptp_te_summary_ns', r.cte.cteNs, { stat: 'cte', window_s: String(Math.round(r.cte.cteWindowS)) });
  put('ptp_te_summary_ns', r.maxAbsTeLNs, { stat: 'max_abs_te_l' });
  put('ptp_te_summary_ns', r.dteHPpNs, { stat: 'dte_h_pp' });
  const taus = (name: string, filter: string, list: TauValue[]): void => {
    for (const t of list) put(name, t.ns, { tau_s: String(t.tauS), filter });
  };
  taus('ptp_mtie_ns', 'none', r.mtie);
  taus('ptp_tdev_ns', 'none', r.tdev);
  taus('ptp_mtie_ns', 'lp01', r.dteLMtie);
  taus('ptp_tdev_ns', 'lp01', r.dteLTdev);
  // The samples' own spacing is the servo's update interval (log) or the exchanges' (capture).
  const samplesName = r.basis === 'servo_offset' ? 'servo' : 'exchange';
  for (const [key, s] of Object.entries(r.intervals) as [string, SampleStats][]) {
    const message = key === 'samples' ? samplesName : key;
    for (const stat of ['count', 'mean', 'std', 'min', 'max'] as const)
      put('ptp_interval_s', s[stat], { message, stat });
  }
  if (r.pdv) {
    put('ptp_sync_pdv_ns', r.pdv.floorNs, { stat: 'floor' });
    put('ptp_sync_pdv_ns', r.pdv.p50Ns, { stat: 'p50' });
    put('ptp_sync_pdv_ns', r.pdv.p99Ns, { stat: 'p99' });
    put('ptp_sync_pdv_ns', r.pdv.maxNs, { stat: 'max' });
    put('ptp_sync_fpp_pct', r.pdv.fppPct, {
      window_s: String(r.pdv.fppWindowS),
      cluster_ns: String(r.pdv.fppClusterNs),
    });
  }
  for (const w of r.windows) {
    const window_s = String(Math.min(CTE_WINDOW_S, Math.round(r.lastS - r.firstS)));
    put('ptp_te_window_ns', w.maxAbsNs, { stat: 'max_abs', window_s }, secIso(w.startS));
    put('ptp_te_window_ns', w.meanNs, { stat: 'cte', window_s }, secIso(w.startS));
  }
  for (const v of r.verdicts) {
    // What the verdict rests on: G.8273.2 measures over 1000 s; a shorter series is judged on what it holds.
    const observed_s = String(Math.round(r.lastS - r.firstS));
    const labels = {
      standard: v.standard,
      class: v.class ?? '',
      criterion: v.criterion,
      limit_ns: String(v.limitNs),
      observed_s,
    };
    put('ptp_verdict', v.pass ? 1 : 0, labels);
    put('ptp_verdict_value_ns', v.valueNs, labels);
  }
  return rows;
}

/** One port of `GET /api/files/:id/ptp` (the contract in /tmp/h/ptp-contract.md, snake_case JSON). */
export interface PtpPortView {
  port: string;
  domain: number | null;
  /** The master port the exchanges were with (capture). */
  master?: string;
  basis: TimeErrorBasis;
  /** True when only the variable part is reported (capture in relative timing mode, or without a mode). */
  variable_only?: boolean;
  statement: string;
  series: {
    t: string[];
    te_mean_ns: number[];
    te_min_ns: number[];
    te_max_ns: number[];
    path_delay_ns: (number | null)[];
  };
  /** `exchanges`: complete two-way exchanges (capture) or locked servo samples (log). */
  summary: {
    exchanges: number;
    max_abs_te_ns: number;
    /** Median and 99th percentile of |TE| (0 when not stored). */
    p50_abs_te_ns: number;
    p99_abs_te_ns: number;
    mean_te_ns: number;
    cte_ns: number;
    cte_window_s: number | null;
    max_abs_te_l_ns: number;
    dte_h_pp_ns: number | null;
    /** The exchange of max|TE| and its frames (capture only). */
    worst_exchange?: { te_ns: number; sync_frame: number; delay_req_frame: number; delay_resp_frame: number };
  };
  /** max|TE| and cTE per 1000 s window sliding by 100 s (one window over a shorter series). */
  windows: { start: string; window_s: number; max_abs_te_ns: number; cte_ns: number }[];
  mtie: { tau_s: number; ns: number }[];
  tdev: { tau_s: number; ns: number }[];
  dte_l_mtie: { tau_s: number; ns: number }[];
  dte_l_tdev: { tau_s: number; ns: number }[];
  intervals: Record<string, { count: number; mean_s: number; std_s: number; min_s: number; max_s: number }>;
  pdv?: { floor_ns: number; p50_ns: number; p99_ns: number; max_ns: number; fpp_pct: number | null };
  verdicts: {
    standard: string;
    class: string | null;
    criterion: Criterion;
    limit_ns: number;
    value_ns: number;
    pass: boolean;
    /** Seconds of series the verdict rests on (G.8273.2 measures over 1000 s). */
    observed_s: number | null;
  }[];
}

type Row = Pick<Metric, 'timestamp' | 'name' | 'labels' | 'value'>;

/** The PTP view of a file from its stored rows (rows of other names are ignored), ports in order of name. */
export function ptpViewFromMetrics(rows: readonly Row[]): PtpPortView[] {
  const ports = new Map<
    string,
    { view: PtpPortView; series: Map<string, { mean?: number; min?: number; max?: number; delay?: number }> }
  >();
  const portOf = (r: Row) => {
    const key = portKeyOf(r);
    let p = ports.get(key);
    if (!p) {
      const basis = (r.labels.basis === 'servo_offset' ? 'servo_offset' : 'capture') as TimeErrorBasis;
      p = {
        series: new Map(),
        view: {
          port: r.labels.ptp_port ?? '',
          domain: r.labels.domain ? Number(r.labels.domain) : null,
          ...(r.labels.master ? { master: r.labels.master } : {}),
          basis,
          ...(r.labels.timing_mode === 'relative' ? { variable_only: true } : {}),
          statement:
            BASIS_STATEMENT[basis] +
            (r.labels.timing_mode === 'relative'
              ? ' Timing mode relative (or not set): the mean was removed, so max|TE| is the largest deviation and cTE is 0; only the dTE verdicts are given.'
              : '') +
            (r.labels.capture_clock_tai_s
              ? ` The mean time error equals the announced currentUtcOffset (${r.labels.capture_clock_tai_s} s): the capture clock runs on TAI (PHC time), so max|TE| and cTE hold those seconds — the variable part (dTE, MTIE, TDEV, PDV) is what tells about the master.`
              : ''),
          series: { t: [], te_mean_ns: [], te_min_ns: [], te_max_ns: [], path_delay_ns: [] },
          summary: {
            exchanges: 0,
            max_abs_te_ns: 0,
            p50_abs_te_ns: 0,
            p99_abs_te_ns: 0,
            mean_te_ns: 0,
            cte_ns: 0,
            cte_window_s: null,
            max_abs_te_l_ns: 0,
            dte_h_pp_ns: null,
          },
          windows: [],
          mtie: [],
          tdev: [],
          dte_l_mtie: [],
          dte_l_tdev: [],
          intervals: {},
          verdicts: [],
        },
      };
      ports.set(key, p);
    }
    return p;
  };
  const verdictValues = new Map<string, number>();
  const windowRows = new Map<PtpPortView, Map<string, { max?: number; cte?: number; w: number }>>();
  const verdictKey = (l: Record<string, string>) => `${l.standard}|${l.class}|${l.criterion}|${l.limit_ns}`;
  for (const r of rows)
    if (r.name === 'ptp_verdict_value_ns') verdictValues.set(`${portKeyOf(r)}|${verdictKey(r.labels)}`, r.value);
  for (const r of rows) {
    if (!(PTP_TE_METRIC_NAMES as readonly string[]).includes(r.name) || r.labels.ptp_port === undefined) continue;
    const { view, series } = portOf(r);
    const l = r.labels;
    switch (r.name) {
      case 'ptp_te_series_ns':
      case 'ptp_path_delay_series_ns': {
        const s = series.get(r.timestamp) ?? {};
        if (r.name === 'ptp_path_delay_series_ns') s.delay = r.value;
        else if (l.stat === 'mean' || l.stat === 'min' || l.stat === 'max') s[l.stat] = r.value;
        series.set(r.timestamp, s);
        break;
      }
      case 'ptp_te_window_ns': {
        const wins = windowRows.get(view) ?? new Map<string, { max?: number; cte?: number; w: number }>();
        windowRows.set(view, wins);
        const e = wins.get(r.timestamp) ?? { w: Number(l.window_s) };
        if (l.stat === 'max_abs') e.max = r.value;
        else if (l.stat === 'cte') e.cte = r.value;
        wins.set(r.timestamp, e);
        break;
      }
      case 'ptp_te_worst_exchange':
        view.summary.worst_exchange = {
          te_ns: r.value,
          sync_frame: Number(l.sync_frame),
          delay_req_frame: Number(l.delay_req_frame),
          delay_resp_frame: Number(l.delay_resp_frame),
        };
        break;
      case 'ptp_te_samples':
        view.summary.exchanges = r.value;
        break;
      case 'ptp_te_summary_ns':
        if (l.stat === 'max_abs') view.summary.max_abs_te_ns = r.value;
        else if (l.stat === 'p50_abs') view.summary.p50_abs_te_ns = r.value;
        else if (l.stat === 'p99_abs') view.summary.p99_abs_te_ns = r.value;
        else if (l.stat === 'mean') view.summary.mean_te_ns = r.value;
        else if (l.stat === 'cte') {
          view.summary.cte_ns = r.value;
          view.summary.cte_window_s = l.window_s ? Number(l.window_s) : null;
        } else if (l.stat === 'max_abs_te_l') view.summary.max_abs_te_l_ns = r.value;
        else if (l.stat === 'dte_h_pp') view.summary.dte_h_pp_ns = r.value;
        break;
      case 'ptp_mtie_ns':
      case 'ptp_tdev_ns': {
        const list =
          r.name === 'ptp_mtie_ns'
            ? l.filter === 'lp01'
              ? view.dte_l_mtie
              : view.mtie
            : l.filter === 'lp01'
              ? view.dte_l_tdev
              : view.tdev;
        list.push({ tau_s: Number(l.tau_s), ns: r.value });
        break;
      }
      case 'ptp_interval_s': {
        const m = l.message ?? 'exchange';
        const s = (view.intervals[m] ??= { count: 0, mean_s: 0, std_s: 0, min_s: 0, max_s: 0 });
        if (l.stat === 'count') s.count = r.value;
        else if (l.stat === 'mean' || l.stat === 'std' || l.stat === 'min' || l.stat === 'max')
          s[`${l.stat}_s`] = r.value;
        break;
      }
      case 'ptp_sync_pdv_ns': {
        const p = (view.pdv ??= { floor_ns: 0, p50_ns: 0, p99_ns: 0, max_ns: 0, fpp_pct: null });
        if (l.stat === 'floor' || l.stat === 'p50' || l.stat === 'p99' || l.stat === 'max') p[`${l.stat}_ns`] = r.value;
        break;
      }
      case 'ptp_sync_fpp_pct':
        (view.pdv ??= { floor_ns: 0, p50_ns: 0, p99_ns: 0, max_ns: 0, fpp_pct: null }).fpp_pct = r.value;
        break;
      case 'ptp_verdict':
        view.verdicts.push({
          standard: l.standard ?? '',
          class: l.class ? l.class : null,
          criterion: l.criterion as Criterion,
          limit_ns: Number(l.limit_ns),
          value_ns: verdictValues.get(`${portKeyOf(r)}|${verdictKey(l)}`) ?? NaN,
          pass: r.value === 1,
          observed_s: l.observed_s ? Number(l.observed_s) : null,
        });
        break;
    }
  }
  const out: PtpPortView[] = [];
  for (const { view, series } of [...ports.values()].sort((a, b) => a.view.port.localeCompare(b.view.port))) {
    for (const ts of [...series.keys()].sort()) {
      const s = series.get(ts)!;
      if (s.mean === undefined) continue;
      view.series.t.push(ts);
      view.series.te_mean_ns.push(s.mean);
      view.series.te_min_ns.push(s.min ?? s.mean);
      view.series.te_max_ns.push(s.max ?? s.mean);
      view.series.path_delay_ns.push(s.delay ?? null);
    }
    for (const [start, e] of [...(windowRows.get(view) ?? new Map())].sort(([a], [b]) => (a < b ? -1 : 1)))
      if (e.max !== undefined && e.cte !== undefined)
        view.windows.push({ start, window_s: e.w, max_abs_te_ns: e.max, cte_ns: e.cte });
    const byTau = (a: { tau_s: number }, b: { tau_s: number }) => a.tau_s - b.tau_s;
    view.mtie.sort(byTau);
    view.tdev.sort(byTau);
    view.dte_l_mtie.sort(byTau);
    view.dte_l_tdev.sort(byTau);
    out.push(view);
  }
  return out;
}

function portKeyOf(r: Row): string {
  return `${r.labels.basis}|${r.labels.domain}|${r.labels.ptp_port}|${r.labels.master ?? ''}`;
}

export type { Verdict };
