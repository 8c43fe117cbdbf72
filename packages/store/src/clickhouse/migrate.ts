import { CLICKHOUSE_MIGRATIONS, type ClickHouseMigration } from '../migrations/clickhouse/index.js';
import { assertIdentifier, type ClickHouseExecutor } from './executor.js';

/**
 * Applies pending ClickHouse migrations in order and records each in `schema_migrations`. Statements are
 * idempotent, so two processes migrating at once converge; the ReplacingMergeTree keeps one row per version.
 * Returns the versions applied by this call (empty when up to date).
 */
export async function migrateClickHouse(
  exec: ClickHouseExecutor,
  database: string,
  migrations: readonly ClickHouseMigration[] = CLICKHOUSE_MIGRATIONS,
): Promise<number[]> {
  const db = assertIdentifier(database);
  await exec.command(`CREATE DATABASE IF NOT EXISTS ${db}`);
  await exec.command(
    `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations (version UInt32, name String, applied_at DateTime64(3, 'UTC'))
     ENGINE = ReplacingMergeTree ORDER BY version`,
  );
  const done = new Set(
    (await exec.query<{ version: number | string }>(`SELECT version FROM ${db}.schema_migrations FINAL`)).map((r) =>
      Number(r.version),
    ),
  );
  const applied: number[] = [];
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(m.version)) continue;
    for (const statement of m.statements) await exec.command(statement.replaceAll('__DB__', db));
    await exec.insert(`${db}.schema_migrations`, [
      { version: m.version, name: m.name, applied_at: new Date().toISOString().replace('T', ' ').replace('Z', '') },
    ]);
    applied.push(m.version);
  }
  return applied;
}
