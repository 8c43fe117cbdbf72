import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { hashToken } from './middleware/auth.js';

/**
 * Access sweep (issue #17, defect 2): every route the app registers, in its written form and in the
 * variants Express also routes (other letter case, trailing slash), answers 401 without credentials and
 * 403 to a viewer whenever it would change something. The routes are read from the app itself, so a new
 * route is swept without editing this test.
 */

interface RouteEntry {
  method: string;
  path: string;
}

interface LayerLike {
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
  rawPath?: unknown;
}

/** Walks Express 5's router stacks (router 2.x keeps each layer's `rawPath`). */
export function registeredRoutes(app: Express): RouteEntry[] {
  const out: RouteEntry[] = [];
  const walk = (stack: LayerLike[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of paths)
          for (const [method, on] of Object.entries(layer.route.methods))
            if (on && method !== '_all') out.push({ method: method.toUpperCase(), path: prefix + p });
      } else if (layer.handle?.stack) {
        const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
        walk(layer.handle.stack, prefix + mount);
      }
    }
  };
  walk((app as unknown as { router: { stack: LayerLike[] } }).router.stack, '');
  return out;
}

const ID = '00000000-0000-4000-8000-00000000abcd';
const fill = (path: string) => path.replace(/:[A-Za-z_]+/g, ID).replace(/\/$/, '') || '/';

/** The forms Express routes to the same handler (case-insensitive, non-strict routing). */
function variants(path: string): string[] {
  const upper = path.toUpperCase();
  const mixed = path.replace(/[a-z]/g, (c, i: number) => (i % 2 ? c.toUpperCase() : c));
  const set = new Set([path, `${path}/`, upper, `${upper}/`, mixed, `${mixed}/`]);
  return [...set];
}

/** Routes open to anyone: the health endpoints, the API description, signing in. */
const PUBLIC = new Set([
  'GET /healthz',
  'GET /readyz',
  'GET /metrics',
  'GET /api/openapi.json',
  'POST /api/auth/login',
  'POST /api/auth/logout',
]);
/** Reads that a viewer may still not do because of a query (advice regeneration replaces the stored answer). */
const WRITE_BY_QUERY: RouteEntry[] = [{ method: 'GET', path: '/api/anomalies/:id/recommendation/stream?regenerate=1' }];

describe('access sweep: every registered route, every routed spelling', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let app: Express;
  let routes: RouteEntry[];
  const viewer = 'l1t_sweep_viewer_0123456789abcdef';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-sweep-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent', L1T_AUTH: 'on' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    app = createApp({ config, stores, logger: createLogger('silent') });
    const user = await stores.metadata.createUser({ username: 'sweep-viewer', passwordHash: 'x', role: 'viewer' });
    await stores.metadata.createApiToken({ userId: user.id, name: 't', tokenHash: hashToken(viewer) });
    routes = registeredRoutes(app);
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const send = (method: string, url: string, token?: string) => {
    const req = request(app)[method.toLowerCase() as 'get'](url);
    if (token) void req.set('authorization', `Bearer ${token}`);
    // A body-less write keeps every route from waiting on a body it would parse.
    if (method !== 'GET' && method !== 'HEAD') void req.send({});
    return req;
  };

  it('finds the routes of every router (a sweep of nothing proves nothing)', () => {
    const keys = new Set(routes.map((r) => `${r.method} ${r.path}`));
    for (const expected of [
      'GET /api/anomalies/',
      'PATCH /api/anomalies/:id/status',
      'POST /api/files',
      'GET /api/anomalies/:id/recommendation/stream',
      'POST /api/knowledge/',
      'DELETE /api/knowledge/:id',
      'POST /api/auth/login',
    ])
      expect(keys, expected).toContain(expected);
    expect(routes.length).toBeGreaterThan(20);
  });

  it('answers 401 without credentials on every non-public route and spelling', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      if (PUBLIC.has(`${r.method} ${r.path}`) || !r.path.startsWith('/api')) continue;
      for (const url of variants(fill(r.path))) {
        const res = await send(r.method, url);
        if (res.status !== 401) failures.push(`${r.method} ${url} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers 403 to a viewer on every write route and spelling', async () => {
    const writes = [
      ...routes.filter(
        (r) =>
          !['GET', 'HEAD', 'OPTIONS'].includes(r.method) &&
          !PUBLIC.has(`${r.method} ${r.path}`) &&
          r.path.startsWith('/api'),
      ),
      ...WRITE_BY_QUERY,
    ];
    expect(writes.length).toBeGreaterThan(4);
    const failures: string[] = [];
    for (const r of writes) {
      const [path, query] = r.path.split('?');
      for (const url of variants(fill(path!))) {
        const full = query ? `${url}?${query}` : url;
        const res = await send(r.method, full, viewer);
        if (res.status !== 403) failures.push(`${r.method} ${full} → ${res.status}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('lets the viewer read every GET route (no 401/403) in its written form', async () => {
    const failures: string[] = [];
    for (const r of routes) {
      if (r.method !== 'GET' || !r.path.startsWith('/api')) continue;
      const res = await send('GET', fill(r.path), viewer)
        .timeout({ response: 5000 })
        .catch((e: { status?: number }) => ({ status: e.status ?? 0 }));
      if (res.status === 401 || res.status === 403) failures.push(`GET ${r.path} → ${res.status}`);
    }
    expect(failures).toEqual([]);
  });

  it('stores one status per anomaly whatever the case of its id', async () => {
    const engineer = 'l1t_sweep_engineer_0123456789abcdef';
    const user = await stores.metadata.createUser({ username: 'sweep-engineer', passwordHash: 'x', role: 'engineer' });
    await stores.metadata.createApiToken({ userId: user.id, name: 't', tokenHash: hashToken(engineer) });
    const id = '00000000-0000-4000-8000-0000000000ef';
    await stores.anomalies.insertAnomalies([
      {
        id,
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
      },
    ]);
    const as = { authorization: `Bearer ${engineer}` };
    expect(
      (await request(app).patch(`/api/anomalies/${id}/status`).set(as).send({ status: 'acknowledged' })).status,
    ).toBe(200);
    const upper = await request(app)
      .patch(`/api/anomalies/${id.toUpperCase()}/status`)
      .set(as)
      .send({ status: 'resolved' });
    expect(upper.status).toBe(200);
    expect(upper.body.id).toBe(id);
    // Both spellings are one anomaly: one history, the latest status wins, no row under the other spelling.
    expect((await stores.metadata.statusHistory(id)).map((h) => h.status)).toEqual(['acknowledged', 'resolved']);
    expect(await stores.metadata.statusHistory(id.toUpperCase())).toEqual([]);
    expect((await stores.metadata.getAnomalyStatuses([id]))[id]).toBe('resolved');
  });
});
