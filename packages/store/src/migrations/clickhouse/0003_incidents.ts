/**
 * ClickHouse migration 0003: `incidents`, related findings of one file grouped by the rule of
 * reference/anomalies.md §Incidents (packages/detect/src/incidents). A handful of rows per file, written once
 * at the end of its analysis (a re-analysis deletes the file's rows first) and read by file or session.
 */
export const VERSION = 3;
export const NAME = 'incidents';

export const STATEMENTS: readonly string[] = [
  `CREATE TABLE IF NOT EXISTS __DB__.incidents
  (
    id UUID,
    file_id String,
    session_id String,
    file String,
    scope String,
    title String,
    severity Enum8('info' = 1, 'minor' = 2, 'major' = 3, 'critical' = 4),
    hypothesis String,
    start_time DateTime64(9, 'UTC'),
    end_time DateTime64(9, 'UTC'),
    finding_ids Array(String),
    types Map(String, UInt32)
  )
  ENGINE = MergeTree
  ORDER BY (file_id, start_time, id)`,
];
