import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { buildPcap } from '../../../../packages/capture/src/test-support/pcap-builder.js';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';

/** Issue #17 defect 4 through the upload route: a failed file can be retried, a file is queued once. */
describe('uploads and the job queue', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let app: ReturnType<typeof createApp>;
  const capture = (seed: number) =>
    Buffer.from(buildPcap({ packets: [{ tsSec: 1_790_000_000, tsFrac: seed, data: new Uint8Array(80).fill(seed) }] }));
  const jobsOf = async (fileId: string) =>
    (
      await stores.metadata
        .sqlClient()
        .query({ text: 'SELECT status FROM analysis_jobs WHERE file_id = $1 ORDER BY created_at', values: [fileId] })
    ).rows.map((r) => r.status);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-upload-queue-'));
    const config = loadConfig({ L1T_DATA_DIR: dir });
    stores = await openStores(config);
    app = createApp({ config, stores, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('analyses two identical uploads sent at once once', async () => {
    const bytes = capture(1);
    const [a, b] = await Promise.all([
      request(app).post('/api/files').attach('file', bytes, { filename: 'a.pcap' }),
      request(app).post('/api/files').attach('file', bytes, { filename: 'b.pcap' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 202]);
    expect(a.body.id).toBe(b.body.id);
    expect(await jobsOf(a.body.id)).toEqual(['queued']);
  });

  it('queues a failed file again when it is uploaded again (it answered the stuck record)', async () => {
    const bytes = capture(2);
    const first = await request(app).post('/api/files').attach('file', bytes, { filename: 'c.pcap' });
    expect(first.status).toBe(202);
    // As the queue leaves a job whose worker was killed on its last attempt (job-queue-faults.int.test.ts).
    await stores.metadata.sqlClient().query({
      text: "UPDATE analysis_jobs SET status = 'failed', error = 'abandoned: lock expired' WHERE file_id = $1",
      values: [first.body.id],
    });
    await stores.metadata.updateFile(first.body.id, { status: 'failed', error: 'analysis abandoned' });
    const again = await request(app).post('/api/files').attach('file', bytes, { filename: 'c.pcap' });
    expect(again.status).toBe(202);
    expect(again.body).toMatchObject({ id: first.body.id, status: 'queued', error: null });
    expect(await jobsOf(first.body.id)).toEqual(['failed', 'queued']);
    // Uploaded a third time while queued: the same record, no second job.
    const third = await request(app).post('/api/files').attach('file', bytes, { filename: 'c.pcap' });
    expect(third.status).toBe(200);
    expect(await jobsOf(first.body.id)).toEqual(['failed', 'queued']);
  });
});
