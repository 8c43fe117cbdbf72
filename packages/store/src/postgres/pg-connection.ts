import { mkdirSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { lockDataDir } from '../data-dir-lock.js';
import { schema, type Schema } from './schema.js';

/** The Drizzle database the metadata store is written against: PGlite or node-postgres behind it. */
export type MetadataDb = PgDatabase<PgQueryResultHKT, Schema>;

/** One connection's raw SQL, for migrations (several statements per script). */
export interface ScriptRunner {
  exec(sqlText: string): Promise<void>;
  query<T>(sqlText: string, params?: unknown[]): Promise<T[]>;
}

/** A parameterised query in node-postgres' object form (what libraries with tables of their own call). */
export interface SqlQueryClient {
  query(q: {
    text: string;
    values?: unknown[];
    name?: string;
  }): Promise<{ rows: Record<string, unknown>[]; rowCount: number }>;
}

export interface PgConnection {
  readonly kind: 'pglite' | 'postgres';
  readonly db: MetadataDb;
  /** Raw queries for libraries that keep a table of their own (rate-limiter-flexible's login limits). */
  readonly sql: SqlQueryClient;
  /** Runs `fn` on one connection holding the migration lock (several pods may start together). */
  withMigrationLock<T>(fn: (runner: ScriptRunner) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Advisory lock key of schema migrations ("L1T" + 1): one migrator at a time per database. */
export const MIGRATION_LOCK_KEY = 0x4c315401;

/**
 * PGlite's own start parameters plus a 16 MB buffer pool instead of initdb's 128 MB: the single-user backend
 * sets up its whole pool on every start, and the metadata store's working set (files, sessions, views written
 * once) is far smaller. Opening a migrated data folder: 2.2 → 1.5 CPU-s (bench host, load ~20) — issue #14.
 */
const pgliteOptions = (defaults: readonly string[]) => ({ startParams: [...defaults, '-c', 'shared_buffers=16MB'] });

/** Embedded PostgreSQL (PGlite, WebAssembly). `dataDir` undefined = in memory. One connection: no lock needed. */
export async function openPglite(dataDir?: string): Promise<PgConnection> {
  // Each driver is loaded by the connection that uses it: an embedded start does not load node-postgres, a
  // server one not PGlite's WebAssembly engine (issue #14: start-up).
  const [{ PGlite }, { drizzle: drizzlePglite }] = await Promise.all([
    import('@electric-sql/pglite'),
    import('drizzle-orm/pglite'),
  ]);
  let release = () => {};
  if (dataDir) {
    mkdirSync(dataDir, { recursive: true });
    release = lockDataDir(dataDir, 'embedded PostgreSQL (PGlite)');
  }
  let client: PGlite;
  try {
    const options = pgliteOptions(PGlite.defaultStartParams);
    client = dataDir ? new PGlite(dataDir, options) : new PGlite(options);
    await client.waitReady;
  } catch (e) {
    release();
    throw e;
  }
  const db = drizzlePglite(client, { schema }) as unknown as MetadataDb;
  const runner: ScriptRunner = {
    exec: async (s) => void (await client.exec(s)),
    query: async <T>(s: string, params?: unknown[]) => (await client.query<T>(s, params)).rows,
  };
  return {
    kind: 'pglite',
    db,
    sql: {
      // node-postgres' result shape: rowCount is rows returned, or rows changed by an UPDATE/DELETE.
      query: async (q) => {
        const r = await client.query<Record<string, unknown>>(q.text, q.values);
        return { rows: r.rows, rowCount: r.rows.length || (r.affectedRows ?? 0) };
      },
    },
    withMigrationLock: (fn) => fn(runner),
    close: async () => {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/** PostgreSQL server through a `pg` Pool. */
export async function openPgServer(
  url: string,
  opts: { max?: number; connectTimeoutMs?: number } = {},
): Promise<PgConnection> {
  const [{ default: pg }, { drizzle: drizzlePg }] = await Promise.all([
    import('pg'),
    import('drizzle-orm/node-postgres'),
  ]);
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    connectionTimeoutMillis: opts.connectTimeoutMs ?? 10_000,
  });
  // An idle client losing its server must not crash the process: the next checkout reconnects.
  pool.on('error', () => {});
  const db = drizzlePg(pool, { schema }) as unknown as MetadataDb;
  return {
    kind: 'postgres',
    db,
    sql: {
      query: async (q) => {
        const r = await pool.query(q);
        return { rows: r.rows as Record<string, unknown>[], rowCount: r.rowCount ?? 0 };
      },
    },
    async withMigrationLock(fn) {
      const client = await pool.connect();
      try {
        await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
        try {
          return await fn({
            exec: async (s) => void (await client.query(s)),
            query: async <T>(s: string, params?: unknown[]) => (await client.query(s, params)).rows as T[],
          });
        } finally {
          await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
        }
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
