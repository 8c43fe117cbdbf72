import type { DiagFields } from '@l1t/capture';
import type { MetricDraft } from '@l1t/contracts';
import {
  cellKey,
  isoNs,
  type PdschTbSample,
  type PuschPowerSample,
  type RachAttemptSample,
  type TimingAdvanceSample,
  type UeCellRef,
} from '@l1t/detect';

/**
 * The UE KPIs a DIAG log gives beyond the serving-cell ones the serving-cell detector already writes
 * (`ue_rsrp_dbm`, `ue_rsrq_db`, `ue_sinr_db`, `ue_rsrp_rx_dbm`): one row per (cell, 1-second window, KPI),
 * so the row count grows with the log's duration, not with its record count. With a sink, rows leave in
 * batches of {@link BATCH} as their windows close (memory bounded by the open windows).
 *
 * | metric | from | value per window |
 * | --- | --- | --- |
 * | `ue_rssi_dbm`, `ue_rssi_rx_dbm`{rx}, `ue_rsrq_rx_db`{rx}, `ue_sinr_rx_db`{rx} | 0xB193 serving cells | mean |
 * | `ue_dl_bler_pct` | 0xB173 initial transmissions (TS 36.213 §7.2.3: the BLER target is on first transmissions) | failed / received × 100 |
 * | `ue_dl_tb_count`, `ue_dl_harq_retx_count`, `ue_dl_harq_retx_fail_count` | 0xB173 | initial TBs, retransmitted TBs, retransmissions whose CRC failed again |
 * | `ue_dl_mcs` | 0xB173 initial transmissions | mean MCS index |
 * | `ue_power_headroom_db`, `ue_power_headroom_min_db` | 0xB064 PHR (Pcmax − PUSCH power) | mean, min |
 * | `ue_ta_command_count`, `ue_ta_adjust_units` | 0xB063 TA commands | count, sum of T_A − 31 (units of 16 Ts) |
 * | `ue_rar_ta_units` | 0xB062 RAR timing advance | last |
 * | `ue_rach_attempt_count`, `ue_rach_failure_count` | 0xB062 | attempts, attempts not successful |
 */
export class DiagKpiWindows {
  private readonly open = new Map<string, Window>();
  private readonly metrics: MetricDraft[] = [];

  constructor(
    private readonly sink?: (batch: MetricDraft[]) => void,
    private readonly windowNs = 1_000_000_000n,
  ) {}

  /** The serving cells of a decoded 0xB193 record (per-chain RSSI, RSRQ, SNR and the combined RSSI). */
  onServingCells(tsNs: bigint, f: DiagFields): void {
    const serving = f.is_serving_cell as readonly boolean[];
    for (let i = 0; i < serving.length; i++) {
      if (!serving[i]) continue;
      const cell: UeCellRef = { rat: 'lte', pci: (f.pci as number[])[i]!, earfcn: (f.earfcn as number[])[i]! };
      const w = this.window(tsNs, cell);
      add(w.sums, 'ue_rssi_dbm', (f.rssi as (number | null)[])[i]!);
      chains(w, 'ue_rssi_rx_dbm', (f.rssi_rx as (number | null)[][])[i]!);
      chains(w, 'ue_rsrq_rx_db', (f.rsrq_rx as (number | null)[][])[i]!);
      chains(w, 'ue_sinr_rx_db', (f.snr_rx as (number | null)[][])[i]!);
    }
  }

  onPdschTb(s: PdschTbSample): void {
    const w = this.window(s.tsNs, s.cell);
    if (s.isRetx) {
      w.retx++;
      if (!s.crcPass) w.retxFail++;
      return;
    }
    w.initial++;
    if (!s.crcPass) w.initialFail++;
    if (s.mcs !== undefined) add(w.sums, 'ue_dl_mcs', s.mcs);
  }

  onPuschPower(s: PuschPowerSample): void {
    const w = this.window(s.tsNs, s.cell);
    add(w.sums, 'ue_power_headroom_db', s.headroomDb);
    w.minHeadroom = Math.min(w.minHeadroom, s.headroomDb);
  }

  onTimingAdvance(s: TimingAdvanceSample): void {
    const w = this.window(s.tsNs, s.cell);
    if (s.kind === 'absolute') w.rarTa = s.value;
    else {
      w.taCommands++;
      w.taAdjust += s.value;
    }
  }

  onRachAttempt(s: RachAttemptSample): void {
    const w = this.window(s.tsNs, s.cell);
    w.rachAttempts++;
    if (s.result !== 'success') w.rachFailures++;
  }

  /** Closes every window still open; the rows not handed to the sink, in time order per cell. */
  finish(): MetricDraft[] {
    for (const w of this.open.values()) this.flush(w);
    this.open.clear();
    if (this.sink && this.metrics.length > 0) this.sink(this.metrics.splice(0));
    return this.metrics;
  }

  private window(tsNs: bigint, cell: UeCellRef | undefined): Window {
    const key = cellKey(cell);
    const start = tsNs - (tsNs % this.windowNs);
    let w = this.open.get(key);
    if (w && w.start !== start) {
      this.flush(w);
      w = undefined;
    }
    if (!w) {
      w = newWindow(start, labelsOf(key, cell));
      this.open.set(key, w);
    }
    return w;
  }

  private flush(w: Window): void {
    const timestamp = isoNs(w.start);
    const m = (name: string, value: number, extra?: Record<string, string>): void => {
      this.metrics.push({
        timestamp,
        source: 'ue',
        name,
        labels: extra ? { ...w.labels, ...extra } : w.labels,
        value: Math.round(value * 100) / 100,
      });
    };
    for (const [name, s] of w.sums) {
      const rx = name.indexOf('#');
      if (rx < 0) m(name, s.sum / s.n);
      else m(name.slice(0, rx), s.sum / s.n, { rx: name.slice(rx + 1) });
    }
    if (w.minHeadroom !== Infinity) m('ue_power_headroom_min_db', w.minHeadroom);
    if (w.initial > 0) {
      m('ue_dl_bler_pct', (w.initialFail / w.initial) * 100);
      m('ue_dl_tb_count', w.initial);
    }
    if (w.initial + w.retx > 0) {
      m('ue_dl_harq_retx_count', w.retx);
      m('ue_dl_harq_retx_fail_count', w.retxFail);
    }
    if (w.taCommands > 0) {
      m('ue_ta_command_count', w.taCommands);
      m('ue_ta_adjust_units', w.taAdjust);
    }
    if (w.rarTa !== undefined) m('ue_rar_ta_units', w.rarTa);
    if (w.rachAttempts > 0) {
      m('ue_rach_attempt_count', w.rachAttempts);
      m('ue_rach_failure_count', w.rachFailures);
    }
    if (this.sink && this.metrics.length >= BATCH) this.sink(this.metrics.splice(0));
  }
}

/** Rows per batch handed to the sink. */
const BATCH = 1000;

interface Window {
  start: bigint;
  labels: Record<string, string>;
  /** Means by metric name (`name#rx` for a receive chain). */
  sums: Map<string, { sum: number; n: number }>;
  initial: number;
  initialFail: number;
  retx: number;
  retxFail: number;
  minHeadroom: number;
  taCommands: number;
  taAdjust: number;
  rarTa: number | undefined;
  rachAttempts: number;
  rachFailures: number;
}

function newWindow(start: bigint, labels: Record<string, string>): Window {
  return {
    start,
    labels,
    sums: new Map(),
    initial: 0,
    initialFail: 0,
    retx: 0,
    retxFail: 0,
    minHeadroom: Infinity,
    taCommands: 0,
    taAdjust: 0,
    rarTa: undefined,
    rachAttempts: 0,
    rachFailures: 0,
  };
}

function labelsOf(key: string, cell: UeCellRef | undefined): Record<string, string> {
  if (!cell) return { cell: key };
  return {
    cell: key,
    pci: String(cell.pci),
    ...(cell.earfcn !== undefined ? { earfcn: String(cell.earfcn) } : {}),
    ...(cell.arfcn !== undefined ? { arfcn: String(cell.arfcn) } : {}),
  };
}

function add(sums: Window['sums'], name: string, v: number | null): void {
  if (v === null) return;
  const s = sums.get(name);
  if (s) {
    s.sum += v;
    s.n++;
  } else sums.set(name, { sum: v, n: 1 });
}

function chains(w: Window, name: string, values: readonly (number | null)[]): void {
  for (let rx = 0; rx < values.length; rx++) add(w.sums, `${name}#${rx}`, values[rx]!);
}
