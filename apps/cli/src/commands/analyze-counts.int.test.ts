import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { createApp, createLogger } from '@l1t/server';
import { openStores } from '@l1t/store';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { l1t } from '../test-support/run-cli.js';

/**
 * Issue 12: on `Vikas_python/ecpri.pcap` two pairs of findings shared an id, so 5 were printed and counted
 * but 3 stored, and the dashboard card (49) and the table (47) disagreed. Real captures are analysed by the
 * CLI into embedded stores (chDB + PGlite); every count of the same data must then be the same number.
 */
const samples = requireSharedDir('samples');
const SAMPLES = [
  'Vikas_python/ecpri.pcap', // findings sharing packet, type and flow (the lost ones)
  'pcap-analyzer/sample_oran.pcap',
  'Utilities/nv_offset0_ref0_2sym.pcap',
  'dos-attacker/cp_dl_short_1mb.pcap',
  'Wireshark-xRAN-RoE-eCPRI/roe.pcapng', // nothing analysable: 0 findings
];

interface Doc {
  files: { id: string; anomaly_count: number }[];
  anomalies: { id: string; file_id: string }[];
  summary: { anomalies: number; session_id: string };
}

describe.runIf(samples.available)('counts agree on real captures (CLI, session, files, dashboard, list)', () => {
  let dir: string;
  let env: Record<string, string>;
  const paths = SAMPLES.map((s) => join(samples.path, s));

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-counts-'));
    env = { L1T_DATA_DIR: dir };
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints, stores, counts and shows the same number of findings, with unique ids, twice over', async () => {
    const streamed = await l1t(['analyze', ...paths, '--no-store', '--format', 'jsonl'], env);
    expect(streamed.status).toBe(0);
    const lines = streamed.stdout.split('\n').filter(Boolean);
    const printedIds = lines.map((l) => (JSON.parse(l) as { id: string }).id);
    expect(new Set(printedIds).size).toBe(printedIds.length);

    const docs: Doc[] = [];
    for (const session of ['first', 'again']) {
      const r = await l1t(['analyze', ...paths, '--session', session, '--format', 'json', '--workers', '1'], env);
      expect(r.status).toBe(0);
      docs.push(JSON.parse(r.stdout) as Doc);
    }
    const [first, again] = docs as [Doc, Doc];
    const n = again.summary.anomalies;
    expect(n).toBeGreaterThanOrEqual(5);
    expect(n).toBe(lines.length);
    expect(first.summary.anomalies).toBe(n);
    expect(again.anomalies).toHaveLength(n);
    expect(again.files.reduce((s, f) => s + f.anomaly_count, 0)).toBe(n);
    // Stable: re-analysis gives every finding the id it had (a status or advice stays attached).
    const ids = again.anomalies.map((a) => a.id).sort();
    expect(first.anomalies.map((a) => a.id).sort()).toEqual(ids);
    expect([...printedIds].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(n);

    const config = loadConfig({ ...env, L1T_LOG_LEVEL: 'silent' });
    const stores = await openStores(config);
    try {
      const app = createApp({ config, stores, logger: createLogger('silent') });
      const sid = again.summary.session_id;
      const session = (await request(app).get(`/api/sessions/${sid}`)).body as {
        anomalies_detected: number;
        anomalies_stored: number;
        files: { id: string; anomaly_count: number }[];
      };
      expect(session.anomalies_detected).toBe(n);
      expect(session.anomalies_stored).toBe(n);
      // The first run found the same findings; its files' rows moved to the second run, and it says so.
      const sessions = (await request(app).get('/api/sessions')).body.items as {
        id: string;
        anomalies_detected: number;
        anomalies_stored: number;
      }[];
      expect(sessions.find((s) => s.id === first.summary.session_id)).toMatchObject({
        anomalies_detected: n,
        anomalies_stored: 0,
      });
      expect(sessions.find((s) => s.id === sid)).toMatchObject({ anomalies_detected: n, anomalies_stored: n });
      expect(session.files.reduce((s, f) => s + f.anomaly_count, 0)).toBe(n);
      for (const f of again.files) {
        const listed = await request(app).get(`/api/anomalies?file_id=${f.id}&limit=1`);
        expect(listed.body.total, f.id).toBe(f.anomaly_count);
        expect(session.files.find((x) => x.id === f.id)?.anomaly_count).toBe(f.anomaly_count);
      }
      const list = await request(app).get(`/api/anomalies?session_id=${sid}&limit=1000`);
      expect(list.body.total).toBe(n);
      expect(list.body.items.map((a: { id: string }) => a.id).sort()).toEqual(ids);
      // No filter: the data folder holds only these files (re-analysis replaced the first run's rows).
      expect((await request(app).get('/api/anomalies?limit=1')).body.total).toBe(n);
      for (const query of [`?session_id=${sid}`, '']) {
        const dash = (await request(app).get(`/api/dashboard/summary${query}`)).body as {
          total: number;
          cards: { key: string; value: number }[];
          by_severity: Record<string, number>;
        };
        expect(dash.total).toBe(n);
        expect(dash.cards.find((c) => c.key === 'anomalies')?.value).toBe(n);
        expect(Object.values(dash.by_severity).reduce((s, v) => s + v, 0)).toBe(n);
      }
    } finally {
      await stores.close();
    }
  });
});
