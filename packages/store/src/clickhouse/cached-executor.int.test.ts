import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anomalyStoreSuite } from '../test-support/anomaly-store-suite.js';
import { fullAnomaly } from '../test-support/anomaly-fixtures.js';
import { CachedExecutor } from './cached-executor.js';
import { ChdbExecutor } from './chdb-executor.js';
import { ClickHouseAnomalyStore } from './clickhouse-anomaly-store.js';
import type { ClickHouseExecutor, QueryParams } from './executor.js';

// chDB binds one data directory per process: this file owns the process (vitest pool: forks). One session
// and CachedExecutor per database: as in openStores, every write of a database passes through its cache (a
// store's close() closes its session, so each block has its own).
const dir = mkdtempSync(join(tmpdir(), 'l1t-chdb-cache-'));
const engine = () => new ChdbExecutor(join(dir, 'clickhouse'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The whole store contract, answered through the result cache.
anomalyStoreSuite('chDB (embedded) behind the result cache', {
  open: async (database) => new ClickHouseAnomalyStore(new CachedExecutor(engine()), database),
});

/**
 * The real engine, with each query's answer held back (after it was computed) until `release()`: a read
 * that was computed before a write and delivered after it.
 */
class HeldAnswers implements ClickHouseExecutor {
  readonly kind = 'chdb' as const;
  #gate: Promise<void> | undefined;
  #open: (() => void) | undefined;
  executed = 0;
  constructor(readonly inner: ClickHouseExecutor) {}
  hold(): void {
    this.#gate = new Promise((r) => (this.#open = r));
  }
  release(): void {
    this.#open?.();
    this.#gate = undefined;
  }
  command(sql: string, params?: QueryParams, signal?: AbortSignal) {
    return this.inner.command(sql, params, signal);
  }
  async query<T>(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<T[]> {
    this.executed++;
    const gate = this.#gate;
    const rows = await this.inner.query<T>(sql, params, signal);
    await gate;
    return rows;
  }
  insert(...args: Parameters<ClickHouseExecutor['insert']>) {
    return this.inner.insert(...args);
  }
  ping(signal?: AbortSignal) {
    return this.inner.ping(signal);
  }
  async close() {}
}

describe('CachedExecutor over chDB', () => {
  const held = new HeldAnswers(engine());
  const cache = new CachedExecutor(held);
  const store = new ClickHouseAnomalyStore(cache, 'l1t_cache_test');
  beforeAll(() => store.migrate());

  it('answers a repeated read from memory and never a stale one after an insert, a replace or a delete', async () => {
    const a = fullAnomaly({ file_id: 'cf1', session_id: 'cs1', severity: 'minor' });
    await store.insertAnomalies([a]);
    const first = await store.queryAnomalies({ sessionId: 'cs1' });
    expect(first.total).toBe(1);
    const before = cache.stats;
    expect(await store.queryAnomalies({ sessionId: 'cs1' })).toEqual(first);
    expect(cache.stats.hits).toBe(before.hits + 2); // the page and the count
    expect(cache.stats.misses).toBe(before.misses);

    const b = fullAnomaly({ file_id: 'cf2', session_id: 'cs1', severity: 'critical' });
    await store.insertAnomalies([b]);
    const second = await store.queryAnomalies({ sessionId: 'cs1' });
    expect(second.total).toBe(2);
    expect(second.items.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
    expect((await store.summarizeAnomalies({ sessionId: 'cs1' })).bySeverity).toEqual({ minor: 1, critical: 1 });

    const c = fullAnomaly({ file_id: 'cf1', session_id: 'cs1', severity: 'info' });
    await store.replaceFileResults(['cf1'], [c], []);
    const third = await store.queryAnomalies({ sessionId: 'cs1' });
    expect(third.items.map((x) => x.id).sort()).toEqual([b.id, c.id].sort());
    expect((await store.summarizeAnomalies({ sessionId: 'cs1' })).bySeverity).toEqual({ info: 1, critical: 1 });

    await store.deleteFileResults(['cf1', 'cf2']);
    expect(await store.queryAnomalies({ sessionId: 'cs1' })).toEqual({ items: [], total: 0 });
    expect(await store.countBySession(['cs1'])).toEqual({ cs1: 0 });
  });

  it('does not keep an answer computed before a write that ended while it was delivered', async () => {
    const a = fullAnomaly({ file_id: 'hf1', session_id: 'hs1' });
    await store.insertAnomalies([a]);
    held.hold();
    const early = store.queryAnomalies({ sessionId: 'hs1' }); // computed now, delivered after the insert
    await new Promise((r) => setTimeout(r, 200));
    const b = fullAnomaly({ file_id: 'hf1', session_id: 'hs1' });
    const writing = store.insertAnomalies([b]);
    held.release();
    await writing;
    expect((await early).total).toBeGreaterThanOrEqual(1);
    const after = await store.queryAnomalies({ sessionId: 'hs1' });
    expect(after.total).toBe(2);
    expect(after.items.map((x) => x.id).sort()).toEqual([a.id, b.id].sort());
  });

  it('runs identical reads in flight once and shares the answer', async () => {
    await store.insertAnomalies([fullAnomaly({ file_id: 'sf1', session_id: 'ss1' })]);
    const sql = `SELECT count() AS n FROM l1t_cache_test.anomalies WHERE session_id = {s:String}`;
    const executed = held.executed;
    const before = cache.stats;
    const answers = await Promise.all(Array.from({ length: 5 }, () => cache.query<{ n: string }>(sql, { s: 'ss1' })));
    expect(answers.map((r) => Number(r[0]!.n))).toEqual([1, 1, 1, 1, 1]);
    expect(held.executed - executed).toBe(1);
    expect(cache.stats.shared - before.shared).toBe(4);
    // Each caller gets rows of its own: changing one answer changes no other.
    (answers[0]![0] as { n: string }).n = 'changed';
    expect((await cache.query<{ n: string }>(sql, { s: 'ss1' }))[0]!.n).not.toBe('changed');
  });

  it('one caller giving up does not fail the others; the query is cancelled when all have', async () => {
    const sql = `SELECT count() AS n, {k:UInt32} AS k FROM l1t_cache_test.anomalies`;
    held.hold();
    const gone = new AbortController();
    const leaving = cache.query(sql, { k: 1 }, gone.signal);
    const staying = cache.query<{ k: number }>(sql, { k: 1 });
    gone.abort(new Error('client went away'));
    await expect(leaving).rejects.toThrow('client went away');
    held.release();
    expect((await staying)[0]!.k).toBe(1);

    const only = new AbortController();
    held.hold();
    const alone = cache.query(sql, { k: 2 }, only.signal);
    only.abort(new Error('gone'));
    held.release();
    await expect(alone).rejects.toThrow('gone');
    await expect(cache.query(sql, { k: 3 }, AbortSignal.abort(new Error('already')))).rejects.toThrow('already');
  });

  it('never caches system tables or clock-dependent reads', async () => {
    const before = cache.stats;
    for (let i = 0; i < 2; i++) {
      await cache.query('SELECT count() AS n FROM system.mutations');
      await cache.query('SELECT now64(9) AS t');
    }
    expect(cache.stats.hits).toBe(before.hits);
  });
});
