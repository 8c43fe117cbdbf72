import type { FlowKey } from '@l1t/contracts';

/**
 * What the file analysis page shows of one capture (issue 16), computed while the file is read and stored
 * beside the file: every part is bounded in size whatever the capture's length (bins coarsen, samples thin
 * out, columns widen), and says so when it was sampled.
 */
export interface FileViews {
  version: 1;
  /** Capture time of the first packet, ns since the epoch (decimal string: beyond 2^53). */
  first_ts_ns: string;
  flows: FlowRow[];
  timing: TimingView;
  heatmaps: HeatmapView[];
  /** Flows beyond the view limits (counted, not drawn). */
  notes: string[];
}

/** One row of the per-flow table (one flow: link × eAxC × plane × direction, the detectors' identity). */
export interface FlowRow {
  /** `u|dl|eaxc=1` (+ link suffix): the key of the file summary's `flow_counters`. */
  name: string;
  label: string;
  key: FlowKey;
  messages: number;
  sections: number;
  prbs: number;
  /** U-plane: compression seen (`bfp 9`, `none 16`, …), comma-separated when it changed. */
  compression: string;
  /** U-plane: PRBs with decoded IQ, all-zero and clipped PRBs (the slot statistics), mean active power. */
  iq_prbs: number;
  zero_prbs: number;
  clipped_prbs: number;
  mean_active_dbfs: number | null;
  first_ms: number;
  last_ms: number;
  /** O-RAN counters of the detection (RX_ON_TIME, RX_EARLY, RX_LATE, RX_SEQID_ERR, SEQ_* …). */
  counters: Record<string, number>;
}

/** Arrival offsets as the rx-window detector judged them (the one definition of a message's offset). */
export interface TimingView {
  mode: 'absolute' | 'relative' | 'off' | 'auto';
  /** Windows of the profile, µs (advance for DL and UL C-plane, delay for UL U-plane). */
  windows_us: Record<string, readonly [number, number]>;
  flows: TimingFlow[];
  /** One histogram per window (plane/direction): the flows' histograms summed (timing-groups.ts). */
  groups: TimingGroup[];
}

/** The histogram of every flow judged against one window, with their totals. */
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

export interface TimingFlow {
  name: string;
  /** `ul_uplane` | `dl_uplane` | `ul_cplane` | `dl_cplane` */
  window: string;
  /** The relative mode's reference offset (µs) when the detector learned one. */
  reference_us: number | null;
  /** Histogram: bin `i` covers [lo_us + i·bin_us, lo_us + (i+1)·bin_us); counts sum to `judged`. */
  bin_us: number;
  lo_us: number;
  counts: number[];
  judged: number;
  on_time: number;
  early: number;
  late: number;
  min_us: number;
  max_us: number;
  /**
   * Messages over time: ms since the capture's first packet, offset µs, symbolId, 0 on time / 1 late / 2 early.
   * On-time ones thinned to every `every`-th; late and early ones all kept (up to 1 024).
   */
  scatter: { t_ms: number[]; offset_us: number[]; symbol: number[]; kind: number[]; every: number };
}

/** PRB × time power grid of one U-plane flow; cells in row-major order [column][prb]. */
export interface HeatmapView {
  name: string;
  column_ms: number;
  columns: number;
  prbs: number;
  /** Mean power of the cell's non-zero PRB samples (dBFS), null when none. */
  power_dbfs: (number | null)[];
  /** All-zero PRB samples per cell. */
  zero: number[];
  clipped: number[];
  samples: number[];
  /** PRBs decoded for the grid and PRBs left out to keep it cheap on long captures. */
  decoded_prbs: number;
  skipped_prbs: number;
  /** A few symbols' IQ samples (16-bit scale) for the constellation. */
  constellation: ConstellationSample[];
}

export interface ConstellationSample {
  frame_id: number;
  subframe_id: number;
  slot_id: number;
  symbol_id: number;
  start_prb: number;
  /** Interleaved I, Q per RE (12 REs per PRB), on the 16-bit scale. */
  iq: number[];
}
