import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Anomaly, type Incident } from '@l1t/contracts';
import { analyzeFile, createStoreSink, fileInput } from '@l1t/pipeline';
import { openStores } from '@l1t/store';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';

/** `GET /api/incidents[/:id]` over a real capture analysed into the embedded stores (the production Announce attack). */
const samples = requireSharedDir('samples');

describe.runIf(samples.available)('incidents API', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let app: ReturnType<typeof createApp>;
  let fileId: string;
  let findings: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-incidents-api-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    app = createApp({ config, stores, logger: createLogger('silent') });
    const path = join(samples.path, 's-plane_security/prod_successful_announce_attack_ptp.pcap');
    const r = await analyzeFile(fileInput(path), { sink: createStoreSink(stores.anomalies) });
    fileId = r.fileId;
    findings = r.counts.anomalyCount;
  }, 120_000);
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists a file’s incidents and opens one with its member findings', async () => {
    const list = await request(app).get(`/api/incidents?file_id=${fileId}`);
    expect(list.status).toBe(200);
    expect(list.body.total).toBeLessThanOrEqual(3);
    const items = list.body.items as Incident[];
    expect(items.reduce((n, i) => n + i.finding_ids.length, 0)).toBe(findings);
    const one = await request(app).get(`/api/incidents/${items[0]!.id}`);
    expect(one.status).toBe(200);
    expect(one.body.title).toBe(items[0]!.title);
    expect((one.body.findings as Anomaly[]).map((a) => a.id).sort()).toEqual([...items[0]!.finding_ids].sort());
    const byFinding = await request(app).get(`/api/incidents?finding_id=${items[0]!.finding_ids[0]}`);
    expect(byFinding.body.items.map((i: Incident) => i.id)).toEqual([items[0]!.id]);
    expect((await request(app).get('/api/incidents?severity=critical,major')).body.total).toBe(list.body.total);
  });

  it('answers 404 for an unknown incident and 400 for a bad query', async () => {
    expect((await request(app).get('/api/incidents/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    expect((await request(app).get('/api/incidents?severity=bogus')).status).toBe(400);
    expect((await request(app).get('/api/incidents?nosuch=1')).status).toBe(400);
  });
});
