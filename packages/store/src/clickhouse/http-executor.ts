import { createRequire } from 'node:module';
import type * as ClickHouseClientModule from '@clickhouse/client';
import type { ClickHouseClient } from '@clickhouse/client';
import { insertSettings, type ClickHouseExecutor, type InsertOptions, type QueryParams } from './executor.js';

export interface HttpExecutorOptions {
  url: string;
  username?: string;
  password?: string;
  requestTimeoutMs?: number;
  /** gzip insert bodies and results (worth it across a network; default off). */
  compression?: boolean;
}

/**
 * ClickHouse server over HTTP through the official `@clickhouse/client`. The client is created without a
 * database: the store qualifies every table, so `CREATE DATABASE` works before the database exists.
 */
export class HttpExecutor implements ClickHouseExecutor {
  readonly kind = 'http' as const;
  readonly #client: ClickHouseClient;

  constructor(opts: HttpExecutorOptions) {
    // Loaded by the first HTTP executor, not with the package: the store's barrel is imported by every command
    // that stores, and one into the embedded engines never talks HTTP (@clickhouse/client: ~70 ms of CPU to
    // load, issue #14 item 5). It is CommonJS, so require() loads it synchronously here.
    const { createClient, ClickHouseLogLevel } = createRequire(import.meta.url)(
      '@clickhouse/client',
    ) as typeof ClickHouseClientModule;
    this.#client = createClient({
      url: opts.url,
      ...(opts.username !== undefined ? { username: opts.username } : {}),
      ...(opts.password !== undefined ? { password: opts.password } : {}),
      request_timeout: opts.requestTimeoutMs ?? 30_000,
      ...(opts.compression ? { compression: { request: true, response: true } } : {}),
      application: 'l1t-store',
      // Failures reach the caller as errors (and its logger); the driver's own console logging stays off.
      log: { level: ClickHouseLogLevel.OFF },
    });
  }

  async command(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<void> {
    signal?.throwIfAborted(); // the client only listens for a later 'abort' event
    await this.#client.command({
      query: sql,
      ...(params ? { query_params: params } : {}),
      ...(signal ? { abort_signal: signal } : {}),
    });
  }

  async query<T>(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<T[]> {
    signal?.throwIfAborted();
    const rs = await this.#client.query({
      query: sql,
      format: 'JSONEachRow',
      ...(params ? { query_params: params } : {}),
      ...(signal ? { abort_signal: signal } : {}),
    });
    return rs.json<T>();
  }

  async insert(
    table: string,
    rows: readonly Record<string, unknown>[],
    signal?: AbortSignal,
    options?: InsertOptions,
  ): Promise<void> {
    if (rows.length === 0) return;
    signal?.throwIfAborted();
    await this.#client.insert({
      table,
      values: rows as Record<string, unknown>[],
      format: 'JSONEachRow',
      clickhouse_settings: insertSettings(options),
      ...(signal ? { abort_signal: signal } : {}),
    });
  }

  async ping(signal?: AbortSignal): Promise<void> {
    // One SELECT with the caller's signal: it proves that the server answers queries, and a host that
    // never answers is given up on when the signal fires (the client's ping() has no signal).
    await this.query('SELECT 1 AS ok', undefined, signal);
  }

  async close(): Promise<void> {
    await this.#client.close();
  }
}
