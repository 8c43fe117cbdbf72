import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newFile } from '../test-support/metadata-store-suite.js';
import { DrizzleMetadataStore } from './drizzle-metadata-store.js';
import { openPglite } from './pg-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'l1t-pglite-cache-'));
let store: DrizzleMetadataStore;
beforeAll(async () => {
  store = new DrizzleMetadataStore(await openPglite(join(dir, 'postgres')));
  await store.migrate();
}, 600_000); // PGlite's start and migrations take minutes on a loaded 2-core host
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const hash = () => randomUUID().replaceAll('-', '').padEnd(64, '0');

describe('PGlite read caches (token look-ups, statuses): never stale after a write', () => {
  it('a revoked or deleted token stops authenticating at once, though it was just verified', async () => {
    const user = await store.createUser({ username: `u-${randomUUID()}`, passwordHash: 'x', role: 'engineer' });
    const h1 = hash();
    await store.createApiToken({ userId: user.id, tokenHash: h1 });
    expect((await store.findUserByTokenHash(h1))?.userId).toBe(user.id);
    expect((await store.findUserByTokenHash(h1))?.userId).toBe(user.id);
    expect(await store.revokeApiTokenByHash(h1)).toBe(true);
    expect(await store.findUserByTokenHash(h1)).toBeUndefined();

    const h2 = hash();
    const t2 = await store.createApiToken({ userId: user.id, tokenHash: h2 });
    expect((await store.findUserByTokenHash(h2))?.role).toBe('engineer');
    await store.deleteApiToken(t2.id);
    expect(await store.findUserByTokenHash(h2)).toBeUndefined();
  });

  it('an expired token stops authenticating though its look-up was cached', async () => {
    const user = await store.createUser({ username: `u-${randomUUID()}`, passwordHash: 'x', role: 'viewer' });
    const h = hash();
    const expiresAt = new Date(Date.now() + 30_000);
    await store.createApiToken({ userId: user.id, tokenHash: h, expiresAt: expiresAt.toISOString() });
    expect((await store.findUserByTokenHash(h))?.userId).toBe(user.id);
    expect(await store.findUserByTokenHash(h, new Date(expiresAt.getTime() + 1))).toBeUndefined();
  });

  it('a status change shows on the next read of the same page', async () => {
    const ids = [randomUUID(), randomUUID(), randomUUID()];
    expect(await store.getAnomalyStatuses(ids)).toEqual({});
    await store.setAnomalyStatus({ anomalyId: ids[1]!, status: 'acknowledged' });
    expect(await store.getAnomalyStatuses(ids)).toEqual({ [ids[1]!]: 'acknowledged' });
    const copy = await store.getAnomalyStatuses(ids);
    copy[ids[0]!] = 'resolved'; // a caller's change stays its own
    expect(await store.getAnomalyStatuses(ids)).toEqual({ [ids[1]!]: 'acknowledged' });
    await store.setAnomalyStatus({ anomalyId: ids[1]!, status: 'resolved' });
    expect(await store.getAnomalyStatuses(ids)).toEqual({ [ids[1]!]: 'resolved' });
  });

  it('a PostgreSQL-server store and readCache: false read every time', async () => {
    const plain = new DrizzleMetadataStore(await openPglite(), { readCache: false });
    await plain.migrate();
    const user = await plain.createUser({ username: 'p', passwordHash: 'x', role: 'admin' });
    const h = hash();
    await plain.createApiToken({ userId: user.id, tokenHash: h });
    expect((await plain.findUserByTokenHash(h))?.userId).toBe(user.id);
    // Deleted behind the repository's back (as another pod would): seen at once without a cache.
    await plain.db.execute(sql`DELETE FROM api_tokens WHERE token_hash = ${h}`);
    expect(await plain.findUserByTokenHash(h)).toBeUndefined();
    await plain.close();
  }, 600_000);
});

describe('countDoneFilesByWeek', () => {
  it('counts done files per week by finished time, with findings, per session, as the file list shows them', async () => {
    const end = Date.parse('2026-12-01T00:00:00.000Z');
    const week = 7 * 86_400_000;
    const session = randomUUID();
    await store.createSession({ id: session, name: 's', startedAt: new Date(end - week).toISOString() });
    const put = async (finishedMs: number, anomalyCount: number, status: 'done' | 'failed' = 'done', sid = session) => {
      const f = await store.upsertFile(newFile({ sessionId: sid }));
      await store.updateFile(f.id, { status, anomalyCount, finishedAt: new Date(finishedMs).toISOString() });
    };
    await put(end, 2); // the window's last millisecond: this week
    await put(end - 1, 0);
    await put(end - week, 1); // exactly a week before: the week before
    await put(end - week - 1, 0);
    await put(end - 2 * week, 5); // outside both windows
    await put(end + 1, 3); // after the end
    await put(end - 10, 4, 'failed'); // not done
    await put(end - 10, 4, 'done', randomUUID()); // another session
    expect(await store.countDoneFilesByWeek(end, week, session)).toEqual({ files: [2, 2], withFindings: [1, 1] });
    const all = await store.countDoneFilesByWeek(end, week);
    expect(all.files[0]).toBeGreaterThanOrEqual(3);
    expect(all.withFindings[0]).toBeGreaterThanOrEqual(2);

    // The same numbers as the listing the dashboard used to walk.
    const listed = (await store.listFiles({ status: 'done', sessionId: session, limit: 10_000 })).items;
    const inWeek = (i: 0 | 1) =>
      listed.filter((f) => {
        const t = Date.parse(f.finished_at ?? f.created_at);
        return t <= end - i * week && t > end - (i + 1) * week;
      });
    expect([inWeek(0).length, inWeek(1).length]).toEqual([2, 2]);
    expect([inWeek(0), inWeek(1)].map((w) => w.filter((f) => f.anomaly_count > 0).length)).toEqual([1, 1]);
  });
});
