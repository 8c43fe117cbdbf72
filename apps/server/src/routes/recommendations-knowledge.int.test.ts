import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '@l1t/advisor';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';
import { hashToken } from '../middleware/auth.js';

describe('knowledge API on real embedded stores', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let server: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-kb-api-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    await loadKnowledgeBase(stores.metadata);
    server = createApp({ config, stores, logger: createLogger('silent') });
  });

  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists, searches, creates, updates and deletes documents through the API (zod-validated)', async () => {
    const list = await request(server).get('/api/knowledge');
    expect(list.status).toBe(200);
    expect(list.body.total).toBeGreaterThanOrEqual(38);
    expect(list.body.items.find((d: { slug: string }) => d.slug === 'seq_gap')).toMatchObject({
      anomaly_type: 'seq_gap',
      builtin: true,
      edited: false,
    });
    const one = await request(server).get('/api/knowledge/ptp_clock_degraded');
    expect(one.body.body).toContain('G.8275.1');
    const found = await request(server).get('/api/knowledge?q=grandmaster');
    expect(found.body.items[0].slug).toMatch(/^ptp_/);

    const created = await request(server)
      .post('/api/knowledge')
      .send({ title: 'Site 12 switch quirks', body: 'Port 7 drops PTP under load.', tags: ['site-12'] });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: 'site-12-switch-quirks',
      builtin: false,
      tags: ['site-12'],
      anomaly_type: null,
    });
    expect(
      (await request(server).post('/api/knowledge').send({ slug: 'site-12-switch-quirks', title: 'x', body: 'y' }))
        .status,
    ).toBe(409);
    expect((await request(server).post('/api/knowledge').send({ title: '', body: 'y' })).status).toBe(400);
    expect((await request(server).post('/api/knowledge').send({ title: 'x', body: 'y', extra: 1 })).status).toBe(400);

    const updated = await request(server)
      .put('/api/knowledge/site-12-switch-quirks')
      .send({ title: 'Site 12', anomaly_type: 'ptp_sync_gap', body: 'Port 7.', tags: [] });
    expect(updated.body).toMatchObject({ title: 'Site 12', anomaly_type: 'ptp_sync_gap', body: 'Port 7.' });
    const edited = await request(server)
      .put('/api/knowledge/seq_gap')
      .send({ title: 'Sequence gaps (ours)', anomaly_type: 'seq_gap', body: '## Meaning\nlocal' });
    expect(edited.body).toMatchObject({ builtin: true, edited: true });
    expect((await request(server).put('/api/knowledge/nope').send({ title: 'x', body: 'y' })).status).toBe(404);

    expect((await request(server).delete('/api/knowledge/site-12-switch-quirks')).status).toBe(204);
    expect((await request(server).get('/api/knowledge/site-12-switch-quirks')).status).toBe(404);
    expect((await request(server).delete('/api/knowledge/site-12-switch-quirks')).status).toBe(404);
    expect((await request(server).get('/api/knowledge/BAD%20slug')).status).toBe(400);
  });

  it('lets viewers read but not change the knowledge base', async () => {
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent', L1T_AUTH: 'on' });
    const secured = createApp({ config, stores, logger: createLogger('silent') });
    const viewer = await stores.metadata.createUser({ username: 'watcher', passwordHash: 'x', role: 'viewer' });
    await stores.metadata.createApiToken({
      userId: viewer.id,
      name: 't',
      tokenHash: hashToken('l1t_viewer_token_0123456789'),
    });
    const auth = { authorization: 'Bearer l1t_viewer_token_0123456789' };
    expect((await request(secured).get('/api/knowledge/seq_gap').set(auth)).status).toBe(200);
    const denied = await request(secured).post('/api/knowledge').set(auth).send({ title: 'x', body: 'y' });
    expect(denied.status).toBe(403);
    expect(denied.body.error.code).toBe('forbidden');
    expect((await request(secured).delete('/api/knowledge/seq_gap').set(auth)).status).toBe(403);
    expect((await request(secured).get('/api/knowledge')).status).toBe(401);
  });
});
