import { appendFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Metric } from '@l1t/contracts';
import { ChdbExecutor, ClickHouseAnomalyStore } from '@l1t/store';
import { SpoolFullError, StoreSpool } from './store-spool.js';

/**
 * The spool's promises on a real ClickHouse engine (embedded chDB): a process that dies leaves committed runs
 * to flush and uncommitted ones to forget; a flush cut off after a batch was stored but before it was marked
 * stores that batch once when it runs again (the insert deduplication token); the spool is bounded.
 */
describe('StoreSpool', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l1t-spool-'));
  let store: ClickHouseAnomalyStore;
  beforeAll(async () => {
    store = new ClickHouseAnomalyStore(new ChdbExecutor(join(dir, 'chdb')), 'l1t_spool');
    await store.migrate();
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const metrics = (fileId: string, n: number): Metric[] =>
    Array.from({ length: n }, (_, i) => ({
      timestamp: `2026-01-01T00:00:${String(i % 60).padStart(2, '0')}.000000000Z`,
      session_id: 's',
      file_id: fileId,
      source: 'timing' as const,
      name: 'spool_test',
      labels: { i: String(i) },
      value: i,
    }));
  const count = async (fileId: string): Promise<number> => (await store.queryMetrics({ fileId, limit: 10_000 })).length;

  it('keeps committed runs across a restart, forgets uncommitted ones, and stores a batch cut off mid-flush once', async () => {
    const spoolDir = join(dir, 'spool-a');
    const before = new StoreSpool(spoolDir);
    const done = before.run('file-a');
    await done.append({ kind: 'metrics', token: `${done.id}:1:m`, rows: metrics('file-a', 7) });
    await done.append({
      kind: 'metrics',
      token: `${done.id}:2:m`,
      rows: metrics('file-a', 3).map((m) => ({ ...m, value: 100 + m.value })),
    });
    await done.commit(null);
    const dead = before.run('file-b'); // its job never completed (the process died)
    await dead.append({ kind: 'metrics', token: `${dead.id}:1:m`, rows: metrics('file-b', 4) });
    expect(readdirSync(spoolDir)).toHaveLength(2);

    // The first batch reached ClickHouse, then the process died before marking it written.
    await store.insertMetrics(metrics('file-a', 7), { deduplicationToken: `${done.id}:1:m` });
    // A torn last line (the process died while writing it) is ignored.
    appendFileSync(join(spoolDir, `${done.id}.jsonl`), '{"seq":3,"kind":"metr');

    const after = new StoreSpool(spoolDir); // the next process
    expect(readdirSync(spoolDir)).toEqual([`${done.id}.jsonl`]);
    expect(after.pending).toEqual([expect.objectContaining({ fileId: 'file-a', rows: 10 })]);
    const { flushed, error } = await after.flush(store);
    expect(error).toBeUndefined();
    expect(flushed).toEqual([expect.objectContaining({ fileId: 'file-a', rows: 10 })]);
    expect(await count('file-a')).toBe(10);
    expect(await count('file-b')).toBe(0);
    expect(readdirSync(spoolDir)).toEqual([]);
    expect(after.bytes).toBe(0);
  });

  it('drops an earlier committed run of a file analysed again (its rows would land after the new ones)', async () => {
    const spool = new StoreSpool(join(dir, 'spool-b'));
    const old = spool.run('file-c');
    await old.append({ kind: 'metrics', token: `${old.id}:1:m`, rows: metrics('file-c', 2) });
    await old.commit(null);
    await spool.supersede('file-c');
    expect(spool.pending).toEqual([]);
    expect((await spool.flush(store)).flushed).toEqual([]);
    expect(await count('file-c')).toBe(0);
  });

  it('is bounded: a batch past L1T_SPOOL_MAX_MB is refused with SpoolFullError, and a discarded run frees its bytes', async () => {
    const spool = new StoreSpool(join(dir, 'spool-c'), { maxBytes: 4096 });
    const run = spool.run('file-d');
    await run.append({ kind: 'metrics', token: 't:1', rows: metrics('file-d', 5) });
    await expect(run.append({ kind: 'metrics', token: 't:2', rows: metrics('file-d', 40) })).rejects.toBeInstanceOf(
      SpoolFullError,
    );
    expect(spool.bytes).toBeGreaterThan(0);
    await run.discard();
    expect(spool.bytes).toBe(0);
    expect(readdirSync(join(dir, 'spool-c'))).toEqual([]);
  });
});
