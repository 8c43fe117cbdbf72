/**
 * ClickHouse migration 0001: anomalies, metrics, sessions. `__DB__` is replaced by the validated database
 * identifier (identifiers cannot be bound parameters). Every statement is idempotent (IF NOT EXISTS).
 */
export const VERSION = 1;
export const NAME = 'initial';

export const STATEMENTS: readonly string[] = [
  /*
   * Anomalies. ORDER BY (session_id, file_id, type, severity, timestamp, id):
   * - the API and the CLI read anomalies of one session or one file first (`file_id` is unique to one session,
   *   so the pair prunes granules for both filters, and `replaceFileResults` deletes by file);
   * - then filter by type and severity (low-cardinality columns: cheap key columns that keep ranges tight);
   * - then a time range inside that, and `id` last so that ReplacingMergeTree collapses only true duplicates
   *   of one finding (same id), keeping the newest `version`.
   * Monthly partitions bound merges and let old months be dropped whole. Point look-ups by id (no prefix)
   * use the bloom filter skip index; the dashboard's time-only queries prune by partition and min/max.
   */
  `CREATE TABLE IF NOT EXISTS __DB__.anomalies
  (
    id UUID,
    type LowCardinality(String),
    source Enum8('fronthaul' = 1, 'timing' = 2, 'ue' = 3),
    severity Enum8('info' = 1, 'minor' = 2, 'major' = 3, 'critical' = 4),
    confidence Float32,
    timestamp DateTime64(9, 'UTC'),
    end_timestamp Nullable(DateTime64(9, 'UTC')),
    file String,
    file_id String,
    session_id String,
    packet_index UInt64,
    packet_count UInt32,
    eaxc Nullable(UInt16),
    du_port Nullable(UInt16),
    band_sector Nullable(UInt16),
    cc Nullable(UInt16),
    ru_port Nullable(UInt16),
    plane LowCardinality(Nullable(String)),
    direction LowCardinality(Nullable(String)),
    src_mac Nullable(String),
    dst_mac Nullable(String),
    vlan Nullable(UInt16),
    ptp_port Nullable(String),
    frame_id Nullable(UInt8),
    subframe_id Nullable(UInt8),
    slot_id Nullable(UInt8),
    symbol_id Nullable(UInt8),
    cell Nullable(String),
    pci Nullable(UInt16),
    earfcn Nullable(UInt32),
    arfcn Nullable(UInt32),
    rnti Nullable(UInt32),
    description String,
    evidence String,
    packet_context Nullable(String),
    version UInt64,
    INDEX idx_id id TYPE bloom_filter(0.01) GRANULARITY 4,
    INDEX idx_eaxc eaxc TYPE set(256) GRANULARITY 4
  )
  ENGINE = ReplacingMergeTree(version)
  PARTITION BY toYYYYMM(timestamp)
  ORDER BY (session_id, file_id, type, severity, timestamp, id)`,
  // KPI time series: read per session/file and metric name over time.
  `CREATE TABLE IF NOT EXISTS __DB__.metrics
  (
    timestamp DateTime64(9, 'UTC'),
    session_id String,
    file_id String,
    source Enum8('fronthaul' = 1, 'timing' = 2, 'ue' = 3),
    name LowCardinality(String),
    labels Map(String, String),
    value Float64
  )
  ENGINE = MergeTree
  PARTITION BY toYYYYMM(timestamp)
  ORDER BY (session_id, file_id, name, timestamp)`,
  // Sessions are updated while they run: the newest updated_at wins, read with FINAL.
  `CREATE TABLE IF NOT EXISTS __DB__.sessions
  (
    id String,
    name String,
    status LowCardinality(String),
    files_processed UInt32,
    files_failed UInt32,
    anomalies_detected UInt64,
    started_at DateTime64(9, 'UTC'),
    finished_at Nullable(DateTime64(9, 'UTC')),
    duration_ms Nullable(Float64),
    updated_at DateTime64(9, 'UTC')
  )
  ENGINE = ReplacingMergeTree(updated_at)
  ORDER BY id`,
];
