import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Anomaly } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';

type Stores = Awaited<ReturnType<typeof openStores>>;

const SESSION = '1b7d4f0e-5d1c-4c67-9d0e-1a2b3c4d5e6f';
const FILES = ['9c1f9a52-0d3e-4f1a-8b2c-3d4e5f6a7b81', '9c1f9a52-0d3e-4f1a-8b2c-3d4e5f6a7b82'];
const NOW = Date.now();

function anomaly(i: number, over: Partial<Anomaly> = {}): Anomaly {
  return {
    id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
    type: i % 3 === 0 ? 'rx_window_late' : 'seq_gap',
    source: i % 5 === 0 ? 'timing' : 'fronthaul',
    severity: i % 2 ? 'major' : 'critical',
    confidence: 0.9,
    // Two this week, the rest in the week before.
    timestamp: new Date(NOW - (i <= 2 ? 3600_000 * i : 8 * 86_400_000 + i * 60_000)).toISOString(),
    file: i % 2 ? 'du1.pcap' : 'du2.pcap',
    file_id: FILES[i % 2]!,
    session_id: SESSION,
    packet_index: 100 + i,
    packet_count: 1,
    flow: { eaxc: 1, plane: 'u', direction: 'dl' },
    description: i === 4 ? '=HYPERLINK("http://evil")' : `finding ${i}, "quoted"`,
    evidence: { n: i },
    ...over,
  };
}

describe('dashboard, exports, metrics and OpenAPI on real embedded stores', () => {
  let dir: string;
  let stores: Stores;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-dash-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    app = createApp({ config, stores, logger: createLogger('silent') });
    await stores.anomalies.upsertSession({
      id: SESSION,
      name: 'lab',
      status: 'done',
      files_processed: 2,
      files_failed: 0,
      anomalies_detected: 8,
      started_at: new Date(NOW - 3600_000).toISOString(),
      finished_at: new Date(NOW).toISOString(),
      duration_ms: 1,
    });
    for (const [n, id] of FILES.entries()) {
      await stores.metadata.upsertFile({
        id,
        sessionId: SESSION,
        name: `du${n + 1}.pcap`,
        path: null,
        size: 10,
        sha256: String(n).repeat(64),
        format: 'pcap',
        formatDetail: null,
      });
      await stores.metadata.updateFile(id, {
        status: 'done',
        anomalyCount: n === 0 ? 4 : 0,
        finishedAt: new Date(NOW - (n === 0 ? 60_000 : 8 * 86_400_000)).toISOString(),
      });
    }
    const rows = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => anomaly(i));
    await stores.anomalies.replaceFileResults(FILES, rows, [
      {
        timestamp: new Date(NOW - 1000).toISOString(),
        session_id: SESSION,
        file_id: FILES[0]!,
        source: 'fronthaul',
        name: 'uplane_packets',
        labels: { eaxc: '1' },
        value: 42,
      },
    ]);
  });

  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('summarises anomalies with week-over-week cards, breakdowns, heatmap, flows and recurring issues', async () => {
    const r = await request(app).get('/api/dashboard/summary');
    expect(r.status).toBe(200);
    expect(r.body.total).toBe(8);
    const cards = Object.fromEntries(r.body.cards.map((c: { key: string }) => [c.key, c]));
    // The anomalies card is the same total as the summary and the anomaly list (one number on one screen).
    expect(cards.anomalies).toMatchObject({ value: 8, previous: 0, change_pct: null });
    expect((await request(app).get('/api/anomalies?limit=1')).body.total).toBe(8);
    expect(cards.sessions).toMatchObject({ value: 1, previous: 0, change_pct: null });
    expect(cards.files).toMatchObject({ value: 1, previous: 1, change_pct: 0 });
    expect(cards.detection_rate).toMatchObject({ value: 100, previous: 0, unit: '%' });
    expect(r.body.by_severity).toEqual({ major: 4, critical: 4 });
    expect(r.body.by_source).toEqual({ fronthaul: 7, timing: 1 });
    expect(r.body.by_type.map((t: { type: string }) => t.type)).toEqual(['seq_gap', 'rx_window_late']);
    expect(r.body.heatmap.cells.reduce((s: number, c: { count: number }) => s + c.count, 0)).toBe(8);
    expect(r.body.top_flows[0]).toMatchObject({ eaxc: 1, plane: 'u', direction: 'dl', count: 8 });
    expect(r.body.recurring.length).toBeGreaterThan(0);
    expect(r.body.recurring[0].files).toBe(2);
    const day = await request(app).get(`/api/dashboard/summary?bucket=day&severity=critical&session_id=${SESSION}`);
    expect(day.body.bucket_ms).toBe(86_400_000);
    expect(day.body.total).toBe(4);
  });

  it('answers bad dashboard, export and metrics queries with 400, never 500', async () => {
    for (const path of [
      '/api/dashboard/summary?bucket=week',
      '/api/dashboard/summary?from=yesterday',
      '/api/dashboard/summary?severity=bad',
      '/api/dashboard/summary?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z',
      '/api/dashboard/summary?x=1',
      '/api/anomalies/export?format=xlsx',
      '/api/anomalies/export?limit=0',
      '/api/anomalies/export?sort=1;drop',
      '/api/metrics',
      `/api/metrics?file_id=${FILES[0]}&limit=-1`,
      `/api/metrics?file_id=${FILES[0]}&name=a%20b`,
    ]) {
      const r = await request(app).get(path);
      expect(r.status, path).toBe(400);
      expect(r.body.error.code).toBe('bad_request');
    }
  });

  it('exports the filtered list as CSV with formula cells neutralised', async () => {
    const r = await request(app).get('/api/anomalies/export?format=csv&severity=critical&sort=packet_index&order=asc');
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toContain('text/csv');
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="anomalies-.*\.csv"/);
    const lines = r.text.trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,type,source,severity,confidence,status,timestamp/);
    expect(lines).toHaveLength(5);
    expect(r.text).toContain(`"'=HYPERLINK(""http://evil"")"`);
    expect(r.text).toContain('"finding 2, ""quoted"""');
  });

  it('exports the filtered list as JSON with statuses', async () => {
    const id = anomaly(3).id;
    await request(app).patch(`/api/anomalies/${id}/status`).send({ status: 'resolved' });
    const r = await request(app).get('/api/anomalies/export?format=json&status=resolved');
    expect(r.status).toBe(200);
    expect(JSON.parse(r.text)).toMatchObject({ total: 1, items: [{ id, status: 'resolved' }] });
    const none = await request(app).get('/api/anomalies/export?format=json&type=nothing_here');
    expect(JSON.parse(none.text)).toEqual({ items: [], total: 0 });
  });

  it('answers KPI time series of a file', async () => {
    const r = await request(app).get(`/api/metrics?file_id=${FILES[0]}&name=uplane_packets`);
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([expect.objectContaining({ name: 'uplane_packets', value: 42 })]);
  });

  it('describes every route in /api/openapi.json', async () => {
    const r = await request(app).get('/api/openapi.json');
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    for (const p of [
      '/api/files',
      '/api/files/{id}',
      '/api/files/{id}/events',
      '/api/anomalies',
      '/api/anomalies/{id}',
      '/api/anomalies/{id}/status',
      '/api/anomalies/{id}/pcap',
      '/api/anomalies/{id}/recommendation/stream',
      '/api/anomalies/export',
      '/api/sessions',
      '/api/sessions/{id}',
      '/api/dashboard/summary',
      '/api/metrics',
      '/api/auth/login',
      '/api/config',
      '/healthz',
      '/readyz',
      '/metrics',
    ]) {
      expect(r.body.paths[p], p).toBeDefined();
    }
    const params = r.body.paths['/api/anomalies'].get.parameters.map((x: { name: string }) => x.name);
    expect(params).toEqual(
      expect.arrayContaining(['file_id', 'session_id', 'type', 'severity', 'sort', 'limit', 'offset']),
    );
  });
});
