import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { concatBytes, parseFaultSpec, synthFronthaul } from '@l1t/capture';
import { loadConfig } from '@l1t/contracts';
import { JobRunner } from '@l1t/pipeline';
import { openStores } from '@l1t/store';
import { REQUIRE_ALL_SUITES } from '../../../../test-support/shared.js';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';

type Stores = Awaited<ReturnType<typeof openStores>>;
const TSHARK = '/usr/bin/tshark';
const haveTshark = existsSync(TSHARK);
if (!haveTshark && REQUIRE_ALL_SUITES) throw new Error('tshark is missing and L1T_REQUIRE_ALL_SUITES=1');

describe('GET /api/anomalies/:id/pcap', () => {
  let dir: string;
  let stores: Stores;
  let app: ReturnType<typeof createApp>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-slice-'));
    const config = loadConfig({ L1T_DATA_DIR: dir });
    stores = await openStores(config);
    app = createApp({ config, stores, logger: createLogger('silent') });
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the packets around an uploaded capture’s anomaly as a pcapng Wireshark reads', async () => {
    const synth = synthFronthaul(
      { durationS: 0.05, eaxc: { dl: [0], ul: [0] } },
      parseFaultSpec('seq_gap@0.02:count=2'),
      3,
    );
    const chunks: Uint8Array[] = [];
    for (let c = synth.next(); c; c = synth.next()) chunks.push(c);
    const bytes = Buffer.from(concatBytes(chunks));
    const up = await request(app).post('/api/files').attach('file', bytes, { filename: 'gap.pcap' });
    expect(up.status).toBe(202);
    await new JobRunner(stores, { workerId: 't' }).drain();
    const list = await request(app).get(`/api/anomalies?file_id=${up.body.id}&type=seq_gap`);
    expect(list.body.total).toBeGreaterThanOrEqual(1);
    const a = list.body.items[0];
    const slice = await request(app)
      .get(`/api/anomalies/${a.id}/pcap?margin=2`)
      .buffer(true)
      .parse((res, cb) => {
        const parts: Buffer[] = [];
        res.on('data', (c: Buffer) => parts.push(c));
        res.on('end', () => cb(null, Buffer.concat(parts)));
      });
    expect(slice.status).toBe(200);
    expect(slice.headers['content-type']).toBe('application/x-pcapng'); // not vnd.tcpdump.pcap: that names the older pcap format
    const body = slice.body as Buffer;
    expect(body.readUInt32BE(0)).toBe(0x0a0d0d0a);
    expect((await request(app).get(`/api/anomalies/${a.id}/pcap?margin=-1`)).status).toBe(400);
    if (haveTshark) {
      const out = join(dir, 'slice.pcapng');
      writeFileSync(out, body);
      const frames = execFileSync(TSHARK, ['-r', out, '-T', 'fields', '-e', 'frame.number'], { encoding: 'utf8' })
        .trim()
        .split('\n');
      expect(frames.length).toBeGreaterThanOrEqual(3);
    }
  });
});
