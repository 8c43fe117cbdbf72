import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { buildPcap } from '../../capture/src/test-support/pcap-builder.js';
import { REQUIRE_ALL_SUITES, requireSharedDir } from '../../../test-support/shared.js';
import { fileIdFromSha256, jobSessionId } from './ids.js';
import { JobRunner } from './job-runner.js';
import { SessionRecorder } from './session-recorder.js';
import { DEFAULT_SITE, siteModelKey } from './site-models.js';
import { openFaultStores, queueSample, storedResults, type FaultStores } from './test-support/stored-results.js';

/** Issue #17 defect 4: a job retried after its worker was killed mid-file leaves no session "running". */
describe('a job retried after a killed worker', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-job-retry-'));
    stores = await openStores(loadConfig({ L1T_DATA_DIR: join(dir, 'data') }), {
      metadata: { jobLockTimeoutMs: 1000 },
    });
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is taken over after the lock timeout, analysed, and its session closed', async () => {
    const bytes = buildPcap({
      packets: [1, 2, 3].map((i) => ({ tsSec: 1_790_000_000 + i, tsFrac: 0, data: new Uint8Array(64).fill(i) })),
    });
    const path = join(dir, 'f.pcap');
    writeFileSync(path, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = fileIdFromSha256(sha256);
    await stores.metadata.upsertFile({
      id,
      sessionId: null,
      name: 'f.pcap',
      path,
      size: bytes.length,
      sha256,
      format: 'pcap',
      formatDetail: null,
    });
    const job = await stores.metadata.enqueueJob(id, { sessionName: 'uploads' });
    // The killed worker: it claimed the job, opened the job's session and marked the file analysing, then died.
    await stores.metadata.claimJob('killed');
    await new SessionRecorder(stores, 'uploads', jobSessionId(job.id)).start();
    await stores.metadata.updateFile(id, { status: 'analysing', progress: 0.37 });
    await new Promise((r) => setTimeout(r, 1300));
    const events: string[] = [];
    const runner = new JobRunner(stores, { workerId: 'fresh', onEvent: (e) => events.push(e.kind) });
    expect(await runner.drain()).toBe(1);
    expect(events).toContain('done');
    expect(await stores.metadata.getFile(id)).toMatchObject({ status: 'done', progress: 1, packet_count: 3 });
    const sessions = (await stores.anomalies.listSessions(100, 0)).filter((s) => s.name === 'uploads');
    expect(sessions).toHaveLength(1);
    expect(sessions[0]!.status).not.toBe('running');
  });
});

/** Issue #17 defect 4: a job given up after its last attempt closed its file but left its session "running". */
describe('a job given up after its last attempt', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-job-abandon-'));
    stores = await openStores(loadConfig({ L1T_DATA_DIR: join(dir, 'data') }), {
      metadata: { jobLockTimeoutMs: 1000, jobMaxAttempts: 1 },
    });
  });
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function queuedFile(name: string, fill: number): Promise<string> {
    const bytes = buildPcap({ packets: [{ tsSec: 1_790_000_000, tsFrac: 0, data: new Uint8Array(64).fill(fill) }] });
    const path = join(dir, name);
    writeFileSync(path, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = fileIdFromSha256(sha256);
    await stores.metadata.upsertFile({
      id,
      sessionId: null,
      name,
      path,
      size: bytes.length,
      sha256,
      format: 'pcap',
      formatDetail: null,
    });
    return id;
  }

  /** The killed worker: it claimed the job, opened its session and marked the file analysing, then died. */
  async function killedWorker(sessionId: string, name: string, batch: boolean, fileId: string): Promise<void> {
    await stores.metadata.claimJob('killed');
    await new SessionRecorder(stores, name, sessionId, batch).start();
    await stores.metadata.updateFile(fileId, { status: 'analysing', progress: 0.37 });
  }

  const session = async (id: string) => (await stores.anomalies.listSessions(100, 0)).find((s) => s.id === id);

  it('closes the session of its own (failed) when the runner finds it abandoned', async () => {
    const fileId = await queuedFile('lone.pcap', 1);
    const job = await stores.metadata.enqueueJob(fileId, { sessionName: 'lone upload' });
    await killedWorker(jobSessionId(job.id), 'lone upload', false, fileId);
    await new Promise((r) => setTimeout(r, 1300));
    const events: string[] = [];
    const runner = new JobRunner(stores, { workerId: 'fresh', onEvent: (e) => events.push(e.kind) });
    expect(await runner.drain()).toBe(0); // nothing runnable: the job had used its only attempt
    expect(await stores.metadata.getJob(job.id)).toMatchObject({ status: 'failed' });
    expect(await stores.metadata.getFile(fileId)).toMatchObject({ status: 'failed' });
    expect(events).toContain('failed');
    expect(await session(jobSessionId(job.id))).toMatchObject({
      status: 'failed',
      files_failed: 1,
      files_processed: 1,
    });
    expect(await stores.metadata.getSession(jobSessionId(job.id))).toMatchObject({ status: 'failed' });
  });

  it("closes a batch session when its last file's job is abandoned (partial: the other file was done)", async () => {
    const batch = '7a1e9c52-3d3e-4f1a-8b2c-000000000017';
    const done = await queuedFile('done.pcap', 2);
    const stuck = await queuedFile('stuck.pcap', 3);
    await stores.metadata.updateFile(stuck, { sessionId: batch });
    const payload = { sessionName: 'batch', sessionId: batch };
    const first = await stores.metadata.enqueueJob(done, payload);
    expect(await new JobRunner(stores, { workerId: 'w' }).drain()).toBe(1);
    expect(await stores.metadata.getJob(first.id)).toMatchObject({ status: 'done' });
    expect(await session(batch)).toMatchObject({ status: 'running' }); // stuck.pcap is still queued in it
    await stores.metadata.enqueueJob(stuck, payload);
    await killedWorker(batch, 'batch', true, stuck);
    await new Promise((r) => setTimeout(r, 1300));
    expect(await new JobRunner(stores, { workerId: 'fresh' }).drain()).toBe(0);
    expect(await session(batch)).toMatchObject({ status: 'partial', files_processed: 2, files_failed: 1 });
  });
});

/**
 * Issue #17 faults: "a worker killed mid-file (retried, stored result identical to an uninterrupted run,
 * file never stuck)". A real `l1t worker` process analyses a real capture into PostgreSQL and a ClickHouse
 * engine over HTTP; it is killed with SIGKILL once some of the file's rows are stored and while its job is
 * still running. A second `l1t worker --once` takes the job over when its lock expires. What is stored then —
 * anomaly rows, metric rows and incidents as multisets (a row written before the kill and again by the
 * retry would show twice), the file's counters — equals an uninterrupted run of the same file.
 */
const samples = requireSharedDir('samples');
const haveServer = Boolean(process.env.DATABASE_URL);
if (!haveServer && REQUIRE_ALL_SUITES) throw new Error('DATABASE_URL is not set and L1T_REQUIRE_ALL_SUITES=1');
const CLI = fileURLToPath(new URL('../../../apps/cli/bin/l1t.js', import.meta.url));
// MANIFEST: s-plane_security, a real 15-minute PTP capture (4 MB): its first findings (competing
// grandmasters) close within the first packets, the rest of its rows at the end of the file — so a kill once
// the first rows are stored lands while the file is being read.
const SAMPLE = 's-plane_security/15min_announce_attack.pcap';
const BULK_ROWS = 5; // rows reach ClickHouse while the file is read, in batches of 5

describe.runIf(haveServer && samples.available)('a real worker process killed mid-file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l1t-worker-kill-'));
  let stores: FaultStores | undefined;
  const children: ChildProcess[] = [];
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function worker(
    args: string[],
    name: string,
  ): { child: ChildProcess; exit: Promise<number | null>; stderr: () => string } {
    let err = '';
    const child = spawn(process.execPath, [CLI, 'worker', ...args], {
      env: {
        PATH: process.env.PATH ?? '',
        L1T_DATA_DIR: join(dir, name),
        DATABASE_URL: stores!.databaseUrl!,
        CLICKHOUSE_URL: stores!.fixture.url,
        CLICKHOUSE_DATABASE: 'l1t_killed',
        L1T_JOB_LOCK_TIMEOUT_S: '5',
        L1T_STORE_BULK_ROWS: String(BULK_ROWS),
        L1T_LOG_LEVEL: 'silent',
      },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (c: Buffer) => (err += c.toString('utf8')));
    children.push(child);
    const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    return { child, exit, stderr: () => err };
  }

  it('is retried by another worker; the stored result equals an uninterrupted run, nothing twice, the file done', async () => {
    stores = await openFaultStores(dir);
    const { metadata } = stores;
    const path = join(samples.path, SAMPLE);

    // The uninterrupted run (in this process, the same job runner): a database of its own.
    const ref = await stores.clickhouse('l1t_ref');
    const refJob = await queueSample(metadata, path);
    const refRunner = new JobRunner({ anomalies: ref, metadata }, { workerId: 'ref', sink: { bulkRows: BULK_ROWS } });
    expect(await refRunner.drain()).toBe(1);
    const expected = await storedResults(ref, metadata, refJob.fileId);
    expect(expected.file.status).toBe('done');
    expect(expected.anomalies.length).toBeGreaterThan(BULK_ROWS);
    // Each run starts from a site without a learned window_stat_outlier model (the ref run stored one).
    await metadata.putSetting(siteModelKey(DEFAULT_SITE), {});

    const ch = await stores.clickhouse('l1t_killed');
    const { fileId, jobId } = await queueSample(metadata, path);
    const rows = async (): Promise<number> => {
      const [r] = await ch.executor.query<{ n: string }>(
        `SELECT (SELECT count() FROM ${ch.database}.anomalies) + (SELECT count() FROM ${ch.database}.metrics) AS n`,
      );
      return Number(r!.n);
    };

    const first = worker(['--poll', '0.2'], 'w1');
    let before = 0;
    const deadline = Date.now() + 45_000;
    while ((before = await rows()) === 0) {
      if (Date.now() > deadline || first.child.exitCode !== null) throw new Error(`no rows stored: ${first.stderr()}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    first.child.kill('SIGKILL');
    await first.exit;
    // Killed mid-file: some rows are in, the job and the file are still marked as running.
    expect(await metadata.getJob(jobId)).toMatchObject({ status: 'running', attempts: 1 });
    const stuck = await metadata.getFile(fileId);
    expect(stuck?.status).toBe('analysing');
    const afterKill = await rows();
    expect(afterKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(expected.anomalies.length + expected.metrics.length);

    await new Promise((r) => setTimeout(r, 5_500)); // the dead worker's lock expires
    const second = worker(['--once'], 'w2');
    expect(await second.exit).toBe(0);
    expect(second.stderr()).toContain(`file ${fileId} done`);

    console.info(
      `worker killed with ${afterKill} of ${expected.anomalies.length + expected.metrics.length} rows stored ` +
        `(first seen: ${before}); after the retry: ${await rows()} rows`,
    );
    expect(await metadata.getJob(jobId)).toMatchObject({ status: 'done', attempts: 2 });
    const got = await storedResults(ch, metadata, fileId);
    expect(got.anomalies).toEqual(expected.anomalies);
    expect(got.metrics).toEqual(expected.metrics);
    expect(got.incidents).toEqual(expected.incidents);
    expect(got.file).toEqual(expected.file);
    expect(await metadata.getFile(fileId)).toMatchObject({ status: 'done', progress: 1 });
    // The retried job's session closed with the file counted once.
    expect(await ch.listSessions(10, 0)).toEqual([
      expect.objectContaining({ status: 'done', files_processed: 1, anomalies_detected: expected.file.anomaly_count }),
    ]);
  }, 120_000);
});
