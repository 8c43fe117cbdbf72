/**
 * Scoring of `npm run bench:detect`: anomalies against the ground-truth labels of `l1t synth`.
 *
 * A label of type T is **found** when an anomaly of type T has the label's packet_index, or its time span
 * [timestamp, end_timestamp] reaches within {@link MATCH_TOLERANCE_NS} (2 ms, a few slots) of the label's
 * timestamp. An anomaly of type T is a **true positive** when it finds a label of type T in its capture;
 * it is **explained** (neither true nor false positive) when a label of the capture lists T in `also`
 * (consequences a correct detector may report as well, synth-events.ts) within
 * {@link ALSO_TOLERANCE_NS} (50 ms); otherwise it is a **false positive**. `window_stat_outlier` is scored
 * apart (it is not injected: statistics windows are judged by {@link countOutliers}).
 *
 * With several O-RUs behind the capture point reusing eAxC ids (`requireLink`), a fronthaul label (one
 * whose flow has an `eaxc`) is found only by an anomaly that names the same radio: every one of the
 * label's `src_mac`, `dst_mac` and `vlan` keys must be present in the anomaly's flow with the same value.
 */
export const MATCH_TOLERANCE_NS = 2_000_000n;
export const ALSO_TOLERANCE_NS = 50_000_000n;
export const OUTLIER_TYPE = 'window_stat_outlier';

export type FlowLike = Readonly<Record<string, string | number | undefined>>;

export interface LabelLike {
  type: string;
  packet_index: number;
  timestamp: string;
  also?: readonly string[];
  flow?: FlowLike;
}

export interface AnomalyLike {
  type: string;
  packet_index: number;
  timestamp: string;
  end_timestamp?: string;
  flow?: FlowLike;
}

export interface ScoreOptions {
  /** Several O-RUs share eAxC ids: a fronthaul anomaly must name the label's link (MACs, VLAN). */
  requireLink?: boolean;
}

const LINK_KEYS = ['src_mac', 'dst_mac', 'vlan'] as const;

/** The anomaly names the label's radio (only judged for fronthaul labels, those with an eAxC). */
export function sameLink(a: AnomalyLike, label: LabelLike): boolean {
  const lf = label.flow;
  if (!lf || lf.eaxc === undefined) return true;
  return LINK_KEYS.every((k) => lf[k] === undefined || a.flow?.[k] === lf[k]);
}

export interface TypeScore {
  labels: number;
  found: number;
  anomalies: number;
  truePositives: number;
  falsePositives: number;
  explained: number;
}

/** ISO-8601 UTC with up to 9 fractional digits → ns since the epoch. */
export function isoToNs(iso: string): bigint {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(iso);
  if (!m) throw new RangeError(`bad timestamp ${iso}`);
  return BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0') || '0');
}

function near(a: AnomalyLike, label: LabelLike, tolerance: bigint): boolean {
  if (a.packet_index === label.packet_index) return true;
  const t = isoToNs(label.timestamp);
  const start = isoToNs(a.timestamp);
  const end = a.end_timestamp ? isoToNs(a.end_timestamp) : start;
  return t >= start - tolerance && t <= end + tolerance;
}

export function emptyScore(): TypeScore {
  return { labels: 0, found: 0, anomalies: 0, truePositives: 0, falsePositives: 0, explained: 0 };
}

/** Adds one capture's labels and anomalies to the per-type scores (window_stat_outlier left out). */
export function scoreCapture(
  labels: readonly LabelLike[],
  anomalies: readonly AnomalyLike[],
  into: Map<string, TypeScore>,
  options: ScoreOptions = {},
): void {
  const link = options.requireLink === true;
  const hit = (a: AnomalyLike, l: LabelLike, tol: bigint): boolean => near(a, l, tol) && (!link || sameLink(a, l));
  const get = (t: string): TypeScore => {
    let s = into.get(t);
    if (!s) {
      s = emptyScore();
      into.set(t, s);
    }
    return s;
  };
  for (const l of labels) {
    const s = get(l.type);
    s.labels++;
    if (anomalies.some((a) => a.type === l.type && hit(a, l, MATCH_TOLERANCE_NS))) s.found++;
  }
  for (const a of anomalies) {
    if (a.type === OUTLIER_TYPE) continue;
    const s = get(a.type);
    s.anomalies++;
    if (labels.some((l) => l.type === a.type && hit(a, l, MATCH_TOLERANCE_NS))) s.truePositives++;
    else if (labels.some((l) => l.also?.includes(a.type) && hit(a, l, ALSO_TOLERANCE_NS))) s.explained++;
    else s.falsePositives++;
  }
}

/** Recall and precision (null when there is nothing to divide by). */
export function rates(s: TypeScore): { recall: number | null; precision: number | null } {
  const judged = s.truePositives + s.falsePositives;
  return {
    recall: s.labels > 0 ? s.found / s.labels : null,
    precision: judged > 0 ? s.truePositives / judged : null,
  };
}

/** window_stat_outlier anomalies of a capture. */
export function countOutliers(anomalies: readonly AnomalyLike[]): number {
  return anomalies.filter((a) => a.type === OUTLIER_TYPE).length;
}
