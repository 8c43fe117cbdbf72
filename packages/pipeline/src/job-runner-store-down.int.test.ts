import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { DrizzleMetadataStore, openPglite, openStores, type FullMetadataStore } from '@l1t/store';
import { buildPcap } from '../../capture/src/test-support/pcap-builder.js';
import { fileIdFromSha256 } from './ids.js';
import { JobRunner, type JobEvent } from './job-runner.js';

/**
 * Issue #17 faults: "PostgreSQL unreachable … queued jobs resume". The database really goes away (the PGlite
 * instance is closed: every query rejects) and comes back (a new instance opened on the same directory, as a
 * pool reconnects to a restarted server); the runner reaches it through `db`, which forwards to whichever
 * connection is current. The queued job is kept in the database and runs once it is back.
 */
describe('queued jobs while PostgreSQL is unreachable', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l1t-job-pg-down-'));
  let stores: Awaited<ReturnType<typeof openStores>> | undefined;
  let current: FullMetadataStore | undefined;
  afterAll(async () => {
    await current?.close().catch(() => undefined);
    await stores?.anomalies.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('are claimed again and analysed when it returns; the runner reports the outage and keeps polling', async () => {
    const config = loadConfig({ L1T_DATA_DIR: join(dir, 'data') });
    stores = await openStores(config);
    current = stores.metadata;
    const bytes = buildPcap({
      packets: [1, 2].map((i) => ({ tsSec: 1_790_000_000 + i, tsFrac: 0, data: new Uint8Array(64).fill(i) })),
    });
    const path = join(dir, 'q.pcap');
    writeFileSync(path, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const fileId = fileIdFromSha256(sha256);
    await current.upsertFile({
      id: fileId,
      sessionId: null,
      name: 'q.pcap',
      path,
      size: bytes.length,
      sha256,
      format: 'pcap',
      formatDetail: null,
    });
    const job = await current.enqueueJob(fileId, { sessionName: 'outage' });

    await current.close(); // PostgreSQL goes away with the job queued
    const db = new Proxy({} as FullMetadataStore, {
      get: (_t, prop) => {
        const v = (current as unknown as Record<PropertyKey, unknown>)[prop];
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(current) : v;
      },
    });
    const errors: unknown[] = [];
    const events: JobEvent[] = [];
    let finished!: () => void;
    const done = new Promise<void>((r) => (finished = r));
    const runner = new JobRunner(
      { anomalies: stores.anomalies, metadata: db },
      {
        workerId: 'survivor',
        pollMs: 100,
        onError: (e) => errors.push(e),
        onEvent: (e) => {
          events.push(e);
          if (e.kind === 'done' || e.kind === 'failed') finished();
        },
      },
    );
    runner.start();
    try {
      await new Promise((r) => setTimeout(r, 600));
      expect(errors.length).toBeGreaterThanOrEqual(2); // each poll failed, was reported, and the loop went on
      expect(events).toEqual([]);

      if (config.postgres.kind !== 'embedded') throw new Error('expected the embedded PostgreSQL');
      current = new DrizzleMetadataStore(await openPglite(config.postgres.dataDir)); // it is back
      await Promise.race([
        done,
        new Promise((_r, reject) => setTimeout(() => reject(new Error('the job did not run within 20 s')), 20_000)),
      ]);
    } finally {
      await runner.stop();
    }
    expect(events.map((e) => e.kind).filter((k) => k !== 'progress')).toEqual(['started', 'done']);
    expect(await current.getJob(job.id)).toMatchObject({ status: 'done', attempts: 1 });
    expect(await current.getFile(fileId)).toMatchObject({ status: 'done', packet_count: 2 });
  }, 40_000);
});
