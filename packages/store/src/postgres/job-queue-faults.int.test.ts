import { afterEach, describe, expect, it } from 'vitest';
import { DrizzleMetadataStore } from './drizzle-metadata-store.js';
import { openPglite } from './pg-connection.js';
import { lockTimeoutFromEnv } from './repos/job-queue.js';

/**
 * Issue #17 defects 4 and 10 on the embedded PostgreSQL (PGlite, the same SQL as a server): a killed worker's
 * job and file, who may finish a job, one active job per file.
 */
describe('job queue faults', () => {
  let store: DrizzleMetadataStore | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });

  async function open(opts: { jobLockTimeoutMs: number; jobMaxAttempts: number }) {
    store = new DrizzleMetadataStore(await openPglite(), opts);
    await store.migrate();
    const file = await store.upsertFile({
      id: '30000000-0000-4000-8000-000000000001',
      sessionId: null,
      name: 'big.pcap',
      path: '/data/uploads/ab/abcd',
      size: 1000,
      sha256: 'a'.repeat(64),
      format: 'pcap',
      formatDetail: null,
    });
    return { store, file };
  }
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('fails the file, not only the job, when a killed worker used the last attempt (it stayed "analysing" at 37 %)', async () => {
    const { store, file } = await open({ jobLockTimeoutMs: 1000, jobMaxAttempts: 1 });
    await store.enqueueJob(file.id);
    const job = await store.claimJob('killed');
    expect(job).toBeDefined();
    await store.updateFile(file.id, { status: 'analysing', progress: 0.37 });
    // kill -9: no heartbeat, no completion. Another worker looks after the lock timeout.
    await sleep(1300);
    expect(await store.claimJob('other')).toBeUndefined();
    expect((await store.getJob(job!.id))!.status).toBe('failed');
    const after = (await store.getFile(file.id))!;
    expect(after.status).toBe('failed');
    expect(after.error).toMatch(/abandoned/);
  });

  it('lets only the worker holding a job finish it, and tells a reclaimed worker it lost the job', async () => {
    const { store, file } = await open({ jobLockTimeoutMs: 1000, jobMaxAttempts: 3 });
    await store.enqueueJob(file.id);
    const job = (await store.claimJob('slow'))!;
    await sleep(1300);
    const reclaimed = (await store.claimJob('fresh'))!;
    expect(reclaimed.id).toBe(job.id);
    expect(await store.heartbeatJob(job.id, 'slow')).toBe(false);
    expect(await store.completeJob(job.id, { ok: true }, 'slow')).toBe(false);
    expect((await store.getJob(job.id))!.status).toBe('running');
    expect(await store.completeJob(job.id, { ok: true }, 'fresh')).toBe(true);
    expect((await store.getJob(job.id))!.status).toBe('done');
  });

  it('queues one job per file however many enqueue it at once', async () => {
    const { store, file } = await open({ jobLockTimeoutMs: 60_000, jobMaxAttempts: 3 });
    const results = await Promise.all([1, 2, 3, 4].map(() => store.enqueueJobOnce(file.id, {})));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    // Once it is done, the file may be queued again (a re-analysis).
    const job = (await store.claimJob('w'))!;
    await store.completeJob(job.id, { ok: true }, 'w');
    expect((await store.enqueueJobOnce(file.id, {})).created).toBe(true);
  });

  it('takes the lock timeout from L1T_JOB_LOCK_TIMEOUT_S', () => {
    expect(lockTimeoutFromEnv({})).toBeUndefined();
    expect(lockTimeoutFromEnv({ L1T_JOB_LOCK_TIMEOUT_S: '120' })).toBe(120_000);
    expect(() => lockTimeoutFromEnv({ L1T_JOB_LOCK_TIMEOUT_S: '1' })).toThrow(/L1T_JOB_LOCK_TIMEOUT_S/);
  });
});
