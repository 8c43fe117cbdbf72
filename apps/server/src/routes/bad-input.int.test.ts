import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';

/** Issue #17 defect 7: values the stores cannot take are a 400 naming the parameter, never a 500. */
describe('bad query values are 400s', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-bad-input-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    app = createApp({ config, stores, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const probes: [string, string][] = [
    ['/api/anomalies?from=2300-01-01', 'from'],
    ['/api/anomalies?from=99999', 'from'],
    ['/api/anomalies?to=1800-01-01T00:00:00Z', 'to'],
    ['/api/anomalies?from=2262-04-12T00:00:00Z', 'from'],
    ['/api/anomalies?session_id=a%00b', 'session_id'],
    ['/api/anomalies?file_id=%00', 'file_id'],
    ['/api/anomalies?q=x%00y', 'q'],
    ['/api/knowledge?q=x%00y', 'q'],
    ['/api/dashboard/summary?from=2300-01-01', 'from'],
    ['/api/dashboard/summary?session_id=%00', 'session_id'],
  ];

  for (const [url, param] of probes)
    it(`GET ${url} → 400 naming ${param}`, async () => {
      const res = await request(app).get(url);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(param);
    });

  it('still takes the times ClickHouse holds', async () => {
    for (const url of [
      '/api/anomalies?from=1900-01-02T00:00:00Z',
      '/api/anomalies?to=2262-04-10T23:59:59Z',
      '/api/anomalies?from=2026-01-01',
    ])
      expect((await request(app).get(url)).status, url).toBe(200);
  });
});
