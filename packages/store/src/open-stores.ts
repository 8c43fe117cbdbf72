import type { Config } from '@l1t/contracts';
import { CachedExecutor } from './clickhouse/cached-executor.js';
import { ChdbExecutor } from './clickhouse/chdb-executor.js';
import { ClickHouseAnomalyStore } from './clickhouse/clickhouse-anomaly-store.js';
import type { ClickHouseExecutor } from './clickhouse/executor.js';
import { HttpExecutor } from './clickhouse/http-executor.js';
import { StoreUnavailableError, describeCause } from './errors.js';
import { DrizzleMetadataStore, type MetadataStoreOptions } from './postgres/drizzle-metadata-store.js';
import { openPglite, openPgServer, type PgConnection } from './postgres/pg-connection.js';

export interface OpenStoresOptions {
  /** Apply pending migrations of both databases (default true; `l1t migrate` and server start rely on it). */
  migrate?: boolean;
  /** How long to wait for a server to answer before reporting it unreachable (default 10 s). */
  connectTimeoutMs?: number;
  metadata?: MetadataStoreOptions;
  /**
   * Cache query results of the embedded ClickHouse until the next write, and PGlite's token and status reads
   * (default true; CachedExecutor, ReadCache: this process is the embedded stores' only writer). Never used
   * for a ClickHouse or PostgreSQL server.
   */
  queryCache?: boolean;
  /**
   * A short-lived process (`l1t analyze`): embedded PGlite stays on V8's baseline WebAssembly compiler
   * (`PgliteOpenOptions.baselineOnly`) with a 2 MB buffer pool (`smallBufferPool`). Default false: a server keeps
   * the optimising tier-up and the 16 MB pool.
   */
  shortLived?: boolean;
}

export interface ReadyReport {
  ok: boolean;
  clickhouse: { ok: boolean; target: string; error?: string };
  postgres: { ok: boolean; target: string; error?: string };
}

export interface Stores {
  anomalies: ClickHouseAnomalyStore;
  metadata: DrizzleMetadataStore;
  /** Readiness (`/readyz`): both stores answer and have their schema. Never throws. */
  ready(opts?: { signal?: AbortSignal; timeoutMs?: number }): Promise<ReadyReport>;
  close(): Promise<void>;
}

/**
 * Opens both stores from the configuration: embedded chDB/PGlite under `<L1T_DATA_DIR>/{clickhouse,postgres}`
 * (directories created) unless CLICKHOUSE_URL / DATABASE_URL name servers. An unreachable server rejects
 * with a one-line `StoreUnavailableError`. chDB binds one data directory per process: open once per process.
 */
export async function openStores(config: Config, opts: OpenStoresOptions = {}): Promise<Stores> {
  const timeoutMs = opts.connectTimeoutMs ?? 10_000;
  const targets = (): Promise<Targets> => describeTargets(config);

  const deadline = AbortSignal.timeout(timeoutMs);
  let executor: ClickHouseExecutor | undefined;
  let anomalies: ClickHouseAnomalyStore;
  try {
    const c = config.clickhouse;
    executor =
      c.kind === 'embedded'
        ? opts.queryCache === false
          ? new ChdbExecutor(c.dataDir)
          : new CachedExecutor(new ChdbExecutor(c.dataDir))
        : new HttpExecutor({
            url: c.url,
            ...(c.username !== undefined ? { username: c.username } : {}),
            ...(c.password !== undefined ? { password: c.password } : {}),
          });
    anomalies = new ClickHouseAnomalyStore(executor, c.database, {
      cluster: c.kind === 'http' ? c.cluster : undefined,
    });
    await anomalies.ping(deadline);
  } catch (e) {
    await executor?.close().catch(() => {});
    const reason = deadline.aborted ? new Error(`no answer within ${timeoutMs} ms`, { cause: e }) : e;
    throw new StoreUnavailableError('ClickHouse', (await targets()).clickhouse, reason);
  }

  let connection: PgConnection | undefined;
  let metadata: DrizzleMetadataStore;
  try {
    const p = config.postgres;
    connection =
      p.kind === 'embedded'
        ? await openPglite(p.dataDir, {
            baselineOnly: opts.shortLived ?? false,
            smallBufferPool: opts.shortLived ?? false,
          })
        : await openPgServer(p.url, { connectTimeoutMs: timeoutMs });
    metadata = new DrizzleMetadataStore(connection, {
      ...opts.metadata,
      ...(opts.queryCache === false ? { readCache: false } : {}),
    });
    await metadata.ping();
  } catch (e) {
    await connection?.close().catch(() => {});
    await anomalies.close().catch(() => {});
    throw new StoreUnavailableError('PostgreSQL', (await targets()).postgres, e);
  }

  if (opts.migrate ?? true) {
    try {
      await anomalies.migrate();
      await metadata.migrate();
    } catch (e) {
      await Promise.allSettled([anomalies.close(), metadata.close()]);
      throw e;
    }
  }

  return {
    anomalies,
    metadata,
    async ready({ signal, timeoutMs: readyTimeout = 2_000 } = {}) {
      const limit = signal
        ? AbortSignal.any([signal, AbortSignal.timeout(readyTimeout)])
        : AbortSignal.timeout(readyTimeout);
      const [ch, pg] = await Promise.allSettled([anomalies.ready(limit), withTimeout(metadata.ready(), limit)]);
      const { clickhouse: chTarget, postgres: pgTarget } = await targets();
      const report: ReadyReport = {
        ok: ch.status === 'fulfilled' && pg.status === 'fulfilled',
        clickhouse: {
          ok: ch.status === 'fulfilled',
          target: chTarget,
          ...(ch.status === 'rejected' ? { error: describeCause(ch.reason) } : {}),
        },
        postgres: {
          ok: pg.status === 'fulfilled',
          target: pgTarget,
          ...(pg.status === 'rejected' ? { error: describeCause(pg.reason) } : {}),
        },
      };
      return report;
    },
    async close() {
      await Promise.allSettled([anomalies.close(), metadata.close()]);
    },
  };
}

interface Targets {
  clickhouse: string;
  postgres: string;
}

/**
 * Where each store is looked for, as messages name it (`CLICKHOUSE_URL=…` redacted, or the embedded folder):
 * only an error or a readiness report needs it. @l1t/contracts is imported then, not with this module — with
 * zod it is ~160 ms of CPU to load, and `l1t analyze` (whose bundle has its own copy) would load it again just
 * to open the stores (issue #14 item 5).
 */
async function describeTargets(config: Config): Promise<Targets> {
  const { describeClickHouse, describePostgres } = await import('@l1t/contracts');
  return { clickhouse: describeClickHouse(config.clickhouse), postgres: describePostgres(config.postgres) };
}

function withTimeout<T>(p: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
