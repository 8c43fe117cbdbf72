import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Anomaly } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { hashToken } from './middleware/auth.js';

type Stores = Awaited<ReturnType<typeof openStores>>;

const SESSION = '0b7d4f0e-5d1c-4c67-9d0e-1a2b3c4d5e6f';
const FILE = '8c1f9a52-0d3e-4f1a-8b2c-3d4e5f6a7b8c';

function anomaly(i: number, over: Partial<Anomaly> = {}): Anomaly {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: i % 2 ? 'seq_gap' : 'rx_window_late',
    source: 'fronthaul',
    severity: i % 2 ? 'major' : 'critical',
    confidence: 0.9,
    timestamp: `2026-11-26T03:11:${String(10 + i).padStart(2, '0')}.123456789Z`,
    file: 'du1.pcap',
    file_id: FILE,
    session_id: SESSION,
    packet_index: 100 + i,
    packet_count: 1,
    flow: { eaxc: i % 4, plane: 'u', direction: 'dl' },
    radio: { frame_id: 1, subframe_id: 2, slot_id: 0, symbol_id: 3 },
    description: `finding ${i}`,
    evidence: { n: i },
    ...over,
  };
}

describe('HTTP API on real embedded stores', () => {
  let dir: string;
  let stores: Stores;
  let app: ReturnType<typeof createApp>;
  let securedApp: ReturnType<typeof createApp>;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-api-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    const logger = createLogger('silent');
    app = createApp({ config, stores, logger });
    securedApp = createApp({ config: { ...config, auth: true }, stores, logger });
    await stores.metadata.createSession({ id: SESSION, name: 'lab run', startedAt: '2026-11-26T03:00:00.000Z' });
    await stores.anomalies.upsertSession({
      id: SESSION,
      name: 'lab run',
      status: 'done',
      files_processed: 1,
      files_failed: 0,
      anomalies_detected: 6,
      started_at: '2026-11-26T03:00:00.000Z',
      finished_at: '2026-11-26T03:00:05.000Z',
      duration_ms: 5000,
    });
    await stores.metadata.upsertFile({
      id: FILE,
      sessionId: SESSION,
      name: 'du1.pcap',
      path: null,
      size: 1234,
      sha256: 'a'.repeat(64),
      format: 'pcap',
      formatDetail: 'pcap ns little-endian',
    });
    await stores.metadata.updateFile(FILE, { status: 'done', anomalyCount: 6, packetCount: 99 });
    await stores.anomalies.replaceFileResults(
      [FILE],
      [1, 2, 3, 4, 5, 6].map((i) => anomaly(i)),
      [],
    );
    const user = await stores.metadata.createUser({ username: 'ops', passwordHash: 'x', role: 'engineer' });
    token = 'l1t_test_token_0123456789';
    await stores.metadata.createApiToken({ userId: user.id, name: 'ci', tokenHash: hashToken(token) });
  });

  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers liveness, readiness of both stores and Prometheus metrics', async () => {
    expect((await request(app).get('/healthz')).body).toEqual({ status: 'ok' });
    const ready = await request(app).get('/readyz');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready', clickhouse: 'ok', postgres: 'ok' });
    const metrics = await request(app).get('/metrics');
    expect(metrics.text).toContain('l1t_http_request_duration_seconds');
    expect(metrics.text).toContain('process_cpu_seconds_total');
  });

  it('lists sessions and one session with its files', async () => {
    const list = await request(app).get('/api/sessions');
    expect(list.status).toBe(200);
    expect(list.body.items).toEqual([expect.objectContaining({ id: SESSION, name: 'lab run', anomalies_detected: 6 })]);
    const one = await request(app).get(`/api/sessions/${SESSION}`);
    expect(one.body.files).toEqual([
      expect.objectContaining({ id: FILE, name: 'du1.pcap', status: 'done', packet_count: 99 }),
    ]);
    const missing = await request(app).get('/api/sessions/ffffffff-ffff-4fff-8fff-ffffffffffff');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('not_found');
  });

  it('lists files and answers one file', async () => {
    const list = await request(app).get(`/api/files?session_id=${SESSION}`);
    expect(list.body).toMatchObject({ total: 1, items: [{ id: FILE, format: 'pcap', anomaly_count: 6 }] });
    expect((await request(app).get(`/api/files/${FILE}`)).body.sha256).toBe('a'.repeat(64));
  });

  it('filters, sorts and pages anomalies', async () => {
    const all = await request(app).get('/api/anomalies?sort=packet_index&order=asc');
    expect(all.body.total).toBe(6);
    expect(all.body.items.map((a: Anomaly) => a.packet_index)).toEqual([101, 102, 103, 104, 105, 106]);
    const gaps = await request(app).get('/api/anomalies?type=seq_gap&severity=major');
    expect(gaps.body.total).toBe(3);
    const page = await request(app).get('/api/anomalies?sort=packet_index&order=desc&limit=2&offset=1');
    expect(page.body.items.map((a: Anomaly) => a.packet_index)).toEqual([105, 104]);
    const eaxc = await request(app).get('/api/anomalies?eaxc=1');
    expect(eaxc.body.items.every((a: Anomaly) => a.flow?.eaxc === 1)).toBe(true);
  });

  it('finds a finding by its frame number (packet_index or a number in the search) and types by part of their name', async () => {
    const byIndex = await request(app).get('/api/anomalies?packet_index=104');
    expect(byIndex.status).toBe(200);
    expect(byIndex.body.items.map((a: Anomaly) => a.packet_index)).toEqual([104]);
    const searched = await request(app).get('/api/anomalies?q=104');
    expect(searched.body.items.map((a: Anomaly) => a.packet_index)).toEqual([104]);
    const part = await request(app).get('/api/anomalies?type=seq');
    expect(part.body.total).toBe(3);
    expect(part.body.items.every((a: Anomaly) => a.type === 'seq_gap')).toBe(true);
    const window = await request(app).get('/api/anomalies?type=window');
    expect(window.body.total).toBe(3);
    const both = await request(app).get('/api/anomalies?type=seq_gap,window');
    expect(both.body.total).toBe(6);
    expect((await request(app).get('/api/anomalies?packet_index=0')).status).toBe(400);
  });

  it('answers bad query values with 400 and a message, never a 500', async () => {
    for (const q of [
      'limit=abc',
      'limit=0',
      'severity=bogus',
      'sort=evil;drop',
      'from=yesterday',
      'eaxc=-1',
      'nosuch=1',
    ]) {
      const r = await request(app).get(`/api/anomalies?${q}`);
      expect(r.status, q).toBe(400);
      expect(r.body.error.code).toBe('bad_request');
      expect(r.body.error.message.length).toBeGreaterThan(0);
    }
    expect((await request(app).get('/api/files/..%2F..%2Fetc')).status).toBe(400);
    expect((await request(app).get('/api/nope')).status).toBe(404);
  });

  it('keeps the status workflow with history and filters by status', async () => {
    const id = anomaly(2).id;
    const patched = await request(app)
      .patch(`/api/anomalies/${id}/status`)
      .send({ status: 'acknowledged', note: 'looking' });
    expect(patched.status).toBe(200);
    const one = await request(app).get(`/api/anomalies/${id}`);
    expect(one.body.status).toBe('acknowledged');
    expect(one.body.status_history[0]).toMatchObject({ status: 'acknowledged', note: 'looking' });
    expect((await request(app).get('/api/anomalies?status=acknowledged')).body.items.map((a: Anomaly) => a.id)).toEqual(
      [id],
    );
    expect((await request(app).get('/api/anomalies?status=open')).body.total).toBe(5);
    const bad = await request(app).patch(`/api/anomalies/${id}/status`).send({ status: 'closed' });
    expect(bad.status).toBe(400);
  });

  it('requires a valid bearer token on every route but health when auth is on', async () => {
    expect((await request(securedApp).get('/api/sessions')).status).toBe(401);
    expect((await request(securedApp).get('/api/anomalies').set('authorization', 'Bearer wrong')).status).toBe(401);
    expect((await request(securedApp).get('/healthz')).status).toBe(200);
    const ok = await request(securedApp).get('/api/config').set('authorization', `Bearer ${token}`);
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ auth: true, user: 'ops' });
  });
});
