/** Shapes of the file analysis page's routes (`/api/files/:id/flows|timing|heatmap|ptp`), issue 16. */
export interface FlowRow {
  name: string;
  label: string;
  key: {
    eaxc?: number;
    du_port?: number;
    band_sector?: number;
    cc?: number;
    ru_port?: number;
    plane?: string;
    direction?: string;
    src_mac?: string;
    dst_mac?: string;
    vlan?: number;
  };
  messages: number;
  sections: number;
  prbs: number;
  compression: string;
  iq_prbs: number;
  zero_prbs: number;
  clipped_prbs: number;
  mean_active_dbfs: number | null;
  first_ms: number;
  last_ms: number;
  counters: Record<string, number>;
}

export interface FlowsResponse {
  file_id: string;
  status: string;
  first_ts_ns: string | null;
  flows: FlowRow[];
  notes: string[];
}

/** One flow's totals and extremes (its histogram is summed into its window's group). */
export interface TimingFlow {
  name: string;
  window: string;
  reference_us: number | null;
  bin_us: number;
  lo_us: number;
  bins: number;
  judged: number;
  on_time: number;
  early: number;
  late: number;
  min_us: number;
  max_us: number;
  scatter_points: number;
}

export interface Scatter {
  name: string;
  window: string;
  t_ms: number[];
  offset_us: number[];
  symbol: number[];
  kind: number[];
  every: number;
}

/** The histogram of every flow judged against one window (plane/direction). */
export interface TimingGroup {
  window: string;
  flows: string[];
  reference_us: number | null;
  bin_us: number;
  lo_us: number;
  counts: number[];
  judged: number;
  on_time: number;
  early: number;
  late: number;
  min_us: number;
  max_us: number;
}

export interface TimingResponse {
  file_id: string;
  mode: 'absolute' | 'relative' | 'off' | 'auto';
  windows_us: Record<string, [number, number]>;
  flows: TimingFlow[];
  groups: TimingGroup[];
  scatter?: Scatter;
}

export interface ConstellationSample {
  frame_id: number;
  subframe_id: number;
  slot_id: number;
  symbol_id: number;
  start_prb: number;
  iq: number[];
}

export interface Heatmap {
  name: string;
  column_ms: number;
  columns: number;
  prbs: number;
  power_dbfs: (number | null)[];
  zero: number[];
  clipped: number[];
  samples: number[];
  decoded_prbs: number;
  skipped_prbs: number;
  constellation: ConstellationSample[];
}

export interface HeatmapResponse {
  file_id: string;
  items: {
    name: string;
    columns: number;
    prbs: number;
    column_ms: number;
    decoded_prbs: number;
    skipped_prbs: number;
  }[];
  heatmap: Heatmap | null;
}

export interface PtpStat {
  count: number;
  mean_s: number;
  std_s: number;
  min_s: number;
  max_s: number;
}

/** `GET /api/files/:id/ptp` (the PTP metrics route, /tmp/h/ptp-contract.md). */
export interface PtpResponse {
  file_id: string;
  ports: {
    port: string;
    domain: number | null;
    basis: 'capture' | 'servo_offset';
    statement: string;
    series: {
      t: string[];
      te_mean_ns: number[];
      te_min_ns: number[];
      te_max_ns: number[];
      path_delay_ns: (number | null)[];
    };
    summary: {
      exchanges: number;
      max_abs_te_ns: number;
      cte_ns: number;
      max_abs_te_l_ns: number;
      dte_h_pp_ns: number | null;
      mean_te_ns: number;
      worst_exchange?: { te_ns: number; sync_frame: number; delay_req_frame: number; delay_resp_frame: number };
    };
    /** Capture: the master port the slave exchanged with; relative mode: only variations are meaningful. */
    master?: string;
    variable_only?: boolean;
    mtie?: { tau_s: number; ns: number }[];
    tdev?: { tau_s: number; ns: number }[];
    pdv?: { floor_ns?: number; p50_ns: number; p99_ns: number; max_ns: number; fpp_pct: number };
    intervals: { sync?: PtpStat; announce?: PtpStat; servo?: PtpStat };
    verdicts: {
      standard: string;
      class: string | null;
      criterion: string;
      limit_ns: number;
      value_ns: number;
      pass: boolean;
    }[];
  }[];
}

/** `u|dl|eaxc=1` → `eAxC 1 U-plane DL` (link suffix kept). */
export function flowTitle(name: string): string {
  const [plane, dir, eaxc, ...link] = name.split('|');
  return `eAxC ${eaxc?.replace('eaxc=', '')} ${plane === 'c' ? 'C' : 'U'}-plane ${dir?.toUpperCase()}${link.length ? ` (${link.join(' ')})` : ''}`;
}

/** ms since the capture's first packet of an ISO timestamp (ns precision kept to the µs). */
export function relMs(iso: string, firstTsNs: string | null): number | null {
  if (!firstTsNs) return null;
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return null;
  const frac = /\.(\d+)Z$/.exec(iso)?.[1] ?? '';
  const subMs = frac.length > 3 ? Number(`0.${frac.slice(3)}`) : 0;
  const firstMs = Number(BigInt(firstTsNs) / 1000n) / 1000;
  return ms + subMs - firstMs;
}
