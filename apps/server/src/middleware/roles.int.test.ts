import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';
import { hashToken } from './auth.js';
import { writeAction } from './roles.js';

type Stores = Awaited<ReturnType<typeof openStores>>;
const MISSING = '00000000-0000-4000-8000-00000000abcd';

describe('roles: viewers read, engineers and admins change', () => {
  let dir: string;
  let stores: Stores;
  let app: ReturnType<typeof createApp>;
  const tokens: Record<'admin' | 'engineer' | 'viewer', string> = {
    admin: 'l1t_role_admin_0123456789abcdef',
    engineer: 'l1t_role_engineer_0123456789abcdef',
    viewer: 'l1t_role_viewer_0123456789abcdef',
  };
  const as = (role: keyof typeof tokens) => ({ authorization: `Bearer ${tokens[role]}` });

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-roles-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent', L1T_AUTH: 'on' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    app = createApp({ config, stores, logger: createLogger('silent') });
    for (const role of ['admin', 'engineer', 'viewer'] as const) {
      const user = await stores.metadata.createUser({ username: `role-${role}`, passwordHash: 'x', role });
      await stores.metadata.createApiToken({ userId: user.id, name: 't', tokenHash: hashToken(tokens[role]) });
    }
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lets a viewer read', async () => {
    for (const path of ['/api/anomalies', '/api/dashboard/summary', '/api/sessions', '/api/files', '/api/knowledge'])
      expect((await request(app).get(path).set(as('viewer'))).status, path).toBe(200);
    expect((await request(app).get('/api/auth/me').set(as('viewer'))).body.user).toMatchObject({ role: 'viewer' });
  });

  it('refuses a viewer every change with 403 forbidden', async () => {
    const denied = [
      request(app).post('/api/files').set(as('viewer')),
      request(app).patch(`/api/anomalies/${MISSING}/status`).set(as('viewer')).send({ status: 'acknowledged' }),
      request(app).post('/api/knowledge').set(as('viewer')).send({ title: 'x', body: 'y' }),
      request(app).put('/api/knowledge/seq_gap').set(as('viewer')).send({ title: 'x', body: 'y' }),
      request(app).delete('/api/knowledge/seq_gap').set(as('viewer')),
      request(app).get(`/api/anomalies/${MISSING}/recommendation/stream?regenerate=1`).set(as('viewer')),
      request(app).get(`/api/anomalies/${MISSING}/recommendation/stream?regenerate=true`).set(as('viewer')),
    ];
    for (const [i, res] of (await Promise.all(denied)).entries()) {
      expect(res.status, `denied request #${i}`).toBe(403);
      expect(res.body.error.code).toBe('forbidden');
      expect(res.body.error.message).toContain('viewer');
    }
    // Reading a cached recommendation is a read.
    expect((await request(app).get(`/api/anomalies/${MISSING}/recommendation/stream`).set(as('viewer'))).status).toBe(
      404,
    );
  });

  it('lets engineers and admins through to the route (which then answers on its own terms)', async () => {
    for (const role of ['engineer', 'admin'] as const) {
      const status = await request(app)
        .patch(`/api/anomalies/${MISSING}/status`)
        .set(as(role))
        .send({ status: 'acknowledged' });
      expect([403, 401]).not.toContain(status.status);
      const created = await request(app)
        .post('/api/knowledge')
        .set(as(role))
        .send({ title: `Notes of the ${role}`, body: 'text' });
      expect(created.status).toBe(201);
      expect((await request(app).delete(`/api/knowledge/${created.body.id}`).set(as(role))).status).toBe(204);
      const regen = await request(app)
        .get(`/api/anomalies/${MISSING}/recommendation/stream?regenerate=1`)
        .set(as(role));
      expect(regen.status).toBe(404);
      const upload = await request(app).post('/api/files').set(as(role));
      expect([403, 401]).not.toContain(upload.status);
    }
  });

  it('refuses anonymous changes with 401 before roles apply', async () => {
    expect((await request(app).post('/api/files')).status).toBe(401);
  });
});

describe('writeAction', () => {
  it('classifies reads, the user’s own auth calls and writes', () => {
    expect(writeAction('GET', '/anomalies', {})).toBeUndefined();
    expect(writeAction('HEAD', '/files/x', {})).toBeUndefined();
    expect(writeAction('POST', '/auth/login', {})).toBeUndefined();
    expect(writeAction('POST', '/files', {})).toBe('upload files');
    expect(writeAction('PATCH', '/anomalies/a/status', {})).toBe('change the status of anomalies');
    expect(writeAction('PUT', '/knowledge/x', {})).toBe('change the knowledge base');
    expect(writeAction('GET', '/anomalies/a/recommendation/stream', { regenerate: '0' })).toBeUndefined();
    expect(writeAction('GET', '/anomalies/a/recommendation/stream', { regenerate: '1' })).toBe(
      'regenerate recommendations',
    );
    expect(writeAction('DELETE', '/something/new', {})).toBe('change data');
  });
});
