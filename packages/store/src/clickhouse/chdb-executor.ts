import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as Chdb from 'chdb';
import { otherHolder } from '../data-dir-lock.js';
import {
  insertSettings,
  parseJsonEachRow,
  type ClickHouseExecutor,
  type InsertOptions,
  type QueryParams,
} from './executor.js';

function hasParams(params: QueryParams | undefined): params is QueryParams {
  return params !== undefined && Object.keys(params).length > 0;
}

/**
 * chDB (a 500 MB native engine) is loaded when an embedded store is opened, not when the package is
 * imported: server images that talk to a ClickHouse server leave it out (Dockerfile, EMBEDDED build arg).
 */
function loadChdb(): typeof Chdb {
  try {
    return createRequire(import.meta.url)('chdb') as typeof Chdb;
  } catch (e) {
    throw new Error(
      'the embedded ClickHouse engine (chdb) is not installed: set CLICKHOUSE_URL to use a ClickHouse server',
      { cause: e },
    );
  }
}

/**
 * Embedded ClickHouse through chDB. libchdb binds ONE data directory per process, so a process opens one
 * `ChdbExecutor` (sessions at the same path coexist; another path needs the first closed and drained).
 */
export class ChdbExecutor implements ClickHouseExecutor {
  readonly kind = 'chdb' as const;
  readonly #chdb: typeof Chdb;
  readonly #session: Chdb.Session;

  constructor(readonly dataDir: string) {
    this.#chdb = loadChdb();
    mkdirSync(dataDir, { recursive: true });
    try {
      this.#session = new this.#chdb.Session(dataDir);
    } catch (e) {
      // The engine locks `<dir>/status` (with its PID); name the holder instead of a generic failure.
      const holder = otherHolder(join(dataDir, 'status'));
      if (holder !== undefined)
        throw new Error(`chDB data directory ${dataDir} is in use by another process (pid ${holder})`, { cause: e });
      throw e;
    }
  }

  async command(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<void> {
    await this.#run(sql, params, 'TabSeparated', signal);
  }

  async query<T>(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<T[]> {
    const result = await this.#run(sql, params, 'JSONEachRow', signal);
    return parseJsonEachRow<T>(result);
  }

  async insert(
    table: string,
    rows: readonly Record<string, unknown>[],
    signal?: AbortSignal,
    options?: InsertOptions,
  ): Promise<void> {
    if (rows.length === 0) return;
    const body = rows.map((r) => JSON.stringify(r)).join('\n') + '\n';
    await this.#session.insert({
      table,
      values: Buffer.from(body, 'utf8'),
      format: 'JSONEachRow',
      settings: insertSettings(options),
      ...(signal ? { signal } : {}),
    });
  }

  async ping(signal?: AbortSignal): Promise<void> {
    await this.#run('SELECT 1', undefined, 'TabSeparated', signal);
  }

  async close(): Promise<void> {
    this.#session.close();
    // close() can return while an abandoned (aborted) query still runs natively; wait until the engine is
    // idle so that the process can open the directory again (libchdb: one data directory per process).
    await this.#chdb.drainPending();
  }

  async #run(sql: string, params: QueryParams | undefined, format: string, signal?: AbortSignal): Promise<string> {
    const opts = { format, ...(signal ? { signal } : {}) };
    const result = hasParams(params)
      ? await this.#session.queryBindAsync(sql, params, opts)
      : await this.#session.queryAsync(sql, opts);
    return result.text();
  }
}
