import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { buildPcap } from '../../capture/src/test-support/pcap-builder.js';
import { REQUIRE_ALL_SUITES } from '../../../test-support/shared.js';
import { startStoreServers } from '../../../test-support/store-servers.js';
import { createHash } from 'node:crypto';
import { fileIdFromSha256 } from './ids.js';
import { JobRunner } from './job-runner.js';

type Stores = Awaited<ReturnType<typeof openStores>>;

const pcap = (n: number, seed: number): Uint8Array =>
  buildPcap({ packets: Array.from({ length: n }, (_, i) => ({ tsSec: 1_790_000_000 + i, tsFrac: seed, data: new Uint8Array(64).fill(seed + i) })) });

async function queueFiles(stores: Stores, dir: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const path = join(dir, `f${i}.pcap`);
    const bytes = pcap(2 + i, i);
    writeFileSync(path, bytes);
    // As an upload records it: the id follows from the content's sha256.
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = fileIdFromSha256(sha256);
    await stores.metadata.upsertFile({ id, sessionId: null, name: `f${i}.pcap`, path, size: bytes.length, sha256, format: 'pcap', formatDetail: null });
    await stores.metadata.enqueueJob(id, { sessionName: 'uploads' });
    ids.push(id);
  }
  return ids;
}

function suite(name: string, env: () => Record<string, string>, available: () => boolean) {
  describe(`JobRunner on ${name}`, () => {
    let stores: Stores;
    let dir: string;

    beforeAll(async () => {
      if (!available()) return;
      dir = mkdtempSync(join(tmpdir(), 'l1t-jobs-'));
      stores = await openStores(loadConfig({ L1T_DATA_DIR: join(dir, 'data'), ...env() }));
      await stores.metadata.migrate();
      await stores.anomalies.migrate();
    });
    afterAll(async () => {
      await stores?.close();
    });

    it.runIf(available())('runs every queued job once across concurrent runners and records the results', async () => {
      const ids = await queueFiles(stores, dir, 6);
      await stores.metadata.upsertFile({ id: '20000000-0000-4000-8000-000000000001', sessionId: null, name: 'gone.pcap', path: join(dir, 'no-such.pcap'), size: 1, sha256: 'f'.repeat(64), format: 'pcap', formatDetail: null });
      await stores.metadata.enqueueJob('20000000-0000-4000-8000-000000000001', {});
      const seen: string[] = [];
      const onEvent = (e: { kind: string; fileId: string }) => {
        if (e.kind === 'done' || e.kind === 'failed') seen.push(e.fileId);
      };
      const a = new JobRunner(stores, { workerId: 'a', onEvent });
      const b = new JobRunner(stores, { workerId: 'b', onEvent });
      const [na, nb] = await Promise.all([a.drain(), b.drain()]);
      expect(na + nb).toBe(7);
      expect(seen.sort()).toEqual([...ids, '20000000-0000-4000-8000-000000000001'].sort());
      for (const [i, id] of ids.entries()) {
        expect(await stores.metadata.getFile(id)).toMatchObject({ status: 'done', packet_count: 2 + i, progress: 1 });
      }
      const gone = await stores.metadata.getFile('20000000-0000-4000-8000-000000000001');
      expect(gone).toMatchObject({ status: 'failed', error: 'offset 0: no such file or directory' });
      const sessions = await stores.anomalies.listSessions(100, 0);
      expect(sessions.filter((s) => s.name === 'uploads')).toHaveLength(6);
      expect(await a.drain()).toBe(0);
    });
  });
}

suite('embedded PGlite + chDB', () => ({}), () => true);

const servers: { env: Record<string, string>; close(): Promise<void> }[] = [];
const haveServer = Boolean(process.env.DATABASE_URL);
if (!haveServer && REQUIRE_ALL_SUITES) throw new Error('DATABASE_URL is not set and L1T_REQUIRE_ALL_SUITES=1');
beforeAll(async () => {
  if (haveServer) servers.push(await startStoreServers());
});
afterAll(async () => {
  for (const s of servers) await s.close();
});
suite('PostgreSQL server + ClickHouse over HTTP', () => servers[0]?.env ?? {}, () => haveServer);
