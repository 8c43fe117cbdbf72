import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';
import { AuthService } from '../services/auth-service.js';

type Stores = Awaited<ReturnType<typeof openStores>>;

const SIGNER = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/l1t/50dc6c495c0c9188';
const KID = '7b3a6f2e-1c2d-4e5f-8a9b-0c1d2e3f4a5b';

/** An ALB-style token: base64url segments padded with '=' as the ALB sends them, ES256 (r||s). */
function albToken(
  key: KeyObject,
  over: { header?: Record<string, unknown>; claims?: Record<string, unknown> } = {},
): string {
  const seg = (o: object) => {
    const b = Buffer.from(JSON.stringify(o)).toString('base64url');
    return b + '='.repeat((4 - (b.length % 4)) % 4);
  };
  const header = seg({
    typ: 'JWT',
    kid: KID,
    alg: 'ES256',
    iss: 'https://idp.example',
    client: 'c',
    signer: SIGNER,
    exp: Math.floor(Date.now() / 1000) + 60,
    ...over.header,
  });
  const payload = seg({
    sub: 'u-123',
    email: 'rf.engineer@example.com',
    exp: Math.floor(Date.now() / 1000) + 60,
    ...over.claims,
  });
  const sig = sign('sha256', Buffer.from(`${header}.${payload}`), { key, dsaEncoding: 'ieee-p1363' }).toString(
    'base64url',
  );
  return `${header}.${payload}.${sig}`;
}

describe('authentication: local users, API tokens and the AWS ALB OIDC identity', () => {
  let dir: string;
  let stores: Stores;
  let app: ReturnType<typeof createApp>;
  let keyServer: Server;
  const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const otherKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const keyRequests: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-auth-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent', L1T_AUTH: 'on' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    keyServer = createServer((req, res) => {
      keyRequests.push(req.url ?? '');
      if (req.url === `/${KID}`) res.end(keys.publicKey.export({ type: 'spki', format: 'pem' }));
      else res.writeHead(404).end();
    });
    await new Promise<void>((r) => keyServer.listen(0, '127.0.0.1', r));
    const base = `http://127.0.0.1:${(keyServer.address() as AddressInfo).port}`;
    app = createApp({
      config,
      stores,
      logger: createLogger('silent'),
      albOidc: { enabled: true, keyUrlBase: base, signerArn: SIGNER, role: 'engineer' },
    });
    await new AuthService(stores.metadata).addUser('admin', 'correct horse battery staple', 'admin');
  });

  afterAll(async () => {
    keyServer?.close();
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses every API route without credentials (401), but health, OpenAPI and login', async () => {
    const id = '00000000-0000-4000-8000-000000000001';
    const routes: [string, string][] = [
      ['get', '/api/config'],
      ['get', '/api/auth/me'],
      ['get', '/api/sessions'],
      ['get', `/api/sessions/${id}`],
      ['get', '/api/files'],
      ['post', '/api/files'],
      ['get', `/api/files/${id}`],
      ['get', `/api/files/${id}/events`],
      ['get', '/api/anomalies'],
      ['get', '/api/anomalies/export'],
      ['get', `/api/anomalies/${id}`],
      ['patch', `/api/anomalies/${id}/status`],
      ['get', `/api/anomalies/${id}/pcap`],
      ['get', `/api/anomalies/${id}/recommendation/stream`],
      ['get', `/api/anomalies/${id}/recommendations`],
      ['get', '/api/knowledge'],
      ['get', '/api/dashboard/summary'],
      ['get', `/api/metrics?file_id=${id}`],
      ['get', '/api/nope'],
    ];
    for (const [method, path] of routes) {
      const r = await (request(app) as unknown as Record<string, (p: string) => request.Test>)[method]!(path);
      expect(r.status, `${method} ${path}`).toBe(401);
      expect(r.body.error.code).toBe('unauthenticated');
    }
    expect((await request(app).get('/healthz')).status).toBe(200);
    expect((await request(app).get('/readyz')).status).toBe(200);
    expect((await request(app).get('/api/openapi.json')).status).toBe(200);
  });

  it('logs a local user in with a bcrypt-checked password and answers a working API token', async () => {
    const bad = await request(app).post('/api/auth/login').send({ username: 'admin', password: 'wrong' });
    expect(bad.status).toBe(401);
    expect((await request(app).post('/api/auth/login').send({ username: 'nobody', password: 'x' })).status).toBe(401);
    expect((await request(app).post('/api/auth/login').send({ username: 'admin' })).status).toBe(400);
    const ok = await request(app)
      .post('/api/auth/login')
      .send({ username: 'admin', password: 'correct horse battery staple' });
    expect(ok.status).toBe(200);
    expect(ok.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    expect(Date.parse(ok.body.expires_at)).toBeGreaterThan(Date.now());
    const me = await request(app).get('/api/auth/me').set('authorization', `Bearer ${ok.body.token}`);
    expect(me.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    const user = await stores.metadata.getUserByUsername('admin');
    expect(user!.passwordHash).toMatch(/^\$2[aby]\$11\$/);
  });

  it('trusts a valid ALB OIDC header, verified against the key fetched by kid', async () => {
    const r = await request(app).get('/api/config').set('x-amzn-oidc-data', albToken(keys.privateKey));
    expect(r.status).toBe(200);
    expect(r.body.user).toBe('rf.engineer@example.com');
    expect(keyRequests).toContain(`/${KID}`);
  });

  it('ignores the ALB header unless L1T_TRUST_ALB_OIDC is set', async () => {
    const untrusting = createApp({
      config: loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent', L1T_AUTH: 'on' }),
      stores,
      logger: createLogger('silent'),
      albOidc: { enabled: false, keyUrlBase: 'http://127.0.0.1:9', signerArn: SIGNER, role: 'engineer' },
    });
    expect(
      (await request(untrusting).get('/api/config').set('x-amzn-oidc-data', albToken(keys.privateKey))).status,
    ).toBe(401);
  });

  it('refuses a forged, expired, foreign or malformed ALB header with 401', async () => {
    const cases: [string, string][] = [
      ['other key', albToken(otherKeys.privateKey)],
      ['expired', albToken(keys.privateKey, { header: { exp: Math.floor(Date.now() / 1000) - 5 } })],
      ['other ALB', albToken(keys.privateKey, { header: { signer: SIGNER.replace('l1t', 'evil') } })],
      ['alg none', albToken(keys.privateKey, { header: { alg: 'none' } })],
      ['kid path', albToken(keys.privateKey, { header: { kid: '../../etc/passwd' } })],
      ['garbage', 'a.b.c'],
      [
        'tampered',
        albToken(keys.privateKey).replace(
          /\.[^.]+\./,
          `.${Buffer.from(JSON.stringify({ sub: 'x', email: 'admin@x', exp: 9e9 })).toString('base64url')}.`,
        ),
      ],
    ];
    for (const [what, token] of cases) {
      const r = await request(app).get('/api/config').set('x-amzn-oidc-data', token);
      expect(r.status, what).toBe(401);
    }
  });
});
