/**
 * ClickHouse cluster mode (`CLICKHOUSE_CLUSTER`, deploy/kubernetes/overlays/clickhouse-cluster). The
 * migrations are written once for a single server; in cluster mode each statement is rewritten so that:
 *
 * - every DDL runs `ON CLUSTER <cluster>` (ClickHouse's distributed DDL queue, through Keeper);
 * - a table `<db>.<t>` becomes `<db>.<t>_local` with the Replicated variant of its engine (one copy per
 *   replica, replicated through Keeper), and `<db>.<t>` itself becomes a `Distributed` table over it, so
 *   that the store's reads and inserts address the same names as on a single server;
 * - rows are sharded by the first column of the sorting key, so that all versions of one row (same key)
 *   land on one shard and ReplacingMergeTree + FINAL deduplicate them there;
 * - a lightweight DELETE (not supported on Distributed tables) goes to the local tables ON CLUSTER.
 *
 * Statements this module does not know are refused with an error naming them: a migration that cannot be
 * made cluster-safe must say so, not create an unreplicated table on one node.
 */
import { assertIdentifier } from './executor.js';

/** Zookeeper path of a replicated table: per shard, so that the replicas of one shard share it. */
function replicaPath(db: string, table: string): string {
  return `'/clickhouse/tables/{shard}/${db}/${table}'`;
}

const CREATE_DATABASE = /^\s*CREATE DATABASE IF NOT EXISTS (\w+)\s*$/i;
// Columns are everything up to the last `ENGINE =`; the engine's own arguments hold no parentheses here.
const CREATE_TABLE =
  /^\s*CREATE TABLE IF NOT EXISTS (\w+)\.(\w+)\s*(\([\s\S]*\))\s*ENGINE\s*=\s*(\w+)(?:\(([^()]*)\))?(\s[\s\S]*)?$/i;
const ALTER_TABLE = /^\s*ALTER TABLE (\w+)\.(\w+)\s+([\s\S]+)$/i;
const DROP_TABLE = /^\s*DROP TABLE IF EXISTS (\w+)\.(\w+)\s*$/i;
const COLUMN_CHANGE = /\b(ADD|DROP|MODIFY|RENAME|COMMENT|CLEAR)\s+COLUMN\b/i;

/** First expression of `ORDER BY (a, b, …)` or `ORDER BY a`: the sharding column. */
function firstSortingColumn(rest: string): string {
  const m = /\bORDER BY\s+(\(\s*)?([A-Za-z_][A-Za-z0-9_]*)/i.exec(rest);
  if (!m) throw new Error('cluster mode: a table without ORDER BY cannot be sharded');
  return m[2]!;
}

/**
 * Rewrites one migration statement (with the database already substituted) for `cluster`. Returns the
 * statements to run in order.
 */
export function clusterStatements(sql: string, cluster: string): string[] {
  const c = assertIdentifier(cluster);
  let m = CREATE_DATABASE.exec(sql);
  if (m) return [`CREATE DATABASE IF NOT EXISTS ${m[1]} ON CLUSTER ${c}`];

  m = CREATE_TABLE.exec(sql);
  if (m) {
    const [, db, table, columns, engine, args, rest = ''] = m as unknown as [
      string,
      string,
      string,
      string,
      string,
      string | undefined,
      string | undefined,
    ];
    if (!/^\w*MergeTree$/.test(engine) || /^Replicated/i.test(engine))
      throw new Error(`cluster mode: engine ${engine} of ${db}.${table} has no replicated variant here`);
    const local = `${table}_local`;
    const engineArgs = [replicaPath(db, local), `'{replica}'`, ...(args?.trim() ? [args.trim()] : [])].join(', ');
    const shardKey = `cityHash64(${firstSortingColumn(rest)})`;
    return [
      `CREATE TABLE IF NOT EXISTS ${db}.${local} ON CLUSTER ${c}\n  ${columns}\n  ENGINE = Replicated${engine}(${engineArgs})${rest}`,
      `CREATE TABLE IF NOT EXISTS ${db}.${table} ON CLUSTER ${c} AS ${db}.${local}\n  ENGINE = Distributed(${c}, ${db}, ${local}, ${shardKey})`,
    ];
  }

  m = ALTER_TABLE.exec(sql);
  if (m) {
    const [, db, table, change] = m as unknown as [string, string, string, string];
    const statements = [`ALTER TABLE ${db}.${table}_local ON CLUSTER ${c} ${change}`];
    // The Distributed table mirrors the columns of the local one; indexes, TTLs, settings stay local.
    if (COLUMN_CHANGE.test(change)) statements.push(`ALTER TABLE ${db}.${table} ON CLUSTER ${c} ${change}`);
    return statements;
  }

  m = DROP_TABLE.exec(sql);
  if (m)
    return [
      `DROP TABLE IF EXISTS ${m[1]}.${m[2]} ON CLUSTER ${c} SYNC`,
      `DROP TABLE IF EXISTS ${m[1]}.${m[2]}_local ON CLUSTER ${c} SYNC`,
    ];

  throw new Error(`cluster mode: no cluster form for the statement: ${sql.trim().split('\n')[0]}`);
}

/**
 * The migrations' own bookkeeping table. In cluster mode one replicated table shared by every node of the
 * cluster (its path has no shard), so that a migration applied once is known everywhere.
 */
export function schemaMigrationsDdl(db: string, cluster?: string): string {
  const columns = `(version UInt32, name String, applied_at DateTime64(3, 'UTC'))`;
  if (!cluster)
    return `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations ${columns}\n     ENGINE = ReplacingMergeTree ORDER BY version`;
  const c = assertIdentifier(cluster);
  return `CREATE TABLE IF NOT EXISTS ${db}.schema_migrations ON CLUSTER ${c} ${columns}
     ENGINE = ReplicatedReplacingMergeTree('/clickhouse/tables/all/${db}/schema_migrations', '{replica}') ORDER BY version`;
}

/** Where a lightweight DELETE of the store's rows goes: the table itself, or its local tables cluster-wide. */
export function deleteTarget(db: string, table: string, cluster?: string): string {
  return cluster ? `${db}.${table}_local ON CLUSTER ${assertIdentifier(cluster)}` : `${db}.${table}`;
}
