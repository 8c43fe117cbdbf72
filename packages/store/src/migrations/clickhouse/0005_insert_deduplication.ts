/**
 * ClickHouse migration 0005: inserts carrying an `insert_deduplication_token` are stored once. The job runner
 * gives every batch of a file's rows a token (its run and sequence number); a batch sent again — its first
 * answer was lost when the server went away, or it is replayed from the spool under L1T_DATA_DIR after the
 * server came back — is then dropped by the server instead of stored twice. Replicated tables deduplicate by
 * default; a plain MergeTree needs `non_replicated_deduplication_window` (the tokens of its last N inserts,
 * kept in the table's metadata). 1000 covers far more than the batches of one replay (the spool records each
 * batch it flushed, so a replay resends at most the one in flight when it was interrupted).
 * See ClickHouse docs, settings `insert_deduplication_token` and `non_replicated_deduplication_window`.
 */
export const VERSION = 5;
export const NAME = 'insert_deduplication';

export const STATEMENTS: readonly string[] = [
  `ALTER TABLE __DB__.anomalies MODIFY SETTING non_replicated_deduplication_window = 1000`,
  `ALTER TABLE __DB__.metrics MODIFY SETTING non_replicated_deduplication_window = 1000`,
];
