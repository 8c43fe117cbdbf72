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
