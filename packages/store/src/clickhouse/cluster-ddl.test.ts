import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { CLICKHOUSE_MIGRATIONS } from '../migrations/clickhouse/index.js';
import { ClickHouseAnomalyStore } from './clickhouse-anomaly-store.js';
import { clusterStatements, deleteTarget, schemaMigrationsDdl } from './cluster-ddl.js';
import type { ClickHouseExecutor, QueryParams } from './executor.js';
import { migrateClickHouse } from './migrate.js';

/** Records what the store sends; `query` answers the given rows. */
class RecordingExecutor implements ClickHouseExecutor {
  readonly kind = 'http' as const;
  readonly commands: string[] = [];
  readonly inserts: string[] = [];
  constructor(private readonly rows: Record<string, unknown>[] = []) {}
  async command(sql: string, _p?: QueryParams): Promise<void> {
    this.commands.push(sql);
  }
  async query<T>(): Promise<T[]> {
    return this.rows as T[];
  }
  async insert(table: string): Promise<void> {
    this.inserts.push(table);
  }
  async ping(): Promise<void> {}
  async close(): Promise<void> {}
}

/** ClickHouse's own parser (chDB, EXPLAIN AST): the generated DDL is valid SQL for the server. */
const chdb = createRequire(import.meta.url)('chdb') as { query(sql: string, format: string): string };
const parses = (sql: string): void => {
  chdb.query(`EXPLAIN AST ${sql.replaceAll('{ids:Array(String)}', "['f1']")}`, 'TabSeparated');
};

const ALL = CLICKHOUSE_MIGRATIONS.flatMap((m) => m.statements.map((s) => s.replaceAll('__DB__', 'l1_troubleshooting')));

describe('ClickHouse cluster mode (CLICKHOUSE_CLUSTER)', () => {
  it('creates the database ON CLUSTER', () => {
    expect(clusterStatements('CREATE DATABASE IF NOT EXISTS l1_troubleshooting', 'l1t')).toEqual([
      'CREATE DATABASE IF NOT EXISTS l1_troubleshooting ON CLUSTER l1t',
    ]);
  });

  it('turns each table of the migrations into a replicated <name>_local and a Distributed <name>, sharded by the first sorting column', () => {
    const out = ALL.filter((s) => /^\s*CREATE TABLE/.test(s)).map((s) => clusterStatements(s, 'l1t'));
    expect(out.every((pair) => pair.length === 2)).toBe(true);
    const [anomalies, metrics, sessions] = out as [string[], string[], string[]];
    expect(anomalies[0]).toMatch(/^CREATE TABLE IF NOT EXISTS l1_troubleshooting\.anomalies_local ON CLUSTER l1t\n/);
    expect(anomalies[0]).toContain(
      "ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/l1_troubleshooting/anomalies_local', '{replica}', version)",
    );
    // Everything else of the single-server definition is kept: columns, skip indexes, partitioning, sorting key.
    expect(anomalies[0]).toContain('INDEX idx_id id TYPE bloom_filter(0.01) GRANULARITY 4');
    expect(anomalies[0]).toContain(
      'PARTITION BY toYYYYMM(timestamp)\n  ORDER BY (session_id, file_id, type, severity, timestamp, id)',
    );
    expect(anomalies[1]).toBe(
      'CREATE TABLE IF NOT EXISTS l1_troubleshooting.anomalies ON CLUSTER l1t AS l1_troubleshooting.anomalies_local\n' +
        '  ENGINE = Distributed(l1t, l1_troubleshooting, anomalies_local, cityHash64(session_id))',
    );
    expect(metrics[0]).toContain(
      "ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/l1_troubleshooting/metrics_local', '{replica}')\n",
    );
    expect(sessions[0]).toContain(
      "ReplicatedReplacingMergeTree('/clickhouse/tables/{shard}/l1_troubleshooting/sessions_local', '{replica}', updated_at)",
    );
    expect(sessions[1]).toMatch(/Distributed\(l1t, l1_troubleshooting, sessions_local, cityHash64\(id\)\)$/);
    for (const s of out.flat()) parses(s);
  });

  it('alters the local tables ON CLUSTER, and the Distributed table too when columns change; drops both', () => {
    expect(
      clusterStatements('ALTER TABLE db.anomalies ADD COLUMN IF NOT EXISTS cell_id Nullable(UInt32)', 'l1t'),
    ).toEqual([
      'ALTER TABLE db.anomalies_local ON CLUSTER l1t ADD COLUMN IF NOT EXISTS cell_id Nullable(UInt32)',
      'ALTER TABLE db.anomalies ON CLUSTER l1t ADD COLUMN IF NOT EXISTS cell_id Nullable(UInt32)',
    ]);
    expect(
      clusterStatements(
        'ALTER TABLE db.anomalies ADD INDEX IF NOT EXISTS idx_type type TYPE set(64) GRANULARITY 4',
        'l1t',
      ),
    ).toEqual([
      'ALTER TABLE db.anomalies_local ON CLUSTER l1t ADD INDEX IF NOT EXISTS idx_type type TYPE set(64) GRANULARITY 4',
    ]);
    expect(clusterStatements('DROP TABLE IF EXISTS db.old', 'l1t')).toEqual([
      'DROP TABLE IF EXISTS db.old ON CLUSTER l1t SYNC',
      'DROP TABLE IF EXISTS db.old_local ON CLUSTER l1t SYNC',
    ]);
    for (const s of [
      ...clusterStatements('ALTER TABLE db.anomalies ADD COLUMN IF NOT EXISTS cell_id Nullable(UInt32)', 'l1t'),
      ...clusterStatements('DROP TABLE IF EXISTS db.old', 'l1t'),
    ])
      parses(s);
  });

  it('refuses what it cannot make cluster-safe, naming the statement', () => {
    expect(() => clusterStatements('INSERT INTO db.sessions VALUES (1)', 'l1t')).toThrow(
      /no cluster form for the statement: INSERT INTO db\.sessions/,
    );
    expect(() => clusterStatements('CREATE TABLE IF NOT EXISTS db.t (a UInt8) ENGINE = Memory', 'l1t')).toThrow(
      /engine Memory/,
    );
    expect(() => clusterStatements('CREATE TABLE IF NOT EXISTS db.t (a UInt8) ENGINE = MergeTree', 'l1t')).toThrow(
      /without ORDER BY/,
    );
    expect(() => clusterStatements('CREATE DATABASE IF NOT EXISTS db', 'l1t; DROP')).toThrow(/not a plain identifier/);
  });

  it('migrates ON CLUSTER with one schema_migrations table shared by every node', async () => {
    const exec = new RecordingExecutor();
    expect(await migrateClickHouse(exec, 'l1_troubleshooting', undefined, 'l1t')).toEqual(
      CLICKHOUSE_MIGRATIONS.map((m) => m.version),
    );
    expect(exec.commands[0]).toBe('CREATE DATABASE IF NOT EXISTS l1_troubleshooting ON CLUSTER l1t');
    expect(exec.commands[1]).toBe(schemaMigrationsDdl('l1_troubleshooting', 'l1t'));
    expect(exec.commands[1]).toContain(
      "ReplicatedReplacingMergeTree('/clickhouse/tables/all/l1_troubleshooting/schema_migrations', '{replica}')",
    );
    expect(exec.commands.slice(2)).toEqual(ALL.flatMap((s) => clusterStatements(s, 'l1t')));
    expect(exec.inserts).toEqual(CLICKHOUSE_MIGRATIONS.map(() => 'l1_troubleshooting.schema_migrations'));
    for (const s of exec.commands) parses(s);
  });

  it('without a cluster the statements are exactly the single-server migrations', async () => {
    const exec = new RecordingExecutor();
    await migrateClickHouse(exec, 'l1_troubleshooting');
    expect(exec.commands).toEqual([
      'CREATE DATABASE IF NOT EXISTS l1_troubleshooting',
      schemaMigrationsDdl('l1_troubleshooting'),
      ...ALL,
    ]);
  });

  it('deletes a file’s earlier results from the local tables ON CLUSTER (Distributed tables take no DELETE)', async () => {
    const exec = new RecordingExecutor([{ n: 3 }]);
    const store = new ClickHouseAnomalyStore(exec, 'l1_troubleshooting', { cluster: 'l1t' });
    await store.replaceFileResults(['f1'], [], []);
    expect(exec.commands).toEqual([
      'DELETE FROM l1_troubleshooting.anomalies_local ON CLUSTER l1t WHERE file_id IN {ids:Array(String)}',
      'DELETE FROM l1_troubleshooting.metrics_local ON CLUSTER l1t WHERE file_id IN {ids:Array(String)}',
      'DELETE FROM l1_troubleshooting.incidents_local ON CLUSTER l1t WHERE file_id IN {ids:Array(String)}',
    ]);
    for (const s of exec.commands) parses(s);
    expect(deleteTarget('db', 'anomalies')).toBe('db.anomalies');
  });

  it('CLICKHOUSE_CLUSTER is read with a server and refused with the embedded engine', () => {
    const c = loadConfig({ CLICKHOUSE_URL: 'http://clickhouse-client:8123', CLICKHOUSE_CLUSTER: 'l1t' }).clickhouse;
    expect(c).toMatchObject({ kind: 'http', cluster: 'l1t' });
    expect(loadConfig({ CLICKHOUSE_URL: 'http://ch:8123' }).clickhouse).not.toHaveProperty('cluster');
    expect(() => loadConfig({ CLICKHOUSE_CLUSTER: 'l1t' })).toThrow(/CLICKHOUSE_CLUSTER needs a ClickHouse server/);
    expect(() => loadConfig({ CLICKHOUSE_URL: 'http://ch:8123', CLICKHOUSE_CLUSTER: 'a-b' })).toThrow(
      /CLICKHOUSE_CLUSTER/,
    );
  });
});
