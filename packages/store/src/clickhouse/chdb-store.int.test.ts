import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLICKHOUSE_MIGRATIONS } from '../migrations/clickhouse/index.js';
import { migrateClickHouse } from './migrate.js';
import { anomalyStoreSuite } from '../test-support/anomaly-store-suite.js';
import { ChdbExecutor } from './chdb-executor.js';
import { ClickHouseAnomalyStore } from './clickhouse-anomaly-store.js';
import { fullAnomaly } from '../test-support/anomaly-fixtures.js';
import { buildAnomalyWhere } from './anomaly-where.js';

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

describe('pages read in their (sort key, hour) buckets or past a per-file time edge', () => {
  it('answer exactly what a full sort answers, first and deep pages, by time, severity and type', async () => {
    const db = 'l1t_deep_test';
    const store = new ClickHouseAnomalyStore(new ChdbExecutor(join(dir, 'clickhouse')), db);
    /** The page as a plain full sort of the table answers it (the reference, narrowed by nothing). */
    const fullSort = async (q: Parameters<typeof buildAnomalyWhere>[0], sort: string, order: 'ASC' | 'DESC') => {
      const { clause, params } = buildAnomalyWhere(q)!;
      const [count] = await store.executor.query<{ n: string }>(
        `SELECT count() AS n FROM ${db}.anomalies ${clause}`,
        params,
      );
      // Aliased apart from `id`, so that the ORDER BY sorts the UUIDs as the store does, not their text.
      const rows = await store.executor.query<{ sid: string }>(
        `SELECT toString(id) AS sid FROM ${db}.anomalies ${clause}
         ORDER BY ${sort} ${order}, timestamp ${order}, id ${order} LIMIT {limit:UInt32} OFFSET {offset:UInt64}`,
        { ...params, limit: q.limit ?? 100, offset: q.offset ?? 0 },
      );
      return { total: Number(count!.n), ids: rows.map((r) => r.sid) };
    };
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
      // Then 3000 of mixed severities and types; critical findings are few and old, so that the first page by
      // severity spans more than one severity.
      const severities = ['info', 'minor', 'major', 'critical'] as const;
      const types = ['seq_gap', 'rx_window_late', 'ptp_offset_jump'];
      await store.insertAnomalies(
        Array.from({ length: 3000 }, (_, i) =>
          fullAnomaly({
            file_id: `deep-k${i % 4}`,
            severity: severities[(i * 7) % 4]!,
            type: types[i % 3]!,
            description: i % 5 === 0 ? 'Reception window missed' : 'Sequence gap',
            flow: { ...fullAnomaly().flow, eaxc: i % 7 === 0 ? 2 : 1 },
            timestamp: new Date(base + (i % 4 === 3 ? i : i * 13) * 1000).toISOString(),
          }),
        ),
      );
      const filters = [
        {},
        { severity: ['critical', 'minor'] },
        { fileId: 'deep-k2' },
        { from: '2026-11-20T02:00:00Z', to: '2026-11-20T09:30:00Z' },
        { q: 'RECEPTION' },
        { eaxc: 1 },
        { eaxc: 2, severity: ['critical', 'minor'] },
      ];
      let checked = 0;
      for (const sort of ['timestamp', 'severity', 'type'] as const)
        for (const order of ['asc', 'desc'] as const)
          for (const filter of filters)
            for (const offset of [0, 90, 750, 5_000, 6_950, 9_950, 10_000]) {
              const q = { sort, order, offset, limit: 100, ...filter };
              const page = await store.queryAnomalies(q);
              const full = await fullSort(q, sort, order === 'asc' ? 'ASC' : 'DESC');
              expect(page.total).toBe(full.total);
              expect(page.items.map((a) => a.id)).toEqual(full.ids);
              if (page.items.length > 0) checked++;
            }
      // Pages with rows were compared (not only empty ones past the end).
      expect(checked).toBeGreaterThan(120);
      const filtered = await store.queryAnomalies({ fileId: 'deep-1', order: 'desc', offset: 2000, limit: 10 });
      expect(filtered.total).toBe(2333);
    } finally {
      await store.executor.command(`DROP DATABASE IF EXISTS ${db}`);
    }
  });
});

describe('query plans at scale (ClickHouse migration 0006)', () => {
  it('a file filter and a text search read the granules of their rows, not the table', async () => {
    const db = 'l1t_plans_test';
    const store = new ClickHouseAnomalyStore(new ChdbExecutor(join(dir, 'clickhouse')), db);
    try {
      await store.migrate();
      // 400 files of 1000 rows under 20 sessions (~49 granules of 8192 rows); every 50th file has another type and
      // description.
      await store.executor.command(`
        INSERT INTO ${db}.anomalies (id, type, source, severity, confidence, timestamp, file, file_id, session_id,
          packet_index, packet_count, description, evidence, version)
        SELECT generateUUIDv4(number), if(intDiv(number, 1000) % 50 = 0, 'rx_window_late', 'seq_gap'), 'fronthaul',
          'major', 1, toDateTime64('2026-11-20 00:00:00', 9, 'UTC') + toIntervalSecond(number), 'f.pcap',
          concat('file-', toString(intDiv(number, 1000))), concat('s-', toString(intDiv(number, 1000) % 20)),
          number, 1,
          if(intDiv(number, 1000) % 50 = 0, 'Reception window missed on eAxC 3', 'Sequence gap on eAxC 1'), '{}', 1
        FROM numbers(400000)`);
      await store.executor.command(`OPTIMIZE TABLE ${db}.anomalies FINAL`);
      /** Granules kept of all by the named skip index, for the store's own WHERE of `q` (reading rows). */
      const granules = async (q: Parameters<typeof buildAnomalyWhere>[0], index: string) => {
        const { clause, params } = buildAnomalyWhere(q)!;
        const plan = (
          await store.executor.query<{ explain: string }>(
            `EXPLAIN indexes = 1 SELECT id, description FROM ${db}.anomalies ${clause}`,
            params,
          )
        ).map((r) => r.explain);
        const at = plan.findIndex((l) => l.includes(`Name: ${index}`));
        const m = at < 0 ? null : /Granules: (\d+)\/(\d+)/.exec(plan.slice(at).join('\n'));
        return m ? { kept: Number(m[1]), of: Number(m[2]) } : undefined;
      };
      const file = await granules({ fileId: 'file-123' }, 'idx_file_id');
      expect(file, 'idx_file_id in the plan').toBeDefined();
      // The sorting key (session, file, …) alone leaves many granules for a file without its session.
      expect(file!.of).toBeGreaterThan(10);
      expect(file!.kept).toBeLessThanOrEqual(3);
      const text = await granules({ q: 'RECEPTION window' }, 'idx_text');
      expect(text, 'idx_text in the plan').toBeDefined();
      expect(text!.of).toBeGreaterThan(40);
      expect(text!.kept).toBeLessThanOrEqual(12);
      // Same answers as the rows say: 1000 per file, 8 files of the searched description and type.
      expect((await store.queryAnomalies({ fileId: 'file-123', limit: 1 })).total).toBe(1000);
      expect((await store.queryAnomalies({ q: 'RECEPTION window', limit: 1 })).total).toBe(8_000);
      expect((await store.queryAnomalies({ q: 'rx_WINDOW', limit: 1 })).total).toBe(8_000);
      expect((await store.queryAnomalies({ q: 'on eAxC', limit: 1 })).total).toBe(400_000);
    } finally {
      await store.executor.command(`DROP DATABASE IF EXISTS ${db}`);
    }
  });
});
