import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
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
 * A short-lived process takes 2 MB (`PgliteOpenOptions.smallBufferPool`).
 */
const pgliteOptions = (defaults: readonly string[], smallBufferPool: boolean) => ({
  startParams: [...defaults, '-c', `shared_buffers=${smallBufferPool ? '2MB' : '16MB'}`],
  ...PGLITE_BYTEA,
});

/**
 * bytea in PostgreSQL's hex text form converted by Node's Buffer, not PGlite's own functions: those map every
 * byte through a JavaScript string of its own (Array.from(bytes).map(toString(16)) to write, parseInt per byte
 * pair to read). Writing the gzip-compressed file views of the 300 MB synth_bfp9 capture (0.75 MB, migration
 * 0005) took 0.33–0.35 CPU-s with PGlite's, 0.12–0.13 with these (3 fresh processes each, load ~2). Reads give
 * a Buffer, as node-postgres does.
 */
const BYTEA_OID = 17;
const PGLITE_BYTEA = {
  serializers: {
    [BYTEA_OID]: (b: Uint8Array) => `\\x${Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex')}`,
  },
  parsers: { [BYTEA_OID]: (text: string) => Buffer.from(text.slice(2), 'hex') },
};

export interface PgliteOpenOptions {
  /**
   * Keep PGlite's WebAssembly on V8's baseline compiler (Liftoff), without the optimising tier-up (TurboFan) of
   * its hot functions. For a short process — `l1t analyze` runs a few dozen statements and exits — the tier-up
   * costs more than it saves: V8 compiles PostgreSQL's hot functions again on its background threads, 1.3–1.7
   * CPU-s of a CLI run into the stores (per-thread CPU, bench host), and 200 catalogue queries after the open
   * took 2.3–2.7 CPU-s with it, 1.0 without (issue #14 item 5). A long-lived process (the server) keeps the
   * default: its optimised code pays off over many requests.
   */
  baselineOnly?: boolean;
  /**
   * A 2 MB buffer pool instead of 16 MB, for a short process (`l1t analyze`). PostgreSQL's shared memory (24 MB
   * with 16 MB of buffers, 4 MB with 2) is an anonymous mmap that Emscripten's libc zeroes with memset inside
   * the WebAssembly module: ~0.09 CPU-s of every start on the baseline compiler (cpu-prof of the open: memset
   * under mmap under PostgreSQL's main, 87 ms of 193) plus ~3,700 page faults, for pages such a process never
   * fills — the catalogue it reads and the few rows and views it writes; pages evicted from the smaller pool are
   * written at eviction instead of at the checkpoint of close(). Opening a migrated folder on the baseline
   * compiler: CPU-s median 0.67 → 0.58 (8 interleaved pairs, lower in 6, load 1.3–1.4), peak RSS 129 → 115 MB;
   * `l1t analyze` of an empty capture into the stores 1.52 → 1.47 (8 interleaved pairs, lower in 6, load
   * 1.6–1.9), 359 → 346 MB; the same stored rows (bench/store-readback.ts on fh_ks and synth_bfp9, 300 MB each).
   * A long-lived process (the server) keeps the 16 MB pool.
   */
  smallBufferPool?: boolean;
}

/** The slice of the WebAssembly JS API used here (the store compiles without the DOM library's types). */
const wasmApi = (globalThis as unknown as { WebAssembly: { Module: new (bytes: Uint8Array) => object } }).WebAssembly;

/**
 * PGlite's PostgreSQL module compiled with `--liftoff-only` (see `PgliteOpenOptions.baselineOnly`). V8 takes the
 * choice per module when it compiles one: the flag is set around this synchronous compile only (no other code
 * of this thread runs meanwhile) and cleared again, so every other module — the capture's SIMD kernel, PGlite
 * of another open — tiers up as before. Undefined when the process was started with a Liftoff flag of its own
 * (left as it is).
 */
function baselineOnlyModule(): object | undefined {
  if (process.execArgv.some((a) => a.includes('liftoff'))) return undefined;
  // pglite.wasm sits beside the package's entry (PGlite itself reads it from there: new URL('./pglite.wasm'))
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const bytes = readFileSync(join(dirname(entry), 'pglite.wasm'));
  setFlagsFromString('--liftoff-only');
  try {
    return new wasmApi.Module(bytes);
  } finally {
    setFlagsFromString('--no-liftoff-only');
  }
}

/** Embedded PostgreSQL (PGlite, WebAssembly). `dataDir` undefined = in memory. One connection: no lock needed. */
export async function openPglite(dataDir?: string, opts: PgliteOpenOptions = {}): Promise<PgConnection> {
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
    const pgliteWasmModule = opts.baselineOnly ? baselineOnlyModule() : undefined;
    const options = {
      ...pgliteOptions(PGlite.defaultStartParams, opts.smallBufferPool ?? false),
      ...(pgliteWasmModule ? { pgliteWasmModule } : {}),
    };
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
