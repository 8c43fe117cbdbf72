import { describe, expect, it } from 'vitest';
import { REQUIRE_ALL_SUITES } from '../../../../test-support/shared.js';
import { metadataStoreSuite, newFile } from '../test-support/metadata-store-suite.js';
import { createTestDatabase } from '../test-support/postgres-server.js';
import { POSTGRES_MIGRATIONS } from '../migrations/postgres/index.js';
import { DrizzleMetadataStore } from './drizzle-metadata-store.js';
import { openPgServer } from './pg-connection.js';

// A real PostgreSQL server from DATABASE_URL; without one the suite is skipped, unless CI demands every suite.
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl && REQUIRE_ALL_SUITES)
  throw new Error('DATABASE_URL is not set and L1T_REQUIRE_ALL_SUITES=1: the PostgreSQL suite must run');

let testDb: Awaited<ReturnType<typeof createTestDatabase>> | undefined;

metadataStoreSuite(
  'PostgreSQL server (pg Pool, DATABASE_URL)',
  serverUrl
    ? {
        open: async () => {
          testDb = await createTestDatabase(serverUrl);
          return new DrizzleMetadataStore(await openPgServer(testDb.url));
        },
        openAnother: async () => new DrizzleMetadataStore(await openPgServer(testDb!.url)),
        cleanup: async () => testDb?.drop(),
      }
    : undefined,
);

describe.runIf(serverUrl !== undefined)('PostgreSQL server migrations', () => {
  it('applies each migration exactly once when several pods start together (advisory lock)', async () => {
    const db = await createTestDatabase(serverUrl!);
    const pods = await Promise.all(
      [1, 2, 3, 4].map(async () => new DrizzleMetadataStore(await openPgServer(db.url, { max: 2 }))),
    );
    try {
      const applied = await Promise.all(pods.map((p) => p.migrate()));
      const shipped = POSTGRES_MIGRATIONS.map((m) => m.version);
      expect(applied.filter((a) => a.length > 0)).toEqual([shipped]);
      expect(applied.flat()).toEqual(shipped);
    } finally {
      await Promise.all(pods.map((p) => p.close()));
      await db.drop();
    }
  });

  it('never hands one job to two pods claiming at the same time (FOR UPDATE SKIP LOCKED across pools)', async () => {
    const db = await createTestDatabase(serverUrl!);
    const pods = await Promise.all(
      [1, 2].map(async () => new DrizzleMetadataStore(await openPgServer(db.url, { max: 4 }))),
    );
    try {
      await pods[0]!.migrate();
      const file = await pods[0]!.upsertFile(newFile());
      const enqueued = new Set<string>();
      for (let i = 0; i < 40; i++) enqueued.add((await pods[0]!.enqueueJob(file.id, { i })).id);
      const claims: { job: string; worker: string }[] = [];
      const worker = async (pod: DrizzleMetadataStore, name: string) => {
        for (let j = await pod.claimJob(name); j; j = await pod.claimJob(name)) {
          claims.push({ job: j.id, worker: name });
          await pod.completeJob(j.id, { ok: true });
        }
      };
      await Promise.all(pods.flatMap((pod, p) => [0, 1, 2, 3].map((w) => worker(pod, `pod${p}-w${w}`))));
      expect(claims).toHaveLength(40);
      expect(new Set(claims.map((c) => c.job))).toEqual(enqueued);
      // Both pods did work: the claims really interleaved.
      expect(new Set(claims.map((c) => c.worker.slice(0, 4))).size).toBe(2);
    } finally {
      await Promise.all(pods.map((p) => p.close()));
      await db.drop();
    }
  });
});
