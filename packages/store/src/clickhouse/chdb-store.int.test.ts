import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLICKHOUSE_MIGRATIONS } from '../migrations/clickhouse/index.js';
import { migrateClickHouse } from './migrate.js';
import { anomalyStoreSuite } from '../test-support/anomaly-store-suite.js';
import { ChdbExecutor } from './chdb-executor.js';
import { ClickHouseAnomalyStore } from './clickhouse-anomaly-store.js';

// chDB binds one data directory per process: this file owns the process (vitest pool: forks).
const dir = mkdtempSync(join(tmpdir(), 'l1t-chdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

anomalyStoreSuite('chDB (embedded)', {
  open: async (database) => new ClickHouseAnomalyStore(new ChdbExecutor(join(dir, 'clickhouse')), database),
});

describe('ClickHouse migrations', () => {
  it('apply only the new numbered migrations, in order, and record them', async () => {
    const exec = new ChdbExecutor(join(dir, 'clickhouse'));
    const db = 'l1t_migrations_test';
    try {
      expect(await migrateClickHouse(exec, db)).toEqual(CLICKHOUSE_MIGRATIONS.map((m) => m.version));
      const next = [
        ...CLICKHOUSE_MIGRATIONS,
        { version: 1003, name: 'three', statements: ['ALTER TABLE __DB__.extra ADD COLUMN IF NOT EXISTS b UInt8'] },
        {
          version: 1002,
          name: 'two',
          statements: ['CREATE TABLE IF NOT EXISTS __DB__.extra (a UInt8) ENGINE = MergeTree ORDER BY a'],
        },
      ];
      expect(await migrateClickHouse(exec, db, next)).toEqual([1002, 1003]);
      expect(await migrateClickHouse(exec, db, next)).toEqual([]);
      const recorded = await exec.query<{ version: number; name: string }>(
        `SELECT version, name FROM ${db}.schema_migrations FINAL ORDER BY version`,
      );
      expect(recorded.map((r) => [Number(r.version), r.name])).toEqual([
        ...CLICKHOUSE_MIGRATIONS.map((m) => [m.version, m.name]),
        [1002, 'two'],
        [1003, 'three'],
      ]);
      await expect(migrateClickHouse(exec, 'bad-name; DROP')).rejects.toThrow(/identifier/);
    } finally {
      await exec.command(`DROP DATABASE IF EXISTS ${db}`);
    }
  });
});
