import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLICKHOUSE_MIGRATIONS } from '../migrations/clickhouse/index.js';
import { migrateClickHouse } from './migrate.js';
import { anomalyStoreSuite } from '../test-support/anomaly-store-suite.js';
import { ChdbExecutor } from './chdb-executor.js';
import { ClickHouseAnomalyStore, DEEP_PAGE_OFFSET } from './clickhouse-anomaly-store.js';
import { fullAnomaly } from '../test-support/anomaly-fixtures.js';

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

describe('ClickHouse anomalies without FINAL', () => {
  it('a repeated write of ids replaces them, across files and batches, and the projections answer the dashboard', async () => {
    const store = new ClickHouseAnomalyStore(new ChdbExecutor(join(dir, 'clickhouse')), 'l1t_nofinal_test');
    try {
      await store.migrate();
      const a = fullAnomaly({ file_id: 'fa', severity: 'minor' });
      const b = fullAnomaly({ file_id: 'fb' });
      const c = fullAnomaly({ file_id: 'fb' });
      await store.insertAnomalies([a, b, c]);
      await store.insertAnomalies([
        { ...a, severity: 'critical' },
        { ...b, description: 'again' },
        fullAnomaly({ file_id: 'fa' }),
      ]);
      const all = await store.queryAnomalies({ limit: 100 });
      expect(all.total).toBe(4);
      expect(all.items.find((x) => x.id === a.id)?.severity).toBe('critical');
      expect(all.items.find((x) => x.id === b.id)?.description).toBe('again');
      expect(await store.countByFile(['fa', 'fb'])).toEqual({ fa: 2, fb: 2 });
      const summary = await store.summarizeAnomalies({});
      expect(summary.total).toBe(4);
      expect(summary.bySeverity.critical).toBe(1);
      const plan = await store.executor.query<{ explain: string }>(
        `EXPLAIN projections = 1 SELECT toString(severity) AS k, count() FROM l1t_nofinal_test.anomalies GROUP BY k`,
      );
      expect(plan.map((r) => r.explain).join('\n')).toMatch(/p_counts|p_flows/);
    } finally {
      await store.executor.command('DROP DATABASE IF EXISTS l1t_nofinal_test');
    }
  });
});

describe('deep pages in time order', () => {
  it('narrowed to the hours that hold them, answer exactly what the full sort answers', async () => {
    const store = new ClickHouseAnomalyStore(new ChdbExecutor(join(dir, 'clickhouse')), 'l1t_deep_test');
    try {
      await store.migrate();
      const base = Date.parse('2026-11-20T00:00:00Z');
      // 7000 anomalies over ~12 hours, several per timestamp (ties are broken by id).
      const rows = Array.from({ length: 7000 }, (_, i) =>
        fullAnomaly({
          file_id: `deep-${i % 3}`,
          timestamp: new Date(base + Math.floor(i / 3) * 18_000).toISOString().replace('Z', '000000Z'),
        }),
      );
      await store.insertAnomalies(rows);
      for (const order of ['asc', 'desc'] as const)
        for (const offset of [DEEP_PAGE_OFFSET, 6_000, 6_950, 7_000, 9_000]) {
          const fast = await store.queryAnomalies({ order, offset, limit: 100 });
          // A time range disables the narrowing without changing the answer.
          const full = await store.queryAnomalies({ order, offset, limit: 100, from: '1970-01-01T00:00:00Z' });
          expect(fast.total).toBe(7000);
          expect(fast.items.map((a) => a.id)).toEqual(full.items.map((a) => a.id));
          expect(fast.items).toHaveLength(Math.max(0, Math.min(100, 7000 - offset)));
        }
      const filtered = await store.queryAnomalies({
        fileId: 'deep-1',
        order: 'desc',
        offset: DEEP_PAGE_OFFSET - 3000,
        limit: 10,
      });
      expect(filtered.total).toBe(2333);
    } finally {
      await store.executor.command('DROP DATABASE IF EXISTS l1t_deep_test');
    }
  });
});
