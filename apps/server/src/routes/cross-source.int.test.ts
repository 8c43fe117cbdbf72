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

const SESSION = '2c8e5a1f-6e2d-4d78-8e1f-2b3c4d5e6f70';
const OTHER_SESSION = '2c8e5a1f-6e2d-4d78-8e1f-2b3c4d5e6f71';
const FH_FILE = 'a1000000-0000-4000-8000-000000000001';
const UE_FILE = 'a1000000-0000-4000-8000-000000000002';
const id = (n: number): string => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;

function finding(n: number, over: Partial<Anomaly>): Anomaly {
  return {
    id: id(n),
    type: 'seq_gap',
    source: 'fronthaul',
    severity: 'major',
    confidence: 0.9,
    timestamp: '2026-12-06T12:00:01.234000000Z',
    file: 'du.pcap',
    file_id: FH_FILE,
    session_id: SESSION,
    packet_index: n,
    packet_count: 1,
    description: `finding ${n}`,
    evidence: {},
    ...over,
  };
}

describe('cross-source timeline API on real embedded stores', () => {
  let dir: string;
  let stores: Stores;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-xsrc-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    app = createApp({ config, stores, logger: createLogger('silent') });
    await stores.anomalies.upsertSession({
      id: SESSION,
      name: 'drive test',
      status: 'done',
      files_processed: 2,
      files_failed: 0,
      anomalies_detected: 5,
      started_at: '2026-12-06T12:00:00.000Z',
      finished_at: '2026-12-06T12:01:00.000Z',
      duration_ms: 1,
    });
    const ue = (n: number, timestamp: string, over: Partial<Anomaly> = {}): Anomaly =>
      finding(n, {
        type: 'bler_high',
        source: 'ue',
        file: 'phone.qmdl',
        file_id: UE_FILE,
        timestamp,
        radio: { pci: 301, earfcn: 1850 },
        ...over,
      });
    await stores.anomalies.replaceFileResults(
      [FH_FILE, UE_FILE],
      [
        finding(1, { flow: { eaxc: 1, plane: 'u', direction: 'ul' } }),
        finding(2, { timestamp: '2026-12-06T12:00:01.236000000Z' }), // same source: never "related"
        ue(3, '2026-12-06T12:00:01.240000000Z'),
        ue(4, '2026-12-06T12:00:00.240000000Z', { type: 'rsrp_drop' }), // 994 ms before: only with an offset
        ue(5, '2026-12-06T12:00:01.250000000Z', { session_id: OTHER_SESSION }), // another session
      ],
      [],
    );
  });

  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the UE findings of the session within ±50 ms of a fronthaul finding, with the gap', async () => {
    const res = await request(app)
      .get(`/api/anomalies/${id(1)}/related`)
      .expect(200);
    expect(res.body).toMatchObject({
      anchor: id(1),
      session_id: SESSION,
      window_ms: 50,
      ue_clock_offset_ms: 0,
      truncated: false,
    });
    expect(res.body.items).toEqual([
      expect.objectContaining({
        id: id(3),
        type: 'bler_high',
        source: 'ue',
        delta_ms: 6,
        radio: { pci: 301, earfcn: 1850 },
      }),
    ]);
  });

  it('relates the other way round, and widens or narrows with window_ms', async () => {
    const back = await request(app)
      .get(`/api/anomalies/${id(3)}/related`)
      .expect(200);
    expect(back.body.items.map((i: { id: string; delta_ms: number }) => [i.id, i.delta_ms])).toEqual([
      [id(2), -4],
      [id(1), -6],
    ]);
    const narrow = await request(app)
      .get(`/api/anomalies/${id(3)}/related?window_ms=5`)
      .expect(200);
    expect(narrow.body.items.map((i: { id: string }) => i.id)).toEqual([id(2)]);
  });

  it('applies the session clock offset, stored per session, and a per-request override', async () => {
    await request(app).put(`/api/sessions/${SESSION}/clock-offset`).send({ ue_clock_offset_ms: 1000 }).expect(200);
    expect((await request(app).get(`/api/sessions/${SESSION}/clock-offset`).expect(200)).body.ue_clock_offset_ms).toBe(
      1000,
    );
    const shifted = await request(app)
      .get(`/api/anomalies/${id(1)}/related`)
      .expect(200);
    expect(shifted.body.ue_clock_offset_ms).toBe(1000);
    expect(shifted.body.items.map((i: { id: string; delta_ms: number }) => [i.id, i.delta_ms])).toEqual([[id(4), 6]]);
    const override = await request(app)
      .get(`/api/anomalies/${id(1)}/related?clock_offset_ms=0`)
      .expect(200);
    expect(override.body.items.map((i: { id: string }) => i.id)).toEqual([id(3)]);
    await request(app).put(`/api/sessions/${SESSION}/clock-offset`).send({ ue_clock_offset_ms: 0 }).expect(200);
  });

  it('refuses bad input with 400 and unknown ids with 404', async () => {
    await request(app)
      .get(`/api/anomalies/${id(1)}/related?window_ms=-1`)
      .expect(400);
    await request(app)
      .get(`/api/anomalies/${id(1)}/related?window_ms=abc`)
      .expect(400);
    await request(app)
      .get(`/api/anomalies/${id(99)}/related`)
      .expect(404);
    await request(app).put(`/api/sessions/${SESSION}/clock-offset`).send({ ue_clock_offset_ms: 'soon' }).expect(400);
    await request(app).put(`/api/sessions/${OTHER_SESSION}/clock-offset`).send({ ue_clock_offset_ms: 5 }).expect(404);
  });
});
