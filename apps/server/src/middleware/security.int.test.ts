import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Anomaly } from '@l1t/contracts';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';
import { runServer } from '../run.js';
import { hostName, loadHttpSecurity } from './security.js';

const GAP: Anomaly = {
  id: '00000000-0000-4000-8000-0000000000a1',
  type: 'seq_gap',
  source: 'fronthaul',
  severity: 'critical',
  confidence: 0.9,
  timestamp: '2026-11-26T03:11:54.123456789Z',
  file: 'du1.pcap',
  file_id: '9c1f9a52-0d3e-4f1a-8b2c-3d4e5f6a7b8c',
  session_id: '1b7d4f0e-5d1c-4c67-9d0e-1a2b3c4d5e6f',
  packet_index: 1,
  packet_count: 1,
  flow: { eaxc: 1, plane: 'u', direction: 'dl' },
  description: 'gap',
  evidence: { missing: 1 },
};

describe('local start safe by default (issue #17 defect 5)', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let config: ReturnType<typeof loadConfig>;
  const logger = createLogger('silent');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-security-'));
    config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    await stores.anomalies.insertAnomalies([GAP]);
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const localApp = () => createApp({ config, stores, logger, security: loadHttpSecurity({}, '127.0.0.1') });

  it('sends a CSP without framing, nosniff and no referrer to other sites', async () => {
    const res = await request(localApp()).get('/healthz').set('host', 'localhost:5000');
    const csp = String(res.headers['content-security-policy']);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'self'");
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-frame-options']).toBe('DENY');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['referrer-policy']).toBe('same-origin');
  });

  it('answers only loopback host names when listening on loopback (DNS rebinding)', async () => {
    const app = localApp();
    for (const host of ['localhost:5000', '127.0.0.1:5000', '[::1]:5000', 'app.localhost', 'LOCALHOST'])
      expect((await request(app).get('/api/sessions').set('host', host)).status, host).toBe(200);
    const rebound = await request(app).get('/api/sessions').set('host', 'evil.example:5000');
    expect(rebound.status).toBe(421);
    expect(rebound.body.error.code).toBe('misdirected');
    // Listening beyond loopback without a list: any host (EKS behind its load balancer); with a list: it.
    expect(loadHttpSecurity({}, '0.0.0.0').allowedHosts).toBeUndefined();
    expect(loadHttpSecurity({ L1T_ALLOWED_HOSTS: 'l1t.example.org, Other' }, '0.0.0.0').allowedHosts).toEqual([
      'l1t.example.org',
      'other',
    ]);
    expect(loadHttpSecurity({ L1T_ALLOWED_HOSTS: '*' }, '127.0.0.1').allowedHosts).toBeUndefined();
    expect(hostName('[::1]:80')).toBe('::1');
  });

  it('refuses a cross-site no-cors form POST (the upload that was analysed) and cross-site advice regeneration', async () => {
    const app = localApp();
    const form = await request(app)
      .post('/api/files')
      .set('host', 'localhost:5000')
      .set('origin', 'https://evil.example')
      .attach('file', Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'), 'x.pcap');
    expect(form.status).toBe(403);
    expect(form.body.error.code).toBe('cross_site');
    const nullOrigin = await request(app).post('/api/files').set('host', 'localhost:5000').set('origin', 'null');
    expect(nullOrigin.status).toBe(403);
    const regen = await request(app)
      .get(`/api/anomalies/${GAP.id}/recommendation/stream?regenerate=1`)
      .set('host', 'localhost:5000')
      .set('sec-fetch-site', 'cross-site');
    expect(regen.status).toBe(403);
    // The app itself (same origin) and clients that are not browsers (no Origin) go through.
    const same = await request(app)
      .patch(`/api/anomalies/${GAP.id}/status`)
      .set('host', 'localhost:5000')
      .set('origin', 'http://localhost:5000')
      .set('sec-fetch-site', 'same-origin')
      .send({ status: 'acknowledged' });
    expect(same.status).toBe(200);
    const cli = await request(app)
      .patch(`/api/anomalies/${GAP.id}/status`)
      .set('host', 'localhost:5000')
      .send({ status: 'open' });
    expect(cli.status).toBe(200);
  });

  it('does not let a rotating X-Forwarded-For pose as new clients for the per-client advice limit', async () => {
    const saved = process.env.L1T_ADVISOR_RATE_LIMIT;
    process.env.L1T_ADVISOR_RATE_LIMIT = '2';
    try {
      const app = localApp();
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await request(app)
          .get(`/api/anomalies/${GAP.id}/recommendation/stream?regenerate=1`)
          .set('host', 'localhost:5000')
          .set('x-forwarded-for', `203.0.113.${i + 1}`);
        statuses.push(res.status);
      }
      expect(statuses).toEqual([200, 200, 429, 429]);
    } finally {
      if (saved === undefined) delete process.env.L1T_ADVISOR_RATE_LIMIT;
      else process.env.L1T_ADVISOR_RATE_LIMIT = saved;
    }
    expect(loadHttpSecurity({ L1T_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(() => loadHttpSecurity({ L1T_TRUST_PROXY: 'true' })).toThrow(/L1T_TRUST_PROXY/);
  });

  it('listens on loopback unless a host is asked for', async () => {
    // chDB binds its folder to one process: the stores are handed over to runServer and back.
    await stores.close();
    const server = await runServer(config, { port: 0, logger, jobConcurrency: 0 });
    try {
      expect((server.server.address() as AddressInfo).address).toBe('127.0.0.1');
    } finally {
      await server.stop();
      stores = await openStores(config);
    }
  });
});
