import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { DrizzleMetadataStore, openPgServer, openStores } from '@l1t/store';
import { createApp } from './app.js';
import { createLogger } from './logger.js';

/** Issue #17 "Faults": PostgreSQL unreachable is a 503 with Retry-After, not a 500. */
describe('a store that cannot be reached', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let down: DrizzleMetadataStore;
  let port: number;
  let closer: Server;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-store-down-'));
    stores = await openStores(loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' }));
    // A port nothing listens on: taken, then released.
    closer = createServer();
    await new Promise<void>((r) => closer.listen(0, '127.0.0.1', () => r()));
    port = (closer.address() as { port: number }).port;
    await new Promise<void>((r) => closer.close(() => r()));
    down = new DrizzleMetadataStore(
      await openPgServer(`postgres://l1t:x@127.0.0.1:${port}/l1t`, { connectTimeoutMs: 1000 }),
    );
  });
  afterAll(async () => {
    await down?.close().catch(() => undefined);
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 503 with Retry-After when PostgreSQL refuses connections', async () => {
    const app = createApp({
      config: loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' }),
      stores: { ...stores, metadata: down, ready: stores.ready.bind(stores) },
      logger: createLogger('silent'),
    });
    for (const path of ['/api/files', '/api/knowledge']) {
      const res = await request(app).get(path);
      expect(res.status, path).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body.error.code).toBe('unavailable');
    }
  });
});
