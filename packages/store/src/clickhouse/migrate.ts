import { CLICKHOUSE_MIGRATIONS, type ClickHouseMigration } from '../migrations/clickhouse/index.js';
import { clusterStatements, schemaMigrationsDdl } from './cluster-ddl.js';
import { assertIdentifier, type ClickHouseExecutor } from './executor.js';

/**
 * Applies pending ClickHouse migrations in order and records each in `schema_migrations`. Statements are
 * idempotent, so two processes migrating at once converge; the ReplacingMergeTree keeps one row per version.
 * Returns the versions applied by this call (empty when up to date). With `cluster` (CLICKHOUSE_CLUSTER) every
 * statement runs ON CLUSTER as replicated + Distributed tables (cluster-ddl.ts).
 */
export async function migrateClickHouse(
  exec: ClickHouseExecutor,
  database: string,
  migrations: readonly ClickHouseMigration[] = CLICKHOUSE_MIGRATIONS,
  cluster?: string,
): Promise<number[]> {
  const db = assertIdentifier(database);
  const forCluster = (sql: string): string[] => (cluster ? clusterStatements(sql, cluster) : [sql]);
  for (const s of forCluster(`CREATE DATABASE IF NOT EXISTS ${db}`)) await exec.command(s);
  await exec.command(schemaMigrationsDdl(db, cluster));
  const done = new Set(
    (await exec.query<{ version: number | string }>(`SELECT version FROM ${db}.schema_migrations FINAL`)).map((r) =>
      Number(r.version),
    ),
  );
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements)
      for (const s of forCluster(statement.replaceAll('__DB__', db))) await exec.command(s);
    await exec.insert(`${db}.schema_migrations`, [
      { version: m.version, name: m.name, applied_at: new Date().toISOString().replace('T', ' ').replace('Z', '') },
    ]);
    applied.push(m.version);
  }
  return applied;
}
