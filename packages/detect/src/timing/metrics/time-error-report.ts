import { syncPdv, type PdvResult } from './floor-packets.js';
import { slidingWindows, type TeWindow } from './sliding-windows.js';
import { lowPass } from './low-pass.js';
import { mtie, mtieDeques } from './mtie.js';
import type { InOrderValues } from './sample-lists.js';
import { tdevMany } from './tdev.js';
import {
  quantileOfSorted,
  CTE_WINDOW_S,
  constantTimeError,
  intervalStats,
  maxAbs,
  mean,
  type CteResult,
  type SampleStats,
} from './time-error-stats.js';
import { bestClass, G8273_2_OBSERVATION_S, judge, type Verdict } from './time-error-verdicts.js';
import { medianInterval, toUniformGrid } from './uniform-grid.js';

/**
 * The time-error report of one slave port (or one linuxptp servo): ITU-T G.8260 Appendix I metrics and
 * the G.8271.1 / G.8273.2 verdicts, from a series of time-error samples. Pure; the caller says what the
 * samples are (`basis`) and the report carries that statement with every number.
 */
export type TimeErrorBasis = 'capture' | 'servo_offset';

export const BASIS_STATEMENT: Record<TimeErrorBasis, string> = {
  capture:
    "Capture-based: two-way time error of each complete exchange with t2 and t3 taken from the capture's timestamps, so the capture clock's own error is part of every value (max|TE| and cTE include it; in relative timing mode only the variable part — dTE, MTIE, TDEV, PDV — is meaningful).",
  servo_offset:
    "Servo offsets from a linuxptp log, locked samples (s2/s3) only: the clock's own estimate of its offset from its master after each correction, not a time error measured against an independent reference (path asymmetry and timestamping error do not show in it; a PI servo drives its mean offset to zero, so cTE is near zero by construction).",
};

export interface TimeErrorInput {
  port: string;
  domain: number | null;
  basis: TimeErrorBasis;
  /** Sample times (s since the Unix epoch, UTC) ascending, and the time error at each (ns). */
  tS: ArrayLike<number>;
  teNs: ArrayLike<number>;
  /** Mean path delay per sample (ns), when known. */
  pathDelayNs?: ArrayLike<number>;
  /** Forward (master → slave) delays t2 − t1 − c of Syncs (ns) at their times, for PDV and FPP. */
  syncDelay?: { tS: ArrayLike<number>; delayNs: ArrayLike<number> };
  /** Arrival times (s) of Sync and Announce messages from the port's master (only read in order). */
  syncArrivalsS?: ArrayLike<number> | InOrderValues;
  announceArrivalsS?: ArrayLike<number> | InOrderValues;
}

export interface TauValue {
  tauS: number;
  ns: number;
}

export interface TimeErrorReport {
  port: string;
  domain: number | null;
  basis: TimeErrorBasis;
  statement: string;
  samples: number;
  /** Samples left out because their time was before an earlier sample's (a clock that went back). */
  outOfOrder: number;
  firstS: number;
  lastS: number;
  /** Grid step (s) the filtered metrics and TDEV were computed on. */
  tau0S: number;
  maxAbsTeNs: number;
  /** Median and 99th percentile of |TE|: what most exchanges show when a few are extreme (an attack, a jolt). */
  p50AbsTeNs: number;
  p99AbsTeNs: number;
  meanTeNs: number;
  cte: CteResult;
  /** max|TE_L| after the 0.1 Hz low-pass (class D). */
  maxAbsTeLNs: number;
  /** Peak-to-peak of the 0.1 Hz high-passed TE (dTE_H). */
  dteHPpNs: number;
  mtie: TauValue[];
  tdev: TauValue[];
  dteLMtie: TauValue[];
  dteLTdev: TauValue[];
  intervals: { sync?: SampleStats; announce?: SampleStats; samples?: SampleStats };
  pdv?: PdvResult;
  /** max|TE| and average TE over 1000 s windows sliding by {@link WINDOW_STEP_S} (the whole series when shorter). */
  windows: TeWindow[];
  verdicts: Verdict[];
  g8273Class: 'A' | 'B' | 'C' | 'D' | null;
  /**
   * The series for charts: mean, min and max TE and mean path delay per bucket of `bucketS` seconds (1 s, or
   * longer so that a long series keeps at most {@link MAX_SERIES_BUCKETS} buckets); `tS` is each bucket's start.
   */
  perSecond: {
    bucketS: number;
    tS: number[];
    meanNs: number[];
    minNs: number[];
    maxNs: number[];
    pathDelayNs: (number | null)[];
  };
}

/** Step of the sliding 1000 s windows. */
export const WINDOW_STEP_S = 100;

/** At most this many chart buckets per port (2 h at one per second); a longer series gets longer buckets. */
export const MAX_SERIES_BUCKETS = 7200;

/** At most this many grid points: a long capture at a high rate gets a coarser τ0. */
const MAX_GRID_POINTS = 1 << 20;

export function timeErrorReport(given: TimeErrorInput): TimeErrorReport | undefined {
  const input = inTimeOrder(given);
  const tS = input.tS;
  // One array type through the hot loops (MTIE, TDEV, the grid): a number[] and a Float64Array mixed cost 2×.
  const teNs = Float64Array.from(input.teNs);
  const n = teNs.length;
  if (n === 0) return undefined;
  const first = tS[0]!;
  const last = tS[n - 1]!;
  const span = last - first;
  // Seconds from the first sample: no precision lost. Typed arrays are filled by plain loops here:
  // Float64Array.from with a map function walks the iterator protocol and calls the function per element
  // (~0.35 s for the two grid-sized arrays of a 650k-point grid, the bench:analyze PTP repeat; a loop ~2 ms).
  const rel = new Float64Array(tS.length);
  for (let i = 0; i < tS.length; i++) rel[i] = tS[i]! - first;
  const tau0 = Math.max(medianInterval(rel) ?? 1, span / MAX_GRID_POINTS) || 1;
  const grid = toUniformGrid(rel, teNs, tau0);
  const gx = grid.x;
  const teL = lowPass(gx, tau0);
  // Grid-sized arrays are what this report's memory peaks on (2^20 points: 8 MB each; issue 14 asks ≤ 200 MB
  // of RSS at any file size). Beyond the grid and its filtered copy only one more is made: a work buffer that
  // serves MTIE's deques (two Int32Array halves) and TDEV's prefix sums (a Float64Array) in turn, as each
  // overwrites what it reads. The grid's times (i·τ0) and the high-passed dTE_H are computed where read.
  const work = new ArrayBuffer(8 * Math.max(rel.length, gx.length + 1));
  const dteHPpNs = peakToPeakOfDifference(gx, teL);

  const taus = observationIntervals(tau0, span);
  const deques = mtieDeques(Math.max(rel.length, gx.length), work);
  const mtieRows = taus.map((tauS) => ({ tauS, ns: mtie(rel, teNs, tauS, deques) }));
  const tdevRows = tdevRowsOf(gx, tau0, taus, work);
  const lTaus = taus.filter((t) => t <= G8273_2_OBSERVATION_S);
  const gridTimes = { tau0S: tau0 };
  const dteLMtie = lTaus.map((tauS) => ({ tauS, ns: mtie(gridTimes, teL, tauS, deques) }));
  const dteLTdev = tdevRowsOf(teL, tau0, lTaus, work);

  const maxAbsTeNs = maxAbs(teNs);
  const cte = constantTimeError(rel, teNs);
  cte.cteWindowStartS += first;
  const maxAbsTeLNs = maxAbs(teL);
  const verdicts = judge({
    max_abs_te: maxAbsTeNs,
    cte: cte.cteNs,
    max_abs_te_l: maxAbsTeLNs,
    dte_l_mtie: dteLMtie.length ? dteLMtie.reduce((m, r) => Math.max(m, r.ns), 0) : undefined,
    dte_l_tdev: dteLTdev.length ? dteLTdev.reduce((m, r) => Math.max(m, r.ns), 0) : undefined,
  });

  const ivs: TimeErrorReport['intervals'] = {};
  const sync = input.syncArrivalsS && intervalStats(input.syncArrivalsS);
  if (sync) ivs.sync = sync;
  const ann = input.announceArrivalsS && intervalStats(input.announceArrivalsS);
  if (ann) ivs.announce = ann;
  const smp = intervalStats(rel);
  if (smp) ivs.samples = smp;
  const pdv = input.syncDelay && syncPdv(input.syncDelay.tS, input.syncDelay.delayNs);

  return {
    port: input.port,
    domain: input.domain,
    basis: input.basis,
    statement: BASIS_STATEMENT[input.basis],
    samples: n,
    outOfOrder: given.teNs.length - n,
    firstS: first,
    lastS: last,
    tau0S: tau0,
    maxAbsTeNs,
    ...absPercentiles(teNs),
    meanTeNs: mean(teNs),
    cte,
    maxAbsTeLNs,
    dteHPpNs,
    mtie: mtieRows,
    tdev: tdevRows,
    dteLMtie,
    dteLTdev,
    intervals: ivs,
    ...(pdv ? { pdv } : {}),
    windows: slidingWindows(rel, teNs, CTE_WINDOW_S, WINDOW_STEP_S).map((w) => ({ ...w, startS: w.startS + first })),
    verdicts,
    g8273Class: bestClass(verdicts),
    perSecond: perBucket(tS, teNs, input.pathDelayNs, Math.max(1, Math.ceil(span / MAX_SERIES_BUCKETS))),
  };
}

/**
 * The samples whose time does not go back: MTIE windows, the grid and the filter need ascending times, and a
 * sample stamped before its predecessor (a clock stepped back, logs of two boots joined) cannot be placed.
 */
function inTimeOrder(input: TimeErrorInput): TimeErrorInput {
  const { tS, teNs, pathDelayNs } = input;
  let ordered = true;
  for (let i = 1; i < tS.length && ordered; i++) if (tS[i]! < tS[i - 1]!) ordered = false;
  if (ordered) return input;
  const keep: number[] = [];
  let last = -Infinity;
  for (let i = 0; i < tS.length; i++) {
    if (tS[i]! < last) continue;
    last = tS[i]!;
    keep.push(i);
  }
  const pick = (v: ArrayLike<number>) => Float64Array.from(keep, (i) => v[i]!);
  return { ...input, tS: pick(tS), teNs: pick(teNs), ...(pathDelayNs ? { pathDelayNs: pick(pathDelayNs) } : {}) };
}

/**
 * Observation intervals τ in a 1-2-5 sequence from the grid step up to the span (MTIE needs one window,
 * TDEV three: tdevRowsOf drops the longer ones).
 */
export function observationIntervals(tau0S: number, spanS: number): number[] {
  const out: number[] = [];
  if (!(spanS > 0)) return out;
  for (let decade = 1e-3; decade <= spanS; decade *= 10) {
    for (const m of [1, 2, 5]) {
      const tau = Number((m * decade).toPrecision(3));
      if (tau >= tau0S * (1 - 1e-9) && tau <= spanS) out.push(tau);
    }
  }
  return out;
}

function absPercentiles(x: Float64Array): { p50AbsTeNs: number; p99AbsTeNs: number } {
  const a = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) a[i] = Math.abs(x[i]!);
  a.sort();
  return { p50AbsTeNs: quantileOfSorted(a, 0.5), p99AbsTeNs: quantileOfSorted(a, 0.99) };
}

/** Peak-to-peak of a[i] − b[i] (the high-passed TE: the grid less its low-passed copy), without that array. */
function peakToPeakOfDifference(a: Float64Array, b: Float64Array): number {
  let min = Infinity;
  let max = -Infinity;
  // An index loop: for…of walks the typed array's iterator (slow until the JIT optimises it, and this runs once).
  for (let i = 0; i < a.length; i++) {
    const v = a[i]! - b[i]!;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return a.length ? max - min : 0;
}

function tdevRowsOf(x: ArrayLike<number>, tau0S: number, taus: readonly number[], work: ArrayBuffer): TauValue[] {
  const values = tdevMany(
    x,
    taus.map((tauS) => Math.round(tauS / tau0S)),
    new Float64Array(work, 0, x.length + 1),
  );
  const rows: TauValue[] = [];
  taus.forEach((tauS, i) => {
    const v = values[i];
    if (v !== undefined) rows.push({ tauS, ns: v });
  });
  return rows;
}

function perBucket(
  tS: ArrayLike<number>,
  x: ArrayLike<number>,
  delay: ArrayLike<number> | undefined,
  bucketS: number,
): TimeErrorReport['perSecond'] {
  const out: TimeErrorReport['perSecond'] = { bucketS, tS: [], meanNs: [], minNs: [], maxNs: [], pathDelayNs: [] };
  let sec = NaN;
  let sum = 0;
  let k = 0;
  let min = 0;
  let max = 0;
  let dSum = 0;
  let dk = 0;
  const flush = (): void => {
    if (k === 0) return;
    out.tS.push(sec);
    out.meanNs.push(sum / k);
    out.minNs.push(min);
    out.maxNs.push(max);
    out.pathDelayNs.push(dk ? dSum / dk : null);
  };
  for (let i = 0; i < x.length; i++) {
    const s = Math.floor(tS[i]! / bucketS) * bucketS;
    if (s !== sec) {
      flush();
      sec = s;
      sum = k = dSum = dk = 0;
      min = Infinity;
      max = -Infinity;
    }
    const v = x[i]!;
    sum += v;
    k++;
    if (v < min) min = v;
    if (v > max) max = v;
    const d = delay?.[i];
    if (d !== undefined && Number.isFinite(d)) {
      dSum += d;
      dk++;
    }
  }
  flush();
  return out;
}
