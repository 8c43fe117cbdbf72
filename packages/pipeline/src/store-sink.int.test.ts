import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Anomaly, type Metric } from '@l1t/contracts';
import { openStores, type FullAnomalyStore } from '@l1t/store';
import { requireSharedDir } from '../../../test-support/shared.js';
import { analyzeFile } from './analyze-file.js';
import { createStoreSink } from './store-sink.js';
import { fileInput } from './sources.js';

/**
 * The store sink on a real ClickHouse engine (chDB): what a streamed analysis stores is what the kept analysis
 * returns, a re-analysis replaces instead of adding, and a tiny queue (backpressure on every batch) changes
 * nothing but the pace.
 */
const samples = requireSharedDir('samples');
const SAMPLES = ['Utilities/nv_offset0_ref0_2sym.pcap', 'Vikas_python/ecpri.pcap', 'dos-attacker/cp_dl_short_1mb.pcap'];

/** A stored anomaly as the list returns it (packet_context is read by id only). */
const listed = ({ packet_context: _context, ...a }: Anomaly): Omit<Anomaly, 'packet_context'> => a;
const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const metricKey = (m: Metric): string => JSON.stringify([m.timestamp, m.name, m.labels, m.value, m.file_id]);

describe.runIf(samples.available)('createStoreSink on chDB', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let store: FullAnomalyStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-sink-'));
    stores = await openStores(loadConfig({ L1T_DATA_DIR: dir }));
    await stores.anomalies.migrate();
    store = stores.anomalies;
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes one file id at a time: the same content analysed twice at once is stored once', async () => {
    const path = join(samples.path, 'Utilities/nv_offset0_ref0_2sym.pcap');
    const kept = await analyzeFile(fileInput(path));
    const both = await Promise.all(
      [0, 1].map(() => analyzeFile(fileInput(path), { sink: createStoreSink(store, { bulkRows: 1 }) })),
    );
    expect(both.map((r) => r.fileId)).toEqual([kept.fileId, kept.fileId]);
    expect((await store.queryAnomalies({ fileId: kept.fileId })).total).toBe(kept.anomalies.length);
    expect(await store.queryMetrics({ fileId: kept.fileId, limit: 10_000 })).toHaveLength(kept.metrics.length);
  });

  it('lets the next writer of a file go on after an internal error left the first one begun', async () => {
    const path = join(samples.path, 'Vikas_python/ecpri.pcap');
    const broken = await analyzeFile(fileInput(path), {
      sink: createStoreSink(store),
      analyzerFactory: () => ({
        push: () => {
          throw new Error('a bug in an analyzer');
        },
        finish: () => ({
          summary: { records: 0, unknownRecords: 0, malformedRecords: 0, details: {} },
          anomalies: [],
          metrics: [],
        }),
      }),
    }).catch((err: unknown) => err);
    expect(broken).toEqual(new Error('a bug in an analyzer'));
    const next = await analyzeFile(fileInput(path), { sink: createStoreSink(store) });
    expect((await store.queryAnomalies({ fileId: next.fileId })).total).toBe(next.counts.anomalyCount);
  });

  for (const sample of SAMPLES) {
    it(`stores what a kept analysis returns, and replaces it on re-analysis: ${sample}`, async () => {
      const path = join(samples.path, sample);
      const kept = await analyzeFile(fileInput(path), { sessionId: 'kept' });
      for (const options of [{}, { bulkRows: 2, maxPendingRows: 3 }]) {
        const r = await analyzeFile(fileInput(path), { sessionId: 'kept', sink: createStoreSink(store, options) });
        expect(r.counts).toEqual(kept.counts);
        const stored = await store.queryAnomalies({ fileId: r.fileId, limit: 10_000 });
        expect(stored.total).toBe(kept.anomalies.length);
        expect([...stored.items].sort(byId)).toEqual(kept.anomalies.map(listed).sort(byId));
        const metrics = await store.queryMetrics({ fileId: r.fileId, limit: 10_000 });
        expect(metrics.map(metricKey).sort()).toEqual(kept.metrics.map(metricKey).sort());
      }
      expect(kept.anomalies.length + kept.metrics.length).toBeGreaterThan(0);
    });
  }
});
