import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { JobRunner } from '@l1t/pipeline';
import { openStores } from '@l1t/store';
import { buildPcap } from '../../../../packages/capture/src/test-support/pcap-builder.js';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';

/** Issue 16: 11 files uploaded in one batch became 11 sessions. A batch (one `batch` id) is one session. */
const capture = (seed: number, n: number): Buffer =>
  Buffer.from(
    buildPcap({
      packets: Array.from({ length: n }, (_, i) => ({
        tsSec: 1_790_000_000,
        tsFrac: i,
        data: new Uint8Array(80).fill(seed + i),
      })),
    }),
  );

describe('batch uploads', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-upload-batch-'));
    const config = loadConfig({ L1T_DATA_DIR: dir });
    stores = await openStores(config);
    app = createApp({ config, stores, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records every file of one batch in one session named by the user, with the batch totals', async () => {
    const batch = '5f0c2d1e-8a4b-4c3d-9e2f-1a2b3c4d5e6f';
    const ids: string[] = [];
    for (const [i, n] of [3, 4, 5].entries()) {
      const r = await request(app)
        .post('/api/files')
        .field('session', 'lab DU1 night run')
        .field('batch', batch)
        .attach('file', capture(i * 16, n), { filename: `du1-${i}.pcap` });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    // Listed at once, before any analysis, as one session holding the three files.
    const queued = await request(app).get(`/api/files?session_id=${batch}`);
    expect(queued.body.total).toBe(3);

    expect(await new JobRunner(stores, { workerId: 't' }).drain()).toBe(3);
    const sessions = (await request(app).get('/api/sessions')).body.items as { id: string; name: string }[];
    expect(sessions.map((s) => s.id)).toEqual([batch]);
    const session = await request(app).get(`/api/sessions/${batch}`);
    expect(session.body).toMatchObject({
      id: batch,
      name: 'lab DU1 night run',
      status: 'done',
      files_processed: 3,
      files_failed: 0,
    });
    const files = await request(app).get(`/api/files?session_id=${batch}`);
    expect(files.body.items.map((f: { id: string }) => f.id).sort()).toEqual([...ids].sort());
  });

  it('without a batch id each upload still gets a session of its own', async () => {
    const r = await request(app).post('/api/files').attach('file', capture(200, 2), { filename: 'alone.pcap' });
    expect(r.status).toBe(202);
    expect(await new JobRunner(stores, { workerId: 't' }).drain()).toBe(1);
    const sessions = (await request(app).get('/api/sessions')).body.items as { name: string }[];
    expect(sessions).toHaveLength(2);
  });
});
