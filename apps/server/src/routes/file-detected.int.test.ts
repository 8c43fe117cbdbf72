/**
 * `GET /api/files/:id/summary` on real embedded stores, fed by the real pipeline on a real capture
 * (Utilities/fh_ks.pcap) analysed with its MANIFEST profile: the summary carries what the packets showed
 * (`detected`) and the profile's values (`profile_settings`) that the file page shows side by side (issue 16).
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

type Stores = Awaited<ReturnType<typeof openStores>>;
const samples = requireSharedDir('samples');

describe.runIf(samples.available)('detected values in GET /api/files/:id/summary', { timeout: 120_000 }, () => {
  let dir: string;
  let stores: Stores;
  let app: ReturnType<typeof createApp>;
  let result: FileResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-file-detected-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    app = createApp({ config, stores, logger: createLogger('silent') });
    const recorder = new SessionRecorder(stores, 'detected');
    await recorder.start();
    result = await analyzeFile(fileInput(`${samples.path}/Utilities/fh_ks.pcap`, 'fh_ks.pcap'), {
      sessionId: recorder.id,
      profile: { name: 'fh_ks', nrb: 51, uplane: { comp_method: 'none', iq_width: 16, comp_hdr: 'static' } },
    });
    await recorder.record(result);
    await recorder.finish();
  }, 120_000);

  afterAll(async () => {
    await stores?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('serves the detected values and the profile values as the analysis recorded them', async () => {
    const res = await request(app).get(`/api/files/${result.fileId}/summary`);
    expect(res.status).toBe(200);
    expect(res.body.summary.detected).toEqual({
      scs_khz: 30,
      scs_source: 'inferred from slotId range 0..1 (no scs_khz in profile)',
      max_slot_id: 1,
      max_prb: 50,
      comp_methods: ['none'],
      iq_widths: [16],
      eaxc: { 'c|dl': [1, 2], 'u|dl': [1, 2] },
      timing_mode: 'absolute',
      timing_reference_us: {},
    });
    expect(res.body.summary.profile_settings).toEqual({
      name: 'fh_ks',
      scs_khz: null,
      nrb: 51,
      comp_method: 'none',
      iq_width: 16,
      timing_mode: null,
    });
  });
});
