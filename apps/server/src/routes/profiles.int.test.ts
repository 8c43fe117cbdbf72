import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { JobRunner } from '@l1t/pipeline';
import { openStores } from '@l1t/store';
import { buildPcap } from '../../../../packages/capture/src/test-support/pcap-builder.js';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';

/** Named profiles in PostgreSQL with field-level errors, uploads with a profile, re-analysis with another one. */
const capture = Buffer.from(
  buildPcap({
    packets: Array.from({ length: 4 }, (_, i) => ({
      tsSec: 1_790_000_000,
      tsFrac: i,
      data: new Uint8Array(80).fill(7 + i),
    })),
  }),
);
const LAB = {
  name: 'lab-du1',
  nrb: 51,
  eaxc_bits: { du_port: 4, band_sector: 4, cc: 4, ru_port: 4 },
  uplane: { comp_method: 'none', iq_width: 16, comp_hdr: 'static' },
  timing: { mode: 'relative', windows_us: { dl_uplane: [50, 400] } },
};

describe('profiles', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-profiles-'));
    const config = loadConfig({ L1T_DATA_DIR: dir });
    stores = await openStores(config);
    app = createApp({ config, stores, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses an invalid profile with one error per field, saves and lists a valid one', async () => {
    const bad = await request(app)
      .put('/api/profiles/lab-du1')
      .send({
        nrb: 999,
        timing: { mod: 'absolute' },
        eaxc_bits: { du_port: 4, band_sector: 4, cc: 4, ru_port: 5 },
        thresholds: { seq_gap: { nope: 1 } },
      });
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid_profile');
    const paths = (bad.body.error.fields as { path: string; message: string }[]).map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining(['nrb', 'timing.mod', 'eaxc_bits']));
    expect(bad.body.error.fields.find((f: { path: string }) => f.path === 'timing.mod').message).toBe('unknown key');
    const badOption = await request(app)
      .post('/api/profiles/validate')
      .send({ thresholds: { seq_gap: { nope: 1 } } });
    expect(badOption.status).toBe(400);
    expect(badOption.body.error.fields[0].path).toMatch(/^thresholds/);

    const ok = await request(app).put('/api/profiles/lab-du1').send(LAB);
    expect(ok.status).toBe(200);
    expect((await request(app).get('/api/profiles')).body.items.map((p: { name: string }) => p.name)).toEqual([
      'lab-du1',
    ]);
    expect((await request(app).get('/api/profiles/lab-du1')).body.profile).toEqual(LAB);
    expect((await request(app).get('/api/profiles/none')).status).toBe(404);
  });

  it('uploads with a saved profile or a profile document, and re-analyses a file with another profile', async () => {
    const up = await request(app)
      .post('/api/files')
      .field('profile', 'lab-du1')
      .attach('file', capture, { filename: 'du1.pcap' });
    expect(up.status).toBe(202);
    const claimed = await stores.metadata.claimJob('peek');
    expect(claimed?.payload).toMatchObject({ profile: LAB });
    await stores.metadata.completeJob(claimed!.id, { ok: false, error: 'peeked by the test' });

    const refused = await request(app)
      .post('/api/files')
      .field('profile_json', JSON.stringify({ nrb: 0 }))
      .attach('file', Buffer.concat([capture, Buffer.alloc(0)]), { filename: 'x.pcap' });
    expect(refused.status).toBe(400);
    expect(refused.body.error.fields[0].path).toBe('nrb');

    const again = await request(app).post(`/api/files/${up.body.id}/reanalyse`).send({ profile: 'lab-du1' });
    expect(again.status).toBe(202);
    expect(await new JobRunner(stores, { workerId: 't' }).drain()).toBe(1);
    const file = await request(app).get(`/api/files/${up.body.id}`);
    expect(file.body.status).toBe('done');
    const sessions = (await request(app).get('/api/sessions')).body.items as { name: string }[];
    expect(sessions.map((s) => s.name)).toContain('du1.pcap with profile lab-du1');
    expect((await request(app).post(`/api/files/${up.body.id}/reanalyse`).send({ profile: 'none' })).status).toBe(404);
  });
});
