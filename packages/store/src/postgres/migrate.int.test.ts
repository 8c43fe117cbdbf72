import { describe, expect, it } from 'vitest';
import { POSTGRES_MIGRATIONS } from '../migrations/postgres/index.js';
import { migratePostgres } from './migrate.js';
import { openPglite } from './pg-connection.js';

// PGlite initialises its cluster (WebAssembly initdb) here: slow on a loaded machine.
describe('PostgreSQL migrations', { timeout: 120_000 }, () => {
  it('apply only the new numbered migrations, in order; a failing one rolls back entirely and is not recorded', async () => {
    const conn = await openPglite(); // in memory
    try {
      const shipped = POSTGRES_MIGRATIONS.map((m) => m.version);
      expect(await migratePostgres(conn)).toEqual(shipped);
      const last = shipped.at(-1)!;
      const next = [
        ...POSTGRES_MIGRATIONS,
        { version: last + 2, name: 'three', sql: 'ALTER TABLE extra ADD COLUMN b int;' },
        { version: last + 1, name: 'two', sql: 'CREATE TABLE extra (a int);' },
      ];
      expect(await migratePostgres(conn, next)).toEqual([last + 1, last + 2]);
      expect(await migratePostgres(conn, next)).toEqual([]);
      const broken = [
        ...next,
        { version: last + 3, name: 'broken', sql: 'CREATE TABLE half (a int); SELECT no_such_function();' },
      ];
      await expect(migratePostgres(conn, broken)).rejects.toThrow(/no_such_function/);
      await conn.withMigrationLock(async (r) => {
        expect(await r.query("SELECT to_regclass('half') AS t")).toEqual([{ t: null }]);
        expect(
          (await r.query<{ version: number }>('SELECT version FROM schema_migrations ORDER BY version')).map(
            (x) => x.version,
          ),
        ).toEqual([...shipped, last + 1, last + 2]);
      });
    } finally {
      await conn.close();
    }
  });
});
