/**
 * `GET /api/files/:id/ptp` on real embedded stores, fed by the real pipeline on a real linuxptp log
 * (LPTP_Analyzer/Hard.txt) and a real capture (s-plane_security/2024-10-08-sync_attack_1.pcap): what the
 * route serves equals what the analysis computed, a viewer may read it, an unknown file is a 404 and an
 * unknown query parameter a 400.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { analyzeFile, fileInput, SessionRecorder, type FileResult } from '@l1t/pipeline';
import { openStores } from '@l1t/store';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';
import { hashToken } from '../middleware/auth.js';

type Stores = Awaited<ReturnType<typeof openStores>>;
const samples = requireSharedDir('samples');

describe.runIf(samples.available)('GET /api/files/:id/ptp on real stores', { timeout: 120_000 }, () => {
  let dir: string;
  let stores: Stores;
  let app: ReturnType<typeof createApp>;
  let result: FileResult;
  let capture: FileResult;
  const viewer = 'l1t_viewer_token_ptp_0123456789';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-file-ptp-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    app = createApp({ config: { ...config, auth: true }, stores, logger: createLogger('silent') });
    const user = await stores.metadata.createUser({ username: 'sync', passwordHash: 'x', role: 'viewer' });
    await stores.metadata.createApiToken({ userId: user.id, name: 'ci', tokenHash: hashToken(viewer) });
    const recorder = new SessionRecorder(stores, 'ptp');
    await recorder.start();
    result = await analyzeFile(fileInput(`${samples.path}/LPTP_Analyzer/Hard.txt`, 'Hard.txt'), {
      sessionId: recorder.id,
    });
    await recorder.record(result);
    capture = await analyzeFile(
      fileInput(`${samples.path}/s-plane_security/2024-10-08-sync_attack_1.pcap`, 'sync_attack_1.pcap'),
      { sessionId: recorder.id, profile: { timing: { mode: 'absolute' } } },
    );
    await recorder.record(capture);
    await recorder.finish();
  }, 120_000);

  afterAll(async () => {
    await stores?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = (path: string) => request(app).get(path).set('authorization', `Bearer ${viewer}`);

  it('serves the servo-offset view of the log: series, metrics and verdicts as analysed', async () => {
    const res = await get(`/api/files/${result.fileId}/ptp`);
    expect(res.status).toBe(200);
    expect(res.body.file_id).toBe(result.fileId);
    expect(res.body.ports).toHaveLength(1);
    const p = res.body.ports[0];
    expect(p).toMatchObject({ port: 'ptp4l master', domain: null, basis: 'servo_offset' });
    expect(p.statement).toMatch(/not a time error measured against an independent reference/);
    // 1,821 locked samples (lines 9–1830), one a second: one chart row per second
    expect(p.summary).toMatchObject({ exchanges: 1821, max_abs_te_ns: 12749 });
    expect(p.series.t).toHaveLength(1821);
    expect(p.series.t[0]).toBe('1970-01-01T01:07:10.000000000Z'); // ptp4l[4030.594], line 9
    const worst = p.series.t.indexOf('1970-01-01T01:10:23.000000000Z'); // ptp4l[4223.606], line 203
    expect(p.series.te_min_ns[worst]).toBe(-12749);
    expect(p.series.path_delay_ns[worst]).toBe(7898);
    expect(p.mtie.find((m: { tau_s: number }) => m.tau_s === 1).ns).toBe(24739);
    expect(p.intervals.servo).toMatchObject({ count: 1820 });
    expect(p.verdicts.find((v: { standard: string }) => v.standard === 'G.8271.1')).toMatchObject({
      limit_ns: 1100,
      value_ns: 12749,
      pass: false,
    });
    expect(p.verdicts.filter((v: { standard: string }) => v.standard === 'G.8273.2')).toHaveLength(13);
  });

  it('serves the exchanges of a capture per slave port, with the frames of the worst exchange', async () => {
    const res = await get(`/api/files/${capture.fileId}/ptp`);
    expect(res.status).toBe(200);
    expect(res.body.ports).toHaveLength(1);
    const p = res.body.ports[0];
    expect(p).toMatchObject({
      port: '0xb8cef6fffe5e6afa:1',
      master: '0xc45ab1ffff806085:14',
      domain: 24,
      basis: 'capture',
    });
    expect(p.summary).toMatchObject({
      exchanges: 1280,
      max_abs_te_ns: 57_056_204_181.5,
      worst_exchange: { sync_frame: 8233, delay_req_frame: 8234, delay_resp_frame: 8235 },
    });
    expect(p.intervals.sync.count).toBe(5255);
    expect(p.statement).toMatch(/^Capture-based/);
  });

  it('is what the analysis computed, not a re-computation', async () => {
    const res = await get(`/api/files/${result.fileId}/ptp`);
    const cte = result.metrics.find((m) => m.name === 'ptp_te_summary_ns' && m.labels.stat === 'cte')!.value;
    expect(res.body.ports[0].summary.cte_ns).toBe(cte);
  });

  it('answers 404 for an unknown file, 400 for a query parameter, 401 without credentials', async () => {
    expect((await get('/api/files/00000000-0000-4000-8000-000000000000/ptp')).status).toBe(404);
    expect((await get(`/api/files/${result.fileId}/ptp?x=1`)).status).toBe(400);
    expect((await request(app).get(`/api/files/${result.fileId}/ptp`)).status).toBe(401);
  });
});
