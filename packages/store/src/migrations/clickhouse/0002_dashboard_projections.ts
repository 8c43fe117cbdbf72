/**
 * ClickHouse migration 0002: what keeps the API fast at 10 M anomalies and more (bench/api.ts).
 *
 * - Two aggregate projections of `anomalies`, kept by ClickHouse with every part (insert, merge, DELETE), so
 *   the dashboard's unfiltered or session/file/type/severity/source-filtered aggregates read thousands of
 *   pre-aggregated rows instead of millions. The optimizer picks them by itself (and the smaller one when
 *   both fit); a query they cannot answer (a `timestamp` range, a text search) reads the table as before,
 *   so no answer ever depends on them being there.
 *   - `p_counts`: per session, file, type, severity, source and hour: count, first, last, file name — the
 *     cards' totals, the breakdowns, the trend (hourly and coarser buckets) and the hour × type heatmap;
 *   - `p_flows`: per session, file, type, severity, source and flow (eAxC, plane, direction): count, first,
 *     last — the top flows and the recurring issues.
 * - The projections survive the table's own row removals: `deduplicate_merge_projection_mode` and
 *   `lightweight_mutation_projection_mode` = 'rebuild' (a ReplacingMergeTree refuses projections otherwise,
 *   and `replaceFileResults`' lightweight DELETE would).
 * - A minmax skip index on `timestamp`: a file's anomalies sit together in the sort key and span its capture
 *   time, so a time range skips most granules of every partition it touches.
 *
 * Existing data gets the projections and the index by MATERIALIZE (background mutations).
 */
export const VERSION = 2;
export const NAME = 'dashboard_projections';

export const STATEMENTS: readonly string[] = [
  `ALTER TABLE __DB__.anomalies MODIFY SETTING deduplicate_merge_projection_mode = 'rebuild', lightweight_mutation_projection_mode = 'rebuild'`,
  `ALTER TABLE __DB__.anomalies ADD PROJECTION IF NOT EXISTS p_counts
  (
    SELECT session_id, file_id, type, severity, source, toStartOfHour(timestamp),
           count(), min(timestamp), max(timestamp), any(file)
    GROUP BY session_id, file_id, type, severity, source, toStartOfHour(timestamp)
  )`,
  `ALTER TABLE __DB__.anomalies ADD PROJECTION IF NOT EXISTS p_flows
  (
    SELECT session_id, file_id, type, severity, source, eaxc, plane, direction,
           count(), min(timestamp), max(timestamp)
    GROUP BY session_id, file_id, type, severity, source, eaxc, plane, direction
  )`,
  `ALTER TABLE __DB__.anomalies ADD INDEX IF NOT EXISTS idx_timestamp timestamp TYPE minmax GRANULARITY 1`,
  `ALTER TABLE __DB__.anomalies MATERIALIZE PROJECTION p_counts`,
  `ALTER TABLE __DB__.anomalies MATERIALIZE PROJECTION p_flows`,
  `ALTER TABLE __DB__.anomalies MATERIALIZE INDEX idx_timestamp`,
];
