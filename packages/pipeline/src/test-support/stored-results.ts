import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadConfig } from '@l1t/contracts';
import {
  ClickHouseAnomalyStore,
  DrizzleMetadataStore,
  HttpExecutor,
  openPglite,
  openPgServer,
  type FullMetadataStore,
} from '@l1t/store';
import { startChdbHttpFixture, type ChdbHttpFixture } from '../../../store/src/test-support/chdb-http-fixture.js';
import { createTestDatabase } from '../../../store/src/test-support/postgres-server.js';
import { fileIdFromSha256 } from '../ids.js';

/**
 * What the stores hold of one file after its analysis (TEST code), as sorted lists so that two runs compare
 * as sets — and as multisets: a row written twice shows up twice.
 */
export interface StoredResults {
  anomalies: string[];
  metrics: string[];
  incidents: string[];
  file: { status: string; anomaly_count: number; packet_count: number | null };
}

export async function storedResults(
  store: ClickHouseAnomalyStore,
  metadata: FullMetadataStore,
  fileId: string,
): Promise<StoredResults> {
  const db = store.database;
  const q = async (sql: string): Promise<string[]> =>
    (await store.executor.query<{ r: string }>(sql, { f: fileId })).map((x) => x.r).sort();
  const file = await metadata.getFile(fileId);
  return {
    // Without FINAL, as the API reads them: a duplicate that a merge would collapse later still counts.
    anomalies: await q(
      `SELECT concat(toString(id), ' ', type, ' ', toString(packet_index), ' ', toString(packet_count), ' ', description) AS r FROM ${db}.anomalies WHERE file_id = {f:String}`,
    ),
    metrics: await q(
      `SELECT concat(name, ' ', toString(timestamp), ' ', toJSONString(labels), ' ', toString(value)) AS r FROM ${db}.metrics WHERE file_id = {f:String}`,
    ),
    incidents: await q(
      `SELECT concat(toString(id), ' ', title, ' ', toString(length(finding_ids))) AS r FROM ${db}.incidents WHERE file_id = {f:String}`,
    ),
    file: {
      status: file?.status ?? 'missing',
      anomaly_count: file?.anomaly_count ?? -1,
      packet_count: file?.packet_count ?? null,
    },
  };
}

/** Records a sample file as an upload does (id from its sha256) and queues its analysis; returns its id. */
export async function queueSample(
  metadata: FullMetadataStore,
  path: string,
  sessionName = 'faults',
): Promise<{ fileId: string; jobId: string }> {
  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const fileId = fileIdFromSha256(sha256);
  await metadata.upsertFile({
    id: fileId,
    sessionId: null,
    name: basename(path),
    path,
    size: bytes.length,
    sha256,
    format: 'pcap',
    formatDetail: null,
  });
  const job = await metadata.enqueueJob(fileId, { sessionName });
  return { fileId, jobId: job.id };
}

/**
 * Stores for a fault test (TEST code): a real ClickHouse engine (chDB over ClickHouse's HTTP protocol) in a
 * child process on `dir/chdb` that the test can kill and start again, and the metadata store — a throw-away
 * database on DATABASE_URL's server when set (CI), embedded PGlite otherwise. `clickhouse(db)` opens and
 * migrates one database of the engine.
 */
export async function openFaultStores(dir: string): Promise<FaultStores> {
  const pg = process.env.DATABASE_URL ? await createTestDatabase(process.env.DATABASE_URL) : undefined;
  const fixture = await startChdbHttpFixture({ dataDir: join(dir, 'chdb') });
  const config = loadConfig({
    L1T_DATA_DIR: join(dir, 'data'),
    ...(pg ? { DATABASE_URL: pg.url } : {}),
    CLICKHOUSE_URL: fixture.url,
  });
  const metadata =
    config.postgres.kind === 'server'
      ? new DrizzleMetadataStore(await openPgServer(config.postgres.url))
      : new DrizzleMetadataStore(await openPglite(config.postgres.dataDir));
  await metadata.migrate();
  const opened: ClickHouseAnomalyStore[] = [];
  const self: FaultStores = {
    fixture,
    metadata,
    databaseUrl: pg?.url,
    async clickhouse(db) {
      const store = new ClickHouseAnomalyStore(
        new HttpExecutor({ url: self.fixture.url, requestTimeoutMs: 10_000 }),
        db,
      );
      await store.migrate();
      opened.push(store);
      return store;
    },
    async restart() {
      self.fixture = await startChdbHttpFixture({ dataDir: join(dir, 'chdb'), port: self.fixture.port });
    },
    async close() {
      for (const s of opened) await s.close().catch(() => undefined);
      await metadata.close().catch(() => undefined);
      await self.fixture.close();
      await pg?.drop();
    },
  };
  return self;
}

export interface FaultStores {
  fixture: ChdbHttpFixture;
  metadata: FullMetadataStore;
  /** The throw-away database's URL (for a worker process), when the metadata is on a server. */
  databaseUrl: string | undefined;
  clickhouse(db: string): Promise<ClickHouseAnomalyStore>;
  /** Starts the engine again on the same data directory and port (after `fixture.kill()`). */
  restart(): Promise<void>;
  close(): Promise<void>;
}
