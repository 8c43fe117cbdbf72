import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { buildPcap } from '../../capture/src/test-support/pcap-builder.js';
import { fileIdFromSha256, jobSessionId } from './ids.js';
import { JobRunner } from './job-runner.js';
import { SessionRecorder } from './session-recorder.js';

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
