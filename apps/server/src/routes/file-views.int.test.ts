/**
 * The file analysis page's data routes (issue 16) on real embedded stores, fed by the real pipeline on a real
 * capture (fh_ks.pcap): what the routes serve equals what the analysis stored, parameters are bounded, and
 * a viewer may read them while an unknown file or flow is a 404.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { analyzeFile, fileInput, SessionRecorder } from '@l1t/pipeline';
import { openStores } from '@l1t/store';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';
import { hashToken } from '../middleware/auth.js';

type Stores = Awaited<ReturnType<typeof openStores>>;
const samples = requireSharedDir('samples');
const BITS = { du_port: 4, band_sector: 4, cc: 4, ru_port: 4 };

describe.runIf(samples.available)('file analysis page routes on real stores', { timeout: 120_000 }, () => {
  let dir: string;
  let stores: Stores;
  let app: ReturnType<typeof createApp>;
  let fileId: string;
  const viewer = 'l1t_viewer_token_0123456789';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-file-views-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    app = createApp({ config: { ...config, auth: true }, stores, logger: createLogger('silent') });
    const user = await stores.metadata.createUser({ username: 'ran', passwordHash: 'x', role: 'viewer' });
    await stores.metadata.createApiToken({ userId: user.id, name: 'ci', tokenHash: hashToken(viewer) });
    const recorder = new SessionRecorder(stores, 'fh_ks');
    await recorder.start();
    const result = await analyzeFile(fileInput(`${samples.path}/Utilities/fh_ks.pcap`, 'fh_ks.pcap'), {
      profile: { nrb: 51, eaxc_bits: BITS, uplane: { comp_method: 'none', iq_width: 16, comp_hdr: 'static' } },
      sessionId: recorder.id,
    });
    await recorder.record(result);
    await recorder.finish();
    fileId = result.fileId;
  }, 120_000);

  afterAll(async () => {
    await stores?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string) => request(app).get(path).set('authorization', `Bearer ${viewer}`);

  it('serves the per-flow table with the detection counters and the eAxC split', async () => {
    const res = await get(`/api/files/${fileId}/flows`);
    expect(res.status).toBe(200);
    expect(res.body.flows.map((f: { name: string }) => f.name)).toEqual([
      'c|dl|eaxc=1',
      'u|dl|eaxc=1',
      'c|dl|eaxc=2',
      'u|dl|eaxc=2',
    ]);
    const u = res.body.flows[1];
    expect(u).toMatchObject({ messages: 1224, compression: 'none 16', zero_prbs: 0 });
    expect(u.counters).toMatchObject({ RX_ON_TIME: 1224, RX_LATE: 0, RX_SEQID_ERR: 0 });
    expect(u.key).toMatchObject({ eaxc: 1, ru_port: 1, plane: 'u', direction: 'dl' });
    expect((await request(app).get(`/api/files/${fileId}/flows`)).status).toBe(401);
  });

  it('serves the histograms whose counts are the judged messages, and one flow scatter on request', async () => {
    const res = await get(`/api/files/${fileId}/timing`);
    expect(res.status).toBe(200);
    expect(res.body.mode).toBe('absolute');
    expect(res.body.windows_us.dl_uplane).toEqual([50, 400]);
    const t = res.body.flows.find((f: { name: string }) => f.name === 'u|dl|eaxc=2');
    expect(t).toMatchObject({ judged: 1224, on_time: 1224, window: 'dl_uplane' });
    expect(t.counts).toBeUndefined();
    expect(res.body.scatter).toBeUndefined();
    const dl = res.body.groups.find((g: { window: string }) => g.window === 'dl_uplane');
    expect(dl.flows).toEqual(['u|dl|eaxc=1', 'u|dl|eaxc=2']);
    expect(dl.counts.reduce((a: number, b: number) => a + b, 0)).toBe(2448);
    const one = await get(`/api/files/${fileId}/timing?flow=${encodeURIComponent('u|dl|eaxc=2')}`);
    expect(one.body.scatter.t_ms).toHaveLength(1224);
    expect(one.body.scatter.offset_us.every((v: number) => v >= 50 && v <= 400)).toBe(true);
    expect((await get(`/api/files/${fileId}/timing?flow=${encodeURIComponent('u|ul|eaxc=9')}`)).status).toBe(404);
    expect((await get(`/api/files/${fileId}/timing?flow=drop%20table`)).status).toBe(400);
    expect((await get(`/api/files/${fileId}/timing?bins=5`)).status).toBe(400);
  });

  it('serves one eAxC heatmap at a time, the first by default', async () => {
    const res = await get(`/api/files/${fileId}/heatmap`);
    expect(res.status).toBe(200);
    expect(res.body.items.map((i: { name: string }) => i.name)).toEqual(['u|dl|eaxc=1', 'u|dl|eaxc=2']);
    expect(res.body.heatmap).toMatchObject({ name: 'u|dl|eaxc=1', prbs: 51, columns: 57, skipped_prbs: 0 });
    expect(res.body.heatmap.power_dbfs).toHaveLength(57 * 51);
    const two = await get(`/api/files/${fileId}/heatmap?flow=${encodeURIComponent('u|dl|eaxc=2')}`);
    expect(two.body.heatmap.name).toBe('u|dl|eaxc=2');
    expect((await get('/api/files/00000000-0000-4000-8000-000000000000/heatmap')).status).toBe(404);
  });

  // Migration 0005: the views are stored as gzip, and a client that accepts gzip gets the stored bytes spliced
  // into the response as they are (gzipJoin); any other gets the same JSON as text.
  it('answers gzip with the stored view inside when the request accepts it, the same JSON as text when not', async () => {
    const server: Server = await new Promise((ok) => {
      const s = app.listen(0, '127.0.0.1', () => ok(s));
    });
    const { port } = server.address() as AddressInfo;
    const raw = (path: string, acceptEncoding?: string) =>
      new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((ok, fail) => {
        const headers: Record<string, string> = { authorization: `Bearer ${viewer}` };
        if (acceptEncoding !== undefined) headers['accept-encoding'] = acceptEncoding;
        const req = httpRequest({ host: '127.0.0.1', port, path, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        });
        req.on('error', fail);
        req.end();
      });
    try {
      const flow = 'u|dl|eaxc=2';
      for (const [path, stored] of [
        [`heatmap?flow=${encodeURIComponent(flow)}`, `heatmap:${flow}`],
        [`timing?flow=${encodeURIComponent(flow)}`, `scatter:${flow}`],
        ['flows', undefined],
        ['timing', undefined],
        ['heatmap', undefined],
      ] as const) {
        const url = `/api/files/${fileId}/${path}`;
        const gz = await raw(url, 'gzip, deflate, br');
        expect(gz.status, path).toBe(200);
        expect(gz.headers['content-encoding'], path).toBe('gzip');
        expect(gz.headers['vary'], path).toMatch(/Accept-Encoding/i);
        expect(gz.headers['content-type'], path).toBe('application/json; charset=utf-8');
        for (const acceptEncoding of ['identity', 'gzip;q=0', undefined]) {
          const plain = await raw(url, acceptEncoding);
          expect(plain.status, path).toBe(200);
          expect(plain.headers['content-encoding'], path).toBeUndefined();
          expect(plain.headers['vary'], path).toMatch(/Accept-Encoding/i);
          expect(gunzipSync(gz.body).toString('utf8'), path).toBe(plain.body.toString('utf8'));
        }
        if (stored) {
          // the stored member's deflate segments (between its 10-byte header and final block + trailer) as they are
          const member = Buffer.from((await stores.metadata.getFileViewGzip(fileId, stored))!);
          expect(gz.body.indexOf(member.subarray(10, member.length - 10)), path).toBeGreaterThan(0);
        }
        // what the web app's fetch() gets (it asks for gzip and decodes it) is the document the text gives
        const fetched = await fetch(`http://127.0.0.1:${port}${url}`, {
          headers: { authorization: `Bearer ${viewer}` },
        });
        expect(await fetched.json(), path).toEqual(JSON.parse((await raw(url, 'identity')).body.toString('utf8')));
      }
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it('answers a file without O-RAN traffic with empty views of the same shape', async () => {
    const recorder = new SessionRecorder(stores, 'ptp');
    await recorder.start();
    const r = await analyzeFile(fileInput(`${samples.path}/ptp-analyzer/ptp_example.pcap`, 'ptp_example.pcap'), {
      sessionId: recorder.id,
    });
    await recorder.record(r);
    await recorder.finish();
    expect((await get(`/api/files/${r.fileId}/flows`)).body).toMatchObject({ flows: [], notes: [] });
    expect((await get(`/api/files/${r.fileId}/timing`)).body).toMatchObject({ mode: 'off', flows: [], groups: [] });
    expect((await get(`/api/files/${r.fileId}/heatmap`)).body).toMatchObject({ items: [], heatmap: null });
  });

  it('answers each route within p95 ≤ 300 ms with views at their largest (512 flows, 240 × 276 grid, 5 120 points)', async () => {
    const flowName = (i: number) => `u|dl|eaxc=${i}`;
    const cells = 240 * 276;
    const grid = {
      name: flowName(0),
      column_ms: 4,
      columns: 240,
      prbs: 276,
      power_dbfs: Array.from({ length: cells }, (_, i) => -20 - (i % 17) / 3),
      zero: Array.from({ length: cells }, (_, i) => i % 5),
      clipped: new Array<number>(cells).fill(0),
      samples: new Array<number>(cells).fill(14),
      decoded_prbs: 1_000_000,
      skipped_prbs: 3_000_000,
      constellation: [],
    };
    const points = 5120;
    await stores.metadata.putFileViews(fileId, {
      flows: {
        version: 1,
        first_ts_ns: '1',
        notes: [],
        flows: Array.from({ length: 512 }, (_, i) => ({ name: flowName(i), counters: { RX_ON_TIME: 1 } })),
      },
      timing: {
        mode: 'absolute',
        windows_us: { dl_uplane: [50, 400] },
        flows: Array.from({ length: 512 }, (_, i) => ({ name: flowName(i), window: 'dl_uplane', judged: 1200 })),
        groups: ['dl_uplane', 'ul_uplane', 'dl_cplane', 'ul_cplane'].map((window) => ({
          window,
          flows: Array.from({ length: 128 }, (_, i) => flowName(i)),
          counts: new Array<number>(400).fill(3),
        })),
      },
      heatmaps: { items: [{ name: flowName(0), columns: 240, prbs: 276 }] },
      [`heatmap:${flowName(0)}`]: grid,
      [`scatter:${flowName(0)}`]: {
        name: flowName(0),
        window: 'dl_uplane',
        t_ms: Array.from({ length: points }, (_, i) => i * 0.125),
        offset_us: new Array<number>(points).fill(201.25),
        symbol: new Array<number>(points).fill(3),
        kind: new Array<number>(points).fill(0),
        every: 64,
      },
    });
    const p95: Record<string, number> = {};
    for (const path of ['flows', 'timing', `timing?flow=${encodeURIComponent(flowName(0))}`, 'heatmap']) {
      const times: number[] = [];
      for (let i = 0; i < 23; i++) {
        const t0 = performance.now();
        const res = await get(`/api/files/${fileId}/${path}`);
        expect(res.status).toBe(200);
        if (i >= 3) times.push(performance.now() - t0); // after a warm-up
      }
      times.sort((a, b) => a - b);
      p95[path] = Math.round(times[Math.ceil(times.length * 0.95) - 1]!);
    }
    // The target is 300 ms (issue 16). On a machine whose load exceeds its cores (shared CI runners) the
    // timings measure the queue, not the route: the bound is then a guard against a gross regression only.
    const loaded = loadavg()[0]! > cpus().length;
    console.log(`file page routes p95 ms (embedded PGlite, load ${loadavg()[0]!.toFixed(1)}):`, p95);
    for (const [path, ms] of Object.entries(p95)) expect(ms, path).toBeLessThanOrEqual(loaded ? 2000 : 300);
  });
});
