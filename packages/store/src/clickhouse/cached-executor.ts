import type { ClickHouseExecutor, QueryParams } from './executor.js';

/** Bounds of the result cache: entries, total bytes of cached result text, bytes of one result. */
export interface QueryCacheLimits {
  maxEntries: number;
  maxBytes: number;
  maxEntryBytes: number;
}

export const DEFAULT_QUERY_CACHE_LIMITS: QueryCacheLimits = {
  maxEntries: 512,
  maxBytes: 64 * 2 ** 20,
  maxEntryBytes: 4 * 2 ** 20,
};

/**
 * Only plain reads of our own tables are cached: a query of `system.*` (merges, mutations, parts) or one whose
 * answer moves with the clock or a random draw changes without any write of ours.
 */
const CACHEABLE = /^\s*(SELECT|WITH)\b/i;
const VOLATILE = /\bsystem\.|\b(now|now64|today|yesterday|rand\w*|generateUUID\w*|currentDatabase)\s*\(/i;

export interface QueryCacheStats {
  hits: number;
  misses: number;
  /** Queries that joined an identical one already running instead of starting their own. */
  shared: number;
  entries: number;
  bytes: number;
  /** Bumped by every write (command, insert): what the cached answers are valid for. */
  version: number;
}

/**
 * A result cache in front of the EMBEDDED ClickHouse (chDB), keyed by (SQL, bound parameters) and the data
 * version of this executor. Why it is correct: libchdb binds its data directory to one process (the engine
 * locks `<dir>/status`, see ChdbExecutor), so every write to these tables passes through this object; each
 * `command` (DELETE, TRUNCATE, DDL) and `insert` bumps the version before it starts and after it ends, and a
 * result is stored only when no write began or ended while it was computed — a read never returns rows older
 * than a write that completed before the read was issued. Background merges and MATERIALIZE mutations do not
 * change what a query answers (the store never leaves two rows of one id: ClickHouseAnomalyStore).
 *
 * Why it is needed: chDB runs each query on the libuv pool of this process, which on a small host also serves
 * the HTTP server, so the API's cost is its CPU. The anomalies page, the dashboard and their polling ask the
 * same questions between analyses (bench:load: 100 req/s of one list at 1 M rows needed ~6 CPU-s per second
 * uncached on a 2-core host); identical queries in flight are also shared (one execution for a burst).
 *
 * Not used for a ClickHouse server (CLICKHOUSE_URL): other processes (workers, other pods) write there.
 * Results are kept as text and parsed per hit, so no caller can alter another caller's rows.
 */
export class CachedExecutor implements ClickHouseExecutor {
  readonly kind: ClickHouseExecutor['kind'];
  #version = 0;
  /** Writes running now: no result computed meanwhile is stored. */
  #writing = 0;
  readonly #cache = new Map<string, { version: number; text: string }>();
  readonly #inflight = new Map<string, Inflight>();
  #bytes = 0;
  #hits = 0;
  #misses = 0;
  #shared = 0;

  constructor(
    readonly inner: ClickHouseExecutor,
    readonly limits: QueryCacheLimits = DEFAULT_QUERY_CACHE_LIMITS,
  ) {
    this.kind = inner.kind;
  }

  /**
   * The data version: changes when a write starts and when it ends. A caller caching something derived from
   * reads (a response body) may keep it while this is unchanged — and odd never happens between writes.
   */
  get dataVersion(): number | undefined {
    return this.#writing === 0 ? this.#version : undefined;
  }

  get stats(): QueryCacheStats {
    return {
      hits: this.#hits,
      misses: this.#misses,
      shared: this.#shared,
      entries: this.#cache.size,
      bytes: this.#bytes,
      version: this.#version,
    };
  }

  async command(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<void> {
    await this.#write(() => this.inner.command(sql, params, signal));
  }

  async insert(...args: Parameters<ClickHouseExecutor['insert']>): Promise<void> {
    await this.#write(() => this.inner.insert(...args));
  }

  async query<T = Record<string, unknown>>(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<T[]> {
    if (!CACHEABLE.test(sql) || VOLATILE.test(sql)) return this.inner.query<T>(sql, params, signal);
    signal?.throwIfAborted();
    const key = params && Object.keys(params).length > 0 ? `${sql}\u0000${stableJson(params)}` : sql;
    const version = this.#version;
    const hit = this.#cache.get(key);
    if (hit && hit.version === version) {
      this.#hits++;
      // Most recently used last: Map keeps insertion order, the oldest key is evicted first.
      this.#cache.delete(key);
      this.#cache.set(key, hit);
      return JSON.parse(hit.text) as T[];
    }
    let running = this.#inflight.get(key);
    if (running && running.version === version) this.#shared++;
    else {
      this.#misses++;
      // One execution for every caller asking the same now; it is cancelled when all of them have gone.
      const controller = new AbortController();
      const promise = this.inner.query<T>(sql, params, controller.signal).then((rows) => JSON.stringify(rows));
      const entry: Inflight = { version, promise, controller, waiting: 0 };
      running = entry;
      this.#inflight.set(key, entry);
      const settle = () => {
        if (this.#inflight.get(key) === entry) this.#inflight.delete(key);
      };
      promise.then((text) => {
        settle();
        if (this.#version === version && this.#writing === 0) this.#store(key, version, text);
      }, settle);
    }
    return JSON.parse(await this.#wait(key, running, signal)) as T[];
  }

  /** The shared answer for one caller; the caller's abort rejects its wait, the last one's cancels the query. */
  #wait(key: string, entry: Inflight, signal: AbortSignal | undefined): Promise<string> {
    if (!signal) {
      entry.waiting = Infinity;
      return entry.promise;
    }
    entry.waiting++;
    return new Promise<string>((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        if (--entry.waiting <= 0) {
          if (this.#inflight.get(key) === entry) this.#inflight.delete(key);
          entry.controller.abort(signal.reason);
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      entry.promise.then(
        (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
        (e: unknown) => (signal.removeEventListener('abort', onAbort), reject(e)),
      );
    });
  }

  ping(signal?: AbortSignal): Promise<void> {
    return this.inner.ping(signal);
  }

  close(): Promise<void> {
    this.#clear();
    return this.inner.close();
  }

  async #write(run: () => Promise<void>): Promise<void> {
    this.#writing++;
    this.#version++;
    this.#clear();
    try {
      await run();
    } finally {
      this.#version++;
      this.#writing--;
      this.#clear();
    }
  }

  #clear(): void {
    this.#cache.clear();
    this.#bytes = 0;
  }

  #store(key: string, version: number, text: string): void {
    const size = text.length * 2 + key.length * 2;
    if (size > this.limits.maxEntryBytes) return;
    const old = this.#cache.get(key);
    if (old) {
      this.#cache.delete(key);
      this.#bytes -= old.text.length * 2 + key.length * 2;
    }
    this.#cache.set(key, { version, text });
    this.#bytes += size;
    for (const [k, v] of this.#cache) {
      if (this.#cache.size <= this.limits.maxEntries && this.#bytes <= this.limits.maxBytes) break;
      this.#cache.delete(k);
      this.#bytes -= v.text.length * 2 + k.length * 2;
    }
  }
}

/** JSON with object keys sorted, so that one set of parameters always gives one cache key. */
function stableJson(params: QueryParams): string {
  return JSON.stringify(
    Object.keys(params)
      .sort()
      .map((k) => [k, params[k]]),
  );
}

interface Inflight {
  version: number;
  promise: Promise<string>;
  controller: AbortController;
  /** Callers still waiting (Infinity once one waits without a signal: never cancelled). */
  waiting: number;
}
