import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
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

type Stores = Awaited<ReturnType<typeof openStores>>;

const capture = Buffer.from(
  buildPcap({ packets: Array.from({ length: 5 }, (_, i) => ({ tsSec: 1_790_000_000, tsFrac: i, data: new Uint8Array(80).fill(i) })) }),
);

describe('uploads', () => {
  let dir: string;
  let stores: Stores;
  let app: ReturnType<typeof createApp>;
  let queued = 0;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-upload-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_UPLOAD_MAX_BYTES: '4096' });
    stores = await openStores(config);
    app = createApp({ config, stores, logger: createLogger('silent'), onJobQueued: () => queued++ });
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('streams a capture to disk, recognises it by content and queues its analysis; the same bytes answer the existing record', async () => {
    const first = await request(app).post('/api/files').attach('file', capture, { filename: '../../etc/du1.bin' });
    expect(first.status).toBe(202);
    expect(first.body).toMatchObject({ status: 'queued', name: 'du1.bin', format: 'pcap', size: capture.length });
    expect(queued).toBe(1);
    const again = await request(app).post('/api/files').attach('file', capture, { filename: 'copy.pcap' });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
    expect(queued).toBe(1);
    expect(readdirSync(join(dir, 'uploads/tmp'))).toEqual([]);

    // Analysis by a worker, then the event stream reports the end state.
    expect(await new JobRunner(stores, { workerId: 't' }).drain()).toBe(1);
    const events = await request(app).get(`/api/files/${first.body.id}/events`);
    expect(events.headers['content-type']).toContain('text/event-stream');
    expect(events.text).toMatch(/^event: progress\ndata: \{"id":"[^"]+","status":"done","progress":1,/);
    expect(events.text).toContain('event: done\n');
    const file = await request(app).get(`/api/files/${first.body.id}`);
    expect(file.body).toMatchObject({ status: 'done', packet_count: 5 });
  });

  it('refuses what it cannot analyse, too large or missing files, and keeps no partial upload', async () => {
    const random = await request(app).post('/api/files').attach('file', Buffer.alloc(300, 0x9c), { filename: 'x.pcap' });
    expect(random.status).toBe(415);
    expect(random.body.error.code).toBe('unrecognised_format');
    const big = await request(app).post('/api/files').attach('file', Buffer.concat([capture, Buffer.alloc(5000)]), { filename: 'big.pcap' });
    expect(big.status).toBe(413);
    const none = await request(app).post('/api/files').field('session', 'x');
    expect(none.status).toBe(400);
    const notMultipart = await request(app).post('/api/files').send({ file: 'x' });
    expect(notMultipart.status).toBe(400);
    expect(readdirSync(join(dir, 'uploads/tmp'))).toEqual([]);
    expect(existsSync(join(dir, 'uploads'))).toBe(true);
    expect((await request(app).get('/api/files/00000000-0000-4000-8000-000000000000/events')).status).toBe(404);
  });
});
