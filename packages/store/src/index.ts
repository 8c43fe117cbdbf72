export * from './types.js';
export { StoreUnavailableError, describeCause, isConnectionFailure } from './errors.js';
export { openStores, type OpenStoresOptions, type ReadyReport, type Stores } from './open-stores.js';
export { ClickHouseAnomalyStore, DEFAULT_LIMIT, MAX_LIMIT } from './clickhouse/clickhouse-anomaly-store.js';
export { buildAnomalyWhere } from './clickhouse/anomaly-where.js';
export { summarizeAnomalies, chooseBucketMs } from './clickhouse/anomaly-summary.js';
export { ChdbExecutor } from './clickhouse/chdb-executor.js';
export { HttpExecutor, type HttpExecutorOptions } from './clickhouse/http-executor.js';
export {
  assertIdentifier,
  type ClickHouseExecutor,
  type InsertOptions,
  type QueryParams,
} from './clickhouse/executor.js';
export { migrateClickHouse } from './clickhouse/migrate.js';
export { toChDateTime, fromChDateTime } from './clickhouse/time.js';
export { CLICKHOUSE_MIGRATIONS, type ClickHouseMigration } from './migrations/clickhouse/index.js';
export { POSTGRES_MIGRATIONS, type PostgresMigration } from './migrations/postgres/index.js';
export { DrizzleMetadataStore, type MetadataStoreOptions } from './postgres/drizzle-metadata-store.js';
export {
  openPglite,
  openPgServer,
  MIGRATION_LOCK_KEY,
  type MetadataDb,
  type PgConnection,
  type ScriptRunner,
  type SqlQueryClient,
} from './postgres/pg-connection.js';
export { migratePostgres } from './postgres/migrate.js';
export { gzipJoin, gzipView, isGzip, viewText, VIEW_GZIP_LEVEL } from './postgres/view-gzip.js';
export * as pgSchema from './postgres/schema.js';
export { FilesRepo } from './postgres/repos/files-repo.js';
export { JobQueue } from './postgres/repos/job-queue.js';
export { ReviewRepo } from './postgres/repos/review-repo.js';
export { AccountsRepo } from './postgres/repos/accounts-repo.js';
export { AdviceRepo } from './postgres/repos/advice-repo.js';
export { DocumentsRepo } from './postgres/repos/documents-repo.js';
