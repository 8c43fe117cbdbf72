import type { DiagFields } from '@l1t/capture';
import type { MetricDraft } from '@l1t/contracts';
import {
  cellKey,
  isoNs,
  ueCellRef,
  type PdschTbSample,
  type PuschPowerSample,
  type RachAttemptSample,
  type TimingAdvanceSample,
  type UeCellRef,
} from '@l1t/detect';

/**
 * The UE KPIs of a DIAG log: one row per (cell, 1-second window, KPI), so the row count grows with the log's
 * duration, not with its record count. With a sink, rows leave in batches of {@link BATCH} as their windows
 * close (memory bounded by the open windows). The one per-second aggregation of a 0xB193 serving cell: the
 * serving-cell detector kept a second one of its own for RSRP/RSRQ/SINR (issue 13: twice the per-sample
 * bucket work and two more functions for V8 to compile in a fresh process).
 *
 * | metric | from | value per window |
 * | --- | --- | --- |
 * | `ue_rsrp_dbm`, `ue_rsrq_db`, `ue_sinr_db` (the best chain's SNR), `ue_rssi_dbm`, `ue_rsrp_rx_dbm`{rx}, `ue_rssi_rx_dbm`{rx}, `ue_rsrq_rx_db`{rx}, `ue_sinr_rx_db`{rx} | 0xB193 serving cells | mean |
 * | `ue_rsrp_dbm`, `ue_rsrq_db`, `ue_rsrp_rx_dbm`{rx} with `arfcn` | NR 0xB97F serving cells | mean |
 * | `ue_dl_bler_pct` | 0xB173 initial transmissions (TS 36.213 §7.2.3: the BLER target is on first transmissions) | failed / received × 100 |
 * | `ue_dl_tb_count`, `ue_dl_harq_retx_count`, `ue_dl_harq_retx_fail_count` | 0xB173 | initial TBs, retransmitted TBs, retransmissions whose CRC failed again |
 * | `ue_dl_mcs` | 0xB173 initial transmissions | mean MCS index |
 * | `ue_cqi`, `ue_rank` | 0xB14D/0xB14E CSF reports | mean wideband CQI (codeword 0), mean rank |
 * | `ue_dl_rank` | 0xB126 PDSCH demapper configurations to the C-RNTI | mean spatial rank in use |
 * | `ue_nr_dl_bler_pct`, `ue_nr_dl_tb_count`, `ue_nr_harq_retx_count`, `ue_nr_harq_failure_count` | NR 0xB888 counter increases | failed / decoded TBs × 100, counts |
 * | `ue_nr_pusch_grant_count`, `ue_nr_ul_grant_bytes` | NR 0xB883 PUSCH grants | grants, sum of granted TB sizes (bytes; retransmission grants included: the record has no NDI) |
 * | `ue_nr_ul_mcs`, `ue_nr_ul_rbs` | NR 0xB883 PUSCH grants | mean MCS index (TS 38.214 §6.1.4.1), mean RBs per grant |
 * | `ue_power_headroom_db`, `ue_power_headroom_min_db` | 0xB064 PHR; 0xB16E v25 records (Pcmax − PUSCH Tx power) | mean, min |
 * | `ue_pusch_tx_power_dbm`, `ue_pusch_tx_power_max_dbm` | 0xB16E records, 0xB139 transmissions | mean, max |
 * | `ue_pcmax_dbm` | 0xB16E v25 max power (Pcmax, TS 36.101 §6.2.5) | mean |
 * | `ue_pusch_tpc_sum_db`, `ue_pucch_tpc_sum_db` | 0xB16E / 0xB16F TPC δ (TS 36.213 Tables 5.1.1.1-2, 5.1.2.1-1) | sum over the window's records that carry one |
 * | `ue_pusch_fi_db`, `ue_pucch_gi_db` | 0xB16E F(i) / 0xB16F g(i) closed-loop states | mean |
 * | `ue_pathloss_db` | 0xB16E / 0xB16F DL path loss | mean |
 * | `ue_pucch_tx_power_dbm` | 0xB16F records | mean |
 * | `ue_rach_trigger_count` | 0xB061 RACH triggers | count |
 * | `ue_ta_command_count`, `ue_ta_adjust_units` | 0xB063 TA commands | count, sum of T_A − 31 (units of 16 Ts) |
 * | `ue_rar_ta_units` | 0xB062 RAR timing advance | last |
 * | `ue_rach_attempt_count`, `ue_rach_failure_count` | 0xB062 | attempts, attempts not successful |
 */
export class DiagKpiWindows {
  /** The open window of each cell seen lately (a handful: a linear search beats building a key string). */
  private readonly open: Window[] = [];
  private readonly metrics: MetricDraft[] = [];
  private last: Window | undefined;
  /** Last cumulative 0xB888 counters per NR carrier: CRC pass, CRC fail, retransmissions, HARQ failures. */
  private readonly nrCounters = new Map<number, readonly [number, number, number, number]>();
  /** The timestamp text of the window start flushed last (undefined: none yet). */
  private stampStart: bigint | undefined = undefined;
  private stamp = '';

  constructor(
    private readonly sink?: (batch: MetricDraft[]) => void,
    private readonly windowNs = 1_000_000_000n,
  ) {}

  /**
   * Serving cell `i` of a decoded 0xB193 record (the DIAG analyzer's loop over the record's serving cells
   * calls this beside the serving-cell detector): combined RSRP, RSRQ, RSSI, `sinr` (the best chain's SNR,
   * as the detector judges it) and per-chain RSRP, RSSI, RSRQ, SNR.
   */
  onServingCell(tsNs: bigint, f: DiagFields, i: number, pci: number, earfcn: number, sinr: number | null): void {
    const w = this.cellWindow(tsNs, 'lte', pci, earfcn, undefined);
    const means = w.means;
    means.add(RSRP, (f.rsrp as (number | null)[])[i]!);
    means.add(RSRQ, (f.rsrq as (number | null)[])[i]!);
    means.add(SINR, sinr);
    means.add(RSSI, (f.rssi as (number | null)[])[i]!);
    chains(w, RSRP_RX, (f.rsrp_rx as (number | null)[][])[i]!);
    chains(w, RSSI_RX, (f.rssi_rx as (number | null)[][])[i]!);
    chains(w, RSRQ_RX, (f.rsrq_rx as (number | null)[][])[i]!);
    chains(w, SINR_RX, (f.snr_rx as (number | null)[][])[i]!);
  }

  /**
   * The serving cells of a decoded NR 0xB97F record: cell RSRP/RSRQ and the first beam's RSRP per receive
   * chain, under the LTE names (`ue_rsrp_dbm`, `ue_rsrq_db`, `ue_rsrp_rx_dbm`) with the cell's `arfcn`.
   */
  onNrServingCells(tsNs: bigint, f: DiagFields): void {
    const serving = f.is_serving_cell as readonly boolean[];
    for (let i = 0; i < serving.length; i++) {
      if (!serving[i]) continue;
      const w = this.cellWindow(tsNs, 'nr', (f.pci as number[])[i]!, undefined, (f.arfcn as number[])[i]!);
      w.means.add(RSRP, (f.rsrp as (number | null)[])[i]!);
      w.means.add(RSRQ, (f.rsrq as (number | null)[])[i]!);
      chains(w, RSRP_RX, (f.rsrp_rx as (number | null)[][])[i]!);
    }
  }

  /** A channel state feedback report (0xB14D PUCCH / 0xB14E PUSCH CSF): wideband CQI of codeword 0, rank. */
  onCsf(tsNs: bigint, cell: UeCellRef | undefined, f: DiagFields): void {
    const w = this.window(tsNs, cell);
    w.means.add(CQI, f.cqi_cw0 as number);
    w.means.add(RANK, f.rank as number);
  }

  /** A PDSCH demapper configuration (0xB126) addressed to the UE (C-RNTI): the spatial rank in use. */
  onPdschConfig(tsNs: bigint, cell: UeCellRef | undefined, f: DiagFields): void {
    if (f.rnti_type !== 'C') return;
    this.window(tsNs, cell).means.add(DL_RANK, f.rank as number);
  }

  /**
   * NR 0xB888 MAC PDSCH stats: cumulative counters per carrier, so a window counts the increase since the
   * carrier's previous record (a counter that went down — a modem reset — starts a new baseline).
   */
  onNrPdschStats(tsNs: bigint, cell: UeCellRef | undefined, f: DiagFields): void {
    const carriers = f.carrier_id as readonly number[];
    for (let i = 0; i < carriers.length; i++) {
      const now = [
        (f.crc_pass_tbs as number[])[i]!,
        (f.crc_fail_tbs as number[])[i]!,
        (f.retransmissions as number[])[i]!,
        (f.harq_failures as number[])[i]!,
      ] as const;
      const before = this.nrCounters.get(carriers[i]!);
      this.nrCounters.set(carriers[i]!, now);
      if (!before || now.some((v, k) => v < before[k]!)) continue;
      const w = this.window(tsNs, cell);
      w.nrPass += now[0] - before[0];
      w.nrFail += now[1] - before[1];
      w.nrRetx += now[2] - before[2];
      w.nrHarqFail += now[3] - before[3];
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
    if (s.mcs !== undefined) w.means.add(MCS, s.mcs);
  }

  /**
   * A decoded 0xB16E PUSCH / 0xB16F PUCCH power-control record (lte-power-control.ts): per logged
   * transmission its Tx power, TPC δ (null: none received), closed-loop state F(i)/g(i), DL path loss and,
   * for PUSCH v25, Pcmax. (The PUSCH headroom to Pcmax arrives as samples: {@link onPuschPower}.)
   */
  onUlPowerControl(tsNs: bigint, cell: UeCellRef | undefined, f: DiagFields, pusch: boolean): void {
    const w = this.window(tsNs, cell);
    const power = (pusch ? f.pusch_tx_power_dbm : f.pucch_tx_power_dbm) as readonly number[];
    const tpc = f.tpc_db as readonly (number | null)[];
    const loop = (pusch ? f.f_i_db : f.g_i_db) as readonly number[];
    const pathLoss = f.path_loss_db as readonly number[];
    const pcmax = pusch ? (f.pcmax_dbm as readonly (number | null)[]) : undefined;
    for (let i = 0; i < power.length; i++) {
      if (pusch) this.puschPower(w, power[i]!);
      else w.means.add(PUCCH_POWER, power[i]!);
      w.means.add(pusch ? FI : GI, loop[i]!);
      w.means.add(PATHLOSS, pathLoss[i]!);
      if (pcmax) w.means.add(PCMAX, pcmax[i]!);
      const d = tpc[i]!;
      if (d === null) continue;
      if (pusch) w.puschTpc = (Number.isNaN(w.puschTpc) ? 0 : w.puschTpc) + d;
      else w.pucchTpc = (Number.isNaN(w.pucchTpc) ? 0 : w.pucchTpc) + d;
    }
  }

  /** A decoded 0xB139 PUSCH Tx report: the Tx power of each transmission. */
  onPuschTxReport(tsNs: bigint, cell: UeCellRef | undefined, f: DiagFields): void {
    const w = this.window(tsNs, cell);
    for (const dbm of f.pusch_tx_power_dbm as readonly number[]) this.puschPower(w, dbm);
  }

  /**
   * A decoded NR 0xB883 MAC UL physical channel schedule report: per PUSCH grant its MCS index, RBs and TB
   * size. The record names carriers by id only, so its grants count on the NR cell last measured (as the
   * 0xB888 counters). (0xB881 UL TB stats feed nothing: neither open decoder says whether its counts are
   * per report or since the log began, and no public log shows it.)
   */
  onNrPuschGrants(tsNs: bigint, cell: UeCellRef | undefined, f: DiagFields): void {
    const mcs = f.mcs as readonly number[];
    if (mcs.length === 0) return; // a report of PUCCH / SRS only
    const rbs = f.rbs as readonly number[];
    const tbSize = f.tb_size_bytes as readonly number[];
    const w = this.window(tsNs, cell);
    for (let i = 0; i < mcs.length; i++) {
      w.nrUlGrants++;
      w.nrUlBytes += tbSize[i]!;
      w.means.add(NR_UL_MCS, mcs[i]!);
      w.means.add(NR_UL_RBS, rbs[i]!);
    }
  }

  /** A decoded 0xB061 RACH trigger. */
  onRachTrigger(tsNs: bigint, cell: UeCellRef | undefined): void {
    this.window(tsNs, cell).rachTriggers++;
  }

  private puschPower(w: Window, dbm: number): void {
    w.means.add(PUSCH_POWER, dbm);
    if (dbm > w.maxPuschPower) w.maxPuschPower = dbm;
  }

  onPuschPower(s: PuschPowerSample): void {
    const w = this.window(s.tsNs, s.cell);
    w.means.add(HEADROOM, s.headroomDb);
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
    for (const w of this.open) this.flush(w);
    this.open.length = 0;
    this.last = undefined;
    if (this.sink && this.metrics.length > 0) this.sink(this.metrics.splice(0));
    return this.metrics;
  }

  /**
   * The window of a measured cell named by its numbers: the last window's cell ref when it is that cell (the
   * common case: no ref made per 0xB193/0xB97F record), else a new one.
   */
  private cellWindow(
    tsNs: bigint,
    rat: 'lte' | 'nr',
    pci: number,
    earfcn: number | undefined,
    arfcn: number | undefined,
  ): Window {
    const c = this.last?.cell;
    // `?? -1` (no E-ARFCN/ARFCN is negative): the comparisons see numbers only — compared with undefined
    // (an NR cell's earfcn, an LTE one's arfcn, a cell known by PCI alone) after their feedback was all small
    // integers, they deoptimised cellWindow, window, windowOf and sameCell ('not a Smi', issue 13)
    const same =
      c !== undefined &&
      c.rat === rat &&
      c.pci === pci &&
      (c.earfcn ?? -1) === (earfcn ?? -1) &&
      (c.arfcn ?? -1) === (arfcn ?? -1);
    return this.window(tsNs, same ? c : ueCellRef(rat, pci, earfcn, arfcn));
  }

  private window(tsNs: bigint, cell: UeCellRef | undefined): Window {
    const last = this.last;
    // Most records belong to the cell and window of the record before: no key string to build then, and
    // the window's end kept so that no bigint is made per record (tsNs − start < size ⇔ tsNs < start + size).
    if (last && sameCell(last.cell, cell) && tsNs >= last.start && tsNs < last.end) return last;
    const w = this.windowOf(tsNs, cell);
    this.last = w;
    return w;
  }

  private windowOf(tsNs: bigint, cell: UeCellRef | undefined): Window {
    const open = this.open;
    for (let i = 0; i < open.length; i++) {
      const w = open[i]!;
      if (!sameCell(w.cell, cell)) continue;
      // inside the cell's open window (its start a multiple of the size): that is its start, none computed
      if (tsNs >= 0n && tsNs >= w.start && tsNs < w.end) return w;
      const start = tsNs - (tsNs % this.windowNs);
      if (w.start === start) return w;
      this.flush(w);
      // The cell's next window: same labels (rows already handed out keep theirs: never mutated).
      return (open[i] = newWindow(start, start + this.windowNs, cell, w.labels, w.rxLabels));
    }
    const start = tsNs - (tsNs % this.windowNs);
    if (open.length >= MAX_OPEN_CELLS) this.flush(open.shift()!);
    const w = newWindow(start, start + this.windowNs, cell, labelsOf(cellKey(cell), cell), []);
    open.push(w);
    return w;
  }

  private flush(w: Window): void {
    // The windows of all cells close in the same second, at a whole second: one timestamp text per start.
    if (w.start !== this.stampStart) {
      this.stampStart = w.start;
      this.stamp = isoNs(w.start);
    }
    const timestamp = this.stamp;
    const labels = w.labels;
    const means = w.means;
    // Every row but the per-chain ones through rowIf(), called whether or not the window has it: its one
    // `this.row` site is then met by the first window with a mean. The KPIs a log has only later (the first
    // PHR, PUSCH power, TA command, RACH) were each a call site that compiled code met first — no type feedback
    // for `this.row` — and deoptimised flush (issue 13: up to twice on the 400 MB bench:diag input).
    for (let k = 0; k < MEANS.length; k++)
      this.rowIf(means.n[k]! > 0, timestamp, labels, MEANS[k]!, means.sum[k]! / means.n[k]!);
    const chainMeans = w.chains;
    for (let kind = 0; kind < CHAIN_MEANS.length; kind++)
      for (let rx = 0; rx < MAX_RX; rx++) {
        const k = kind * MAX_RX + rx;
        if (chainMeans.n[k]! > 0)
          this.row(
            timestamp,
            (w.rxLabels[rx] ??= { ...labels, rx: String(rx) }),
            CHAIN_MEANS[kind]!,
            chainMeans.sum[k]! / chainMeans.n[k]!,
          );
      }
    const tbs = w.initial + w.retx;
    const nr = w.nrPass + w.nrFail;
    this.rowIf(w.minHeadroom !== Infinity, timestamp, labels, 'ue_power_headroom_min_db', w.minHeadroom);
    this.rowIf(w.maxPuschPower !== -Infinity, timestamp, labels, 'ue_pusch_tx_power_max_dbm', w.maxPuschPower);
    this.rowIf(!Number.isNaN(w.puschTpc), timestamp, labels, 'ue_pusch_tpc_sum_db', w.puschTpc);
    this.rowIf(!Number.isNaN(w.pucchTpc), timestamp, labels, 'ue_pucch_tpc_sum_db', w.pucchTpc);
    this.rowIf(w.rachTriggers > 0, timestamp, labels, 'ue_rach_trigger_count', w.rachTriggers);
    this.rowIf(w.initial > 0, timestamp, labels, 'ue_dl_bler_pct', (w.initialFail / w.initial) * 100);
    this.rowIf(w.initial > 0, timestamp, labels, 'ue_dl_tb_count', w.initial);
    this.rowIf(tbs > 0, timestamp, labels, 'ue_dl_harq_retx_count', w.retx);
    this.rowIf(tbs > 0, timestamp, labels, 'ue_dl_harq_retx_fail_count', w.retxFail);
    this.rowIf(nr > 0, timestamp, labels, 'ue_nr_dl_bler_pct', (w.nrFail / nr) * 100);
    this.rowIf(nr > 0, timestamp, labels, 'ue_nr_dl_tb_count', nr);
    this.rowIf(nr > 0, timestamp, labels, 'ue_nr_harq_retx_count', w.nrRetx);
    this.rowIf(nr > 0, timestamp, labels, 'ue_nr_harq_failure_count', w.nrHarqFail);
    this.rowIf(w.nrUlGrants > 0, timestamp, labels, 'ue_nr_pusch_grant_count', w.nrUlGrants);
    this.rowIf(w.nrUlGrants > 0, timestamp, labels, 'ue_nr_ul_grant_bytes', w.nrUlBytes);
    this.rowIf(w.taCommands > 0, timestamp, labels, 'ue_ta_command_count', w.taCommands);
    this.rowIf(w.taCommands > 0, timestamp, labels, 'ue_ta_adjust_units', w.taAdjust);
    this.rowIf(!Number.isNaN(w.rarTa), timestamp, labels, 'ue_rar_ta_units', w.rarTa);
    this.rowIf(w.rachAttempts > 0, timestamp, labels, 'ue_rach_attempt_count', w.rachAttempts);
    this.rowIf(w.rachAttempts > 0, timestamp, labels, 'ue_rach_failure_count', w.rachFailures);
    if (this.sink && this.metrics.length >= BATCH) this.sink(this.metrics.splice(0));
  }

  /** {@link row} when `has` (see flush: one call site, met by the first window). */
  private rowIf(has: boolean, timestamp: string, labels: Record<string, string>, name: string, value: number): void {
    if (has) this.row(timestamp, labels, name, value);
  }

  /**
   * One KPI row (a method, not a closure made per flush over the window: issue 13). The value rounded to
   * two decimals.
   */
  private row(timestamp: string, labels: Record<string, string>, name: string, value: number): void {
    this.metrics.push(new KpiRow(timestamp, name, labels, Math.round(value * 100) / 100));
  }
}

/**
 * A KPI row: made by a constructor, not an object literal. V8 allocates what a literal makes in the old
 * generation from the moment nearly every object the literal made since the last scavenge is still alive at
 * one (allocation-site pretenuring, ≥ 85 % of ≥ 100); it keeps no such record for what `new` makes. Rows wait
 * in batches (1,000 here, then the sink's), and analyzeFile() keeps the first ones of a large file until its
 * sha256, hashed beside on a worker, gives the file id: on the 400 MB bench:diag input the row literal was
 * tenured in 5 of 6 analyzeFile() runs, none of the bare analyzer's (--trace-pretenuring-statistics
 * '=> tenure', row/flush deoptimised for it), and then every later row — 754 k, each dead once the sink has
 * taken it — was made in the old generation: the heap grew ~2 MB per scavenge to 78-90 MB until a full
 * collection, the row's line took ~190 ms of analyzeFile's profile against ~7 ms in the bare analyzer's.
 * Copying the rows analyzeFile() keeps (c802a0d) did not stop it (4 of 5 runs); this did (none of 20). The
 * fields are set in the literal's order: the same JSON, the same keys for every consumer.
 */
class KpiRow implements MetricDraft {
  // `declare`: no class field definitions emitted, only the constructor's stores (in this order)
  declare readonly timestamp: string;
  declare readonly source: 'ue';
  declare readonly name: string;
  declare readonly labels: Record<string, string>;
  declare readonly value: number;
  constructor(timestamp: string, name: string, labels: Record<string, string>, value: number) {
    this.timestamp = timestamp;
    this.source = 'ue';
    this.name = name;
    this.labels = labels;
    this.value = value;
  }
}

/** Cells with an open window at once; the least recently opened one is closed beyond. */
const MAX_OPEN_CELLS = 64;

/** Rows per batch handed to the sink. */
const BATCH = 1000;

/**
 * Running means in two arrays (a window holds a few dozen; objects per mean were a hot spot). Plain arrays of
 * numbers, not typed arrays: a window lives a second, and a typed array costs far more to make and collect.
 */
class Means {
  readonly sum: number[];
  readonly n: number[];
  constructor(size: number) {
    this.sum = new Array<number>(size).fill(0);
    this.n = new Array<number>(size).fill(0);
  }
  /** Adds `v` to mean `k`; null values are not counted. */
  add(k: number, v: number | null): void {
    if (v === null) return;
    this.sum[k]! += v;
    this.n[k]!++;
  }
}

/** The plain means of a window, in this order. */
const MEANS = [
  'ue_rssi_dbm',
  'ue_dl_mcs',
  'ue_power_headroom_db',
  'ue_rsrp_dbm',
  'ue_rsrq_db',
  'ue_cqi',
  'ue_rank',
  'ue_dl_rank',
  'ue_pusch_tx_power_dbm',
  'ue_pcmax_dbm',
  'ue_pathloss_db',
  'ue_pusch_fi_db',
  'ue_pucch_tx_power_dbm',
  'ue_pucch_gi_db',
  'ue_nr_ul_mcs',
  'ue_nr_ul_rbs',
  'ue_sinr_db',
] as const;
const RSSI = 0;
const MCS = 1;
const HEADROOM = 2;
/** Of an LTE 0xB193 or NR 0xB97F serving cell. */
const RSRP = 3;
const RSRQ = 4;
const CQI = 5;
const RANK = 6;
const DL_RANK = 7;
const PUSCH_POWER = 8;
const PCMAX = 9;
const PATHLOSS = 10;
const FI = 11;
const PUCCH_POWER = 12;
const GI = 13;
const NR_UL_MCS = 14;
const NR_UL_RBS = 15;
/** 0xB193: the best receive chain's SNR. */
const SINR = 16;
/** Receive chains kept per window (0xB193 logs up to 4). */
const MAX_RX = 4;
/** The per-chain means, MAX_RX slots each, in this order. */
const CHAIN_MEANS = ['ue_rsrp_rx_dbm', 'ue_rssi_rx_dbm', 'ue_rsrq_rx_db', 'ue_sinr_rx_db'] as const;
const RSRP_RX = 0;
const RSSI_RX = 1;
const RSRQ_RX = 2;
const SINR_RX = 3;

/**
 * A cell's open window. Every field holds from its creation a value of the kind it keeps (numbers with NaN
 * for "none", the per-chain means made with the window): a field first undefined and later a number or an
 * object changed the windows' hidden class under code compiled for the old one, which V8 then threw away
 * (issue 13: windowOf and flush compiled 3–4 times in a fresh process, 'code dependencies' under
 * --trace-deopt-verbose).
 */
interface Window {
  start: bigint;
  /** start + the window's size. */
  end: bigint;
  cell: UeCellRef | undefined;
  labels: Record<string, string>;
  /** `labels` with the receive chain, made once per window and chain. */
  rxLabels: (Record<string, string> | undefined)[];
  means: Means;
  /** Per-chain means ({@link MAX_RX} slots per kind). */
  chains: Means;
  initial: number;
  initialFail: number;
  retx: number;
  retxFail: number;
  minHeadroom: number;
  taCommands: number;
  taAdjust: number;
  nrPass: number;
  nrFail: number;
  nrRetx: number;
  nrHarqFail: number;
  /** NR PUSCH grants (0xB883) and the sum of their TB sizes. */
  nrUlGrants: number;
  nrUlBytes: number;
  /** NaN: none in the window. */
  rarTa: number;
  rachAttempts: number;
  rachFailures: number;
  maxPuschPower: number;
  /** Sum of the TPC δ received in the window; NaN when none was. */
  puschTpc: number;
  pucchTpc: number;
  rachTriggers: number;
}

function newWindow(
  start: bigint,
  end: bigint,
  cell: UeCellRef | undefined,
  labels: Record<string, string>,
  rxLabels: (Record<string, string> | undefined)[],
): Window {
  const w: Window = {
    start,
    end,
    cell,
    labels,
    rxLabels,
    means: new Means(MEANS.length),
    chains: new Means(CHAIN_MEANS.length * MAX_RX),
    initial: 0,
    initialFail: 0,
    retx: 0,
    retxFail: 0,
    minHeadroom: Infinity,
    taCommands: 0,
    taAdjust: 0,
    nrPass: 0,
    nrFail: 0,
    nrRetx: 0,
    nrHarqFail: 0,
    nrUlGrants: 0,
    nrUlBytes: 0,
    rarTa: NaN,
    rachAttempts: 0,
    rachFailures: 0,
    maxPuschPower: -Infinity,
    puschTpc: NaN,
    pucchTpc: NaN,
    rachTriggers: 0,
  };
  // V8 keeps a field of the literal's shape "const" until its first write after the literal, and that write
  // deoptimises the compiled code that relied on it: under --trace-generalization the first PHR
  // (minHeadroom) and the first PUSCH power record (maxPuschPower) came after newWindow, windowOf and flush
  // were compiled, and each was compiled twice more (issue 13). Every counter is written once more here, so
  // the first window — interpreted — marks them all mutable; the values are those of the literal.
  w.initial = w.initialFail = w.retx = w.retxFail = 0;
  w.taCommands = w.taAdjust = w.rachAttempts = w.rachFailures = w.rachTriggers = 0;
  w.nrPass = w.nrFail = w.nrRetx = w.nrHarqFail = w.nrUlGrants = w.nrUlBytes = 0;
  w.minHeadroom = Infinity;
  w.maxPuschPower = -Infinity;
  w.rarTa = w.puschTpc = w.pucchTpc = NaN;
  return w;
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

function sameCell(a: UeCellRef | undefined, b: UeCellRef | undefined): boolean {
  if (a === b) return true;
  // `?? -1`: as in cellWindow
  return (
    !!a &&
    !!b &&
    a.rat === b.rat &&
    a.pci === b.pci &&
    (a.earfcn ?? -1) === (b.earfcn ?? -1) &&
    (a.arfcn ?? -1) === (b.arfcn ?? -1)
  );
}

function chains(w: Window, kind: number, values: readonly (number | null)[]): void {
  const c = w.chains;
  for (let rx = 0; rx < values.length && rx < MAX_RX; rx++) c.add(kind * MAX_RX + rx, values[rx]!);
}
