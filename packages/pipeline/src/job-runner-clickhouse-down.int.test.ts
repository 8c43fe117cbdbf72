import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../test-support/shared.js';
import { JobRunner, type JobEvent } from './job-runner.js';
import { DEFAULT_SITE, siteModelKey } from './site-models.js';
import { StoreSpool } from './store-spool.js';
import {
  openFaultStores,
  queueSample,
  storedResults,
  type FaultStores,
  type StoredResults,
} from './test-support/stored-results.js';

/**
 * Issue #17 faults: "ClickHouse unreachable during analysis (anomalies and metrics spooled under
 * L1T_DATA_DIR, flushed when it returns — stop and restart the engine mid-run and count rows: none lost, none
 * duplicated)". The engine is a real ClickHouse (chDB) behind ClickHouse's HTTP protocol in a child process;
 * it is killed (SIGKILL) once the file's first rows are in, and started again on the same data directory and
 * port. The rows of the run are compared with an uninterrupted run of the same file on stores of its own.
 */
const samples = requireSharedDir('samples');
// A real S-plane capture (MANIFEST: s-plane_security) with findings, incidents and hundreds of metric rows.
const SAMPLE = 's-plane_security/2024-10-08-sync_attack_1.pcap';
// Small batches, so that rows reach ClickHouse while the file is read and the kill lands between batches.
const SINK = { bulkRows: 25, maxPendingRows: 50 };

async function until(what: string, ms: number, ok: () => boolean | Promise<boolean>): Promise<void> {
  const end = Date.now() + ms;
  while (!(await ok())) {
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe.runIf(samples.available)('ClickHouse unreachable during an analysis', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l1t-ch-down-'));
  let stores: FaultStores | undefined;
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('spools the rows under L1T_DATA_DIR, says so on the file, and flushes them once when it returns: none lost, none duplicated', async () => {
    const path = join(samples.path, SAMPLE);
    stores = await openFaultStores(dir);
    const { metadata } = stores;

    // The uninterrupted run: a database of its own on the same engine, the same job runner.
    const ref = await stores.clickhouse('l1t_ref');
    const refJob = await queueSample(metadata, path);
    expect(await new JobRunner({ anomalies: ref, metadata }, { workerId: 'ref', sink: SINK }).drain()).toBe(1);
    const expected = await storedResults(ref, metadata, refJob.fileId);
    expect(expected.file.status).toBe('done');
    expect(expected.anomalies.length).toBeGreaterThan(0);
    expect(expected.metrics.length).toBeGreaterThan(SINK.bulkRows * 4);
    // Each run starts from a site without a learned window_stat_outlier model (the ref run stored one).
    await metadata.putSetting(siteModelKey(DEFAULT_SITE), {}); // not a model: parseSiteModel ignores it

    // The interrupted run: the same file analysed again into another database.
    const ch = await stores.clickhouse('l1t_down');
    const { fileId } = await queueSample(metadata, path);
    expect(fileId).toBe(refJob.fileId);
    const spoolDir = join(dir, 'data', 'spool', 'clickhouse');
    const spool = new StoreSpool(spoolDir);
    const events: JobEvent[] = [];
    const runner = new JobRunner(
      { anomalies: ch, metadata },
      {
        workerId: 'w',
        pollMs: 200,
        sink: SINK,
        spool,
        onEvent: (e) => events.push(e),
      },
    );
    const count = async (): Promise<number> => {
      const [r] = await ch.executor.query<{ n: string }>(
        `SELECT (SELECT count() FROM ${ch.database}.anomalies) + (SELECT count() FROM ${ch.database}.metrics) AS n`,
      );
      return Number(r!.n);
    };
    runner.start();
    let rowsBeforeKill = 0;
    let spoolBytes = 0;
    let spooledRows = 0;
    try {
      await until('first rows stored', 30_000, async () => (rowsBeforeKill = await count()) > 0);
      await stores.fixture.kill(); // mid-run: the file is still being read
      expect(events.some((e) => e.kind === 'done')).toBe(false);

      await until('job done with its rows spooled', 30_000, () => events.some((e) => e.kind === 'done'));
      const spooled = events.find((e) => e.kind === 'spooled');
      expect(spooled).toMatchObject({ fileId, dir: spoolDir });
      spooledRows = (spooled as { rows: number }).rows;
      expect(spooledRows).toBeGreaterThan(0);
      const file = await metadata.getFile(fileId);
      expect(file).toMatchObject({ status: 'done', anomaly_count: expected.file.anomaly_count });
      expect(file?.warning).toContain(`ClickHouse unreachable: ${spooledRows} rows spooled at`);
      const files = readdirSync(spoolDir);
      expect(files).toHaveLength(1);
      spoolBytes = statSync(join(spoolDir, files[0]!)).size;
      expect(spool.pending).toEqual([expect.objectContaining({ fileId, rows: spooledRows })]);

      // ClickHouse returns on the same data directory and address.
      await stores.restart();
      await until('spool flushed', 30_000, () => events.some((e) => e.kind === 'flushed'));
      expect(readdirSync(spoolDir)).toEqual([]);
      expect(spool.bytes).toBe(0);
      expect((await metadata.getFile(fileId))?.warning).toMatch(
        new RegExp(`ClickHouse was unreachable: ${spooledRows} rows spooled at .*, flushed at `),
      );
    } finally {
      await runner.stop();
    }
    const got: StoredResults = await storedResults(ch, metadata, fileId);
    console.info(
      `ClickHouse killed after ${rowsBeforeKill} rows stored; ${spooledRows} rows spooled (${spoolBytes} bytes); ` +
        `after the flush ${got.anomalies.length} anomalies + ${got.metrics.length} metrics, ` +
        `uninterrupted ${expected.anomalies.length} + ${expected.metrics.length}`,
    );
    expect(got.anomalies).toEqual(expected.anomalies);
    expect(got.metrics).toEqual(expected.metrics);
    expect(got.incidents).toEqual(expected.incidents);
    expect(got.file).toEqual(expected.file);
    // Said once each.
    expect(events.filter((e) => e.kind === 'spooled')).toHaveLength(1);
    expect(events.filter((e) => e.kind === 'flushed')).toHaveLength(1);
    // The job's closing session row went through the spool as well.
    expect(await ch.listSessions(10, 0)).toEqual([expect.objectContaining({ status: 'done', files_processed: 1 })]);

    // A batch sent twice under one deduplication token (a replay whose first answer was lost) is stored once.
    const before = await count();
    const [metric] = await ch.queryMetrics({ fileId, limit: 1 });
    await ch.insertMetrics([metric!, metric!], { deduplicationToken: 'replayed:1:m' });
    await ch.insertMetrics([metric!, metric!], { deduplicationToken: 'replayed:1:m' });
    expect(await count()).toBe(before + 2);
  }, 120_000);
});
