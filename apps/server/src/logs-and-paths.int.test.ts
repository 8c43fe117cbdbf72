import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { buildPcap } from '../../../packages/capture/src/test-support/pcap-builder.js';
import { createApp } from './app.js';
import { createLogger } from './logger.js';

/** Issue #17 defect 8: no identity headers in the logs, no server disk paths in API answers. */
describe('what the logs and the API reveal', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let app: ReturnType<typeof createApp>;
  const lines: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-reveal-'));
    const config = loadConfig({ L1T_DATA_DIR: dir });
    stores = await openStores(config);
    const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
    app = createApp({ config, stores, logger });
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redacts the ALB identity headers and the bearer token in request logs', async () => {
    await request(app)
      .get('/api/sessions')
      .set('x-amzn-oidc-accesstoken', 'ACCESS-SECRET-123')
      .set('x-amzn-oidc-data', 'DATA-SECRET-456')
      .set('x-amzn-oidc-identity', 'IDENTITY-SECRET-789')
      .set('authorization', 'Bearer TOKEN-SECRET-000');
    const log = lines.join('');
    expect(log).toContain('/api/sessions');
    for (const secret of ['ACCESS-SECRET-123', 'DATA-SECRET-456', 'IDENTITY-SECRET-789', 'TOKEN-SECRET-000'])
      expect(log).not.toContain(secret);
  });

  it('shows no server disk path in file records', async () => {
    const capture = Buffer.from(
      buildPcap({ packets: [{ tsSec: 1_790_000_000, tsFrac: 0, data: new Uint8Array(80) }] }),
    );
    const up = await request(app).post('/api/files').attach('file', capture, { filename: 'a.pcap' });
    expect(up.status).toBe(202);
    expect(up.body.path).toBeNull();
    const list = await request(app).get('/api/files');
    expect(list.body.items.length).toBe(1);
    expect(list.body.items[0].path).toBeNull();
    expect((await request(app).get(`/api/files/${up.body.id}`)).body.path).toBeNull();
    expect(JSON.stringify(list.body)).not.toContain(dir);
    // The store keeps it (the worker and the pcap export need it).
    expect((await stores.metadata.getFile(up.body.id))!.path).toContain(dir);
  });
});
