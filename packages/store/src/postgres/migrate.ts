import { POSTGRES_MIGRATIONS, type PostgresMigration } from '../migrations/postgres/index.js';
import type { PgConnection } from './pg-connection.js';

/**
 * Applies pending PostgreSQL migrations in order, each in its own transaction together with its
 * `schema_migrations` row, under the migration lock. Returns the versions applied by this call.
 */
export async function migratePostgres(
  conn: PgConnection,
  migrations: readonly PostgresMigration[] = POSTGRES_MIGRATIONS,
): Promise<number[]> {
  return conn.withMigrationLock(async (runner) => {
    await runner.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await runner.query<{ version: number }>('SELECT version FROM schema_migrations')).map((r) => Number(r.version)),
    );
    const applied: number[] = [];
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (done.has(m.version)) continue;
      await runner.exec('BEGIN');
      try {
        await runner.exec(m.sql);
        await runner.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [m.version, m.name]);
        await runner.exec('COMMIT');
      } catch (e) {
        await runner.exec('ROLLBACK');
        throw e;
      }
      applied.push(m.version);
    }
    return applied;
  });
}
