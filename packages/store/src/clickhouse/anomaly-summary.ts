import type { AnomalyQuery, AnomalySummary } from '../types.js';
import type { ClickHouseExecutor } from './executor.js';
import { fromChDateTime } from './time.js';
import { buildAnomalyWhere } from './anomaly-where.js';

/** Round bucket sizes (ms): a capture of seconds and a month of logs both get a readable trend. */
const BUCKETS_MS = [
  1, 10, 100, 1_000, 10_000, 60_000, 300_000, 900_000, 3_600_000, 21_600_000, 86_400_000, 604_800_000,
];
const TARGET_BUCKETS = 120;
const HOUR_MS = 3_600_000;

export function chooseBucketMs(spanMs: number): number {
  return BUCKETS_MS.find((b) => spanMs / b <= TARGET_BUCKETS) ?? BUCKETS_MS[BUCKETS_MS.length - 1]!;
}

type Counted = { k: string; n: string | number };
const tally = (rows: Counted[]) => Object.fromEntries(rows.map((r) => [r.k, Number(r.n)]));

/** Aggregates over `<db>.anomalies` (no FINAL: see ClickHouseAnomalyStore) with the same bound WHERE as `queryAnomalies`. */
export async function summarizeAnomalies(
  exec: ClickHouseExecutor,
  database: string,
  q: AnomalyQuery,
  opts: { bucketMs?: number; topTypes?: number; topFiles?: number } = {},
  signal?: AbortSignal,
): Promise<AnomalySummary> {
  const empty: AnomalySummary = {
    total: 0,
    bySeverity: {},
    bySource: {},
    byType: [],
    byFile: [],
    trend: [],
    bucketMs: opts.bucketMs ?? 1_000,
  };
  const where = buildAnomalyWhere(q);
  if (!where) return empty;
  const { clause, params } = where;
  const from = `${database}.anomalies`;
  const [range, bySeverity, bySource, byType, byFile] = await Promise.all([
    exec.query<{ total: string | number; first: string; last: string }>(
      `SELECT count() AS total, min(timestamp) AS first, max(timestamp) AS last FROM ${from} ${clause}`,
      params,
      signal,
    ),
    exec.query<Counted>(
      `SELECT toString(severity) AS k, count() AS n FROM ${from} ${clause} GROUP BY k`,
      params,
      signal,
    ),
    exec.query<Counted>(`SELECT toString(source) AS k, count() AS n FROM ${from} ${clause} GROUP BY k`, params, signal),
    exec.query<Counted & { worst: string }>(
      // Per (type, severity) first: answered by the p_counts projection (migration 0002).
      `SELECT type AS k, sum(c) AS n, toString(max(severity)) AS worst
       FROM (SELECT type, severity, count() AS c FROM ${from} ${clause} GROUP BY type, severity)
       GROUP BY k ORDER BY n DESC, k LIMIT {top_types:UInt32}`,
      { ...params, top_types: Math.max(1, Math.min(1000, opts.topTypes ?? 20)) },
      signal,
    ),
    exec.query<Counted & { file: string }>(
      `SELECT file_id AS k, any(file) AS file, count() AS n FROM ${from} ${clause}
       GROUP BY k ORDER BY n DESC, k LIMIT {top_files:UInt32}`,
      { ...params, top_files: Math.max(1, Math.min(1000, opts.topFiles ?? 20)) },
      signal,
    ),
  ]);
  const total = Number(range[0]?.total ?? 0);
  if (total === 0) return empty;
  const first = fromChDateTime(range[0]!.first);
  const last = fromChDateTime(range[0]!.last);
  const bucketMs = Math.max(1, Math.trunc(opts.bucketMs ?? chooseBucketMs(Date.parse(last) - Date.parse(first))));
  // Buckets of whole hours are computed from the hour (the same epoch-aligned bucket), which lets the p_counts
  // projection answer; finer buckets read the rows.
  const bucketExpr =
    bucketMs % HOUR_MS === 0
      ? `toDateTime64(intDiv(toUnixTimestamp(toStartOfHour(timestamp)), {bucket_s:UInt64}) * {bucket_s:UInt64}, 9, 'UTC')`
      : `toDateTime64(toStartOfInterval(timestamp, toIntervalMillisecond({bucket_ms:UInt64})), 9, 'UTC')`;
  const trendRows = await exec.query<{ bucket: string; k: string; n: string | number }>(
    `SELECT ${bucketExpr} AS bucket, toString(severity) AS k, count() AS n
     FROM ${from} ${clause} GROUP BY bucket, k ORDER BY bucket, k`,
    { ...params, bucket_ms: bucketMs, bucket_s: Math.trunc(bucketMs / 1000) },
    signal,
  );
  const trend: AnomalySummary['trend'] = [];
  for (const r of trendRows) {
    const bucket = fromChDateTime(r.bucket);
    let point = trend[trend.length - 1];
    if (!point || point.bucket !== bucket) trend.push((point = { bucket, total: 0, bySeverity: {} }));
    point.bySeverity[r.k] = Number(r.n);
    point.total += Number(r.n);
  }
  return {
    total,
    first,
    last,
    bySeverity: tally(bySeverity),
    bySource: tally(bySource),
    byType: byType.map((r) => ({ type: r.k, count: Number(r.n), worstSeverity: r.worst })),
    byFile: byFile.map((r) => ({ fileId: r.k, file: r.file, count: Number(r.n) })),
    trend,
    bucketMs,
  };
}
