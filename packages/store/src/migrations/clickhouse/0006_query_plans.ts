/**
 * ClickHouse migration 0006: the anomalies list's and the dashboard's plans at 10 M anomalies without any result
 * cache (issue 16, bench/api.ts with L1T_BENCH_QUERY_CACHE=off; what a ClickHouse server always sees).
 *
 * - `idx_file_id`, a bloom filter on `file_id` per granule: `file_id` is the second column of the sorting key,
 *   so a filter on a file without its session cannot narrow the primary key (ClickHouse's generic exclusion
 *   search read ~24 % of the table for one file). A file's rows lie together under its session, so the filter
 *   keeps the granules that hold them (a 1 % false-positive rate adds a few). Every `file_id` filter of the
 *   store uses it: the list and dashboard of one file, countByFile, a re-analysis' count and DELETE.
 * - `idx_text`, an n-gram bloom filter (n = 3, 8 KiB per granule) on `lower(concat(type, '\0', description))`:
 *   the search box's condition (anomaly-where.ts) is written as a LIKE over that very expression, which
 *   ClickHouse checks against this index to skip the granules that lack the needle's trigrams; without it a
 *   search read every description of the table. Needles of fewer than 3 characters cannot use it (correct,
 *   not faster).
 * - `p_versions`, an aggregate projection per session, file, type, severity, source and `version` (the insert
 *   time in µs, one value per write): the dashboard's anomalies card compares with the total as it stood a week
 *   earlier, `count() … WHERE version <= t`, which read every row's `version`; per-write counts answer it.
 *
 * Existing data gets them by MATERIALIZE (background mutations), as in 0002.
 */
export const VERSION = 6;
export const NAME = 'query_plans';

export const STATEMENTS: readonly string[] = [
  `ALTER TABLE __DB__.anomalies ADD INDEX IF NOT EXISTS idx_file_id file_id TYPE bloom_filter(0.01) GRANULARITY 1`,
  `ALTER TABLE __DB__.anomalies ADD INDEX IF NOT EXISTS idx_text lower(concat(type, '\\0', description))
  TYPE ngrambf_v1(3, 8192, 2, 0) GRANULARITY 1`,
  `ALTER TABLE __DB__.anomalies ADD PROJECTION IF NOT EXISTS p_versions
  (
    SELECT session_id, file_id, type, severity, source, version, count()
    GROUP BY session_id, file_id, type, severity, source, version
  )`,
  `ALTER TABLE __DB__.anomalies MATERIALIZE INDEX idx_file_id`,
  `ALTER TABLE __DB__.anomalies MATERIALIZE INDEX idx_text`,
  `ALTER TABLE __DB__.anomalies MATERIALIZE PROJECTION p_versions`,
];
