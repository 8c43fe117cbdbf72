import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@l1t/contracts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from './errors.js';
import { openStores } from './open-stores.js';
import { fullAnomaly } from './test-support/anomaly-fixtures.js';
import { startChdbHttpFixture, type ChdbHttpFixture } from './test-support/chdb-http-fixture.js';
import { createTestDatabase } from './test-support/postgres-server.js';

// One embedded data directory for the whole file: chDB binds one per process.
const dataDir = mkdtempSync(join(tmpdir(), 'l1t-stores-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

/** A loopback port with nothing listening. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

async function rejection(p: Promise<unknown>): Promise<StoreUnavailableError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(StoreUnavailableError);
  return e as StoreUnavailableError;
}

// PGlite initialises its cluster (WebAssembly initdb) here: slow on a loaded machine.
describe('openStores', { timeout: 120_000 }, () => {
  it('opens the embedded stores under L1T_DATA_DIR, migrates them, reports ready and persists across reopen', async () => {
    const config = loadConfig({ L1T_DATA_DIR: dataDir });
    const stores = await openStores(config);
    expect(stores.anomalies.kind).toBe('chdb');
    expect(stores.metadata.kind).toBe('pglite');
    expect(existsSync(join(dataDir, 'clickhouse'))).toBe(true);
    expect(existsSync(join(dataDir, 'postgres'))).toBe(true);
    expect(await stores.ready()).toMatchObject({ ok: true, clickhouse: { ok: true }, postgres: { ok: true } });
    const a = fullAnomaly();
    await stores.anomalies.insertAnomalies([a]);
    await stores.metadata.putSetting('k', { v: 1 });
    await stores.close();

    const again = await openStores(config);
    try {
      expect(await again.anomalies.migrate()).toEqual([]);
      expect(await again.metadata.migrate()).toEqual([]);
      expect(await again.anomalies.getAnomaly(a.id)).toEqual(a);
      expect(await again.metadata.getSetting('k')).toEqual({ v: 1 });
    } finally {
      await again.close();
    }
  });

  it('names CLICKHOUSE_URL and the redacted address in one line when ClickHouse is unreachable', async () => {
    const port = await closedPort();
    const config = loadConfig({ L1T_DATA_DIR: dataDir, CLICKHOUSE_URL: `http://l1t:s3cret@127.0.0.1:${port}` });
    const e = await rejection(openStores(config, { connectTimeoutMs: 5_000 }));
    expect(e.message).toMatch(
      new RegExp(
        `^cannot reach ClickHouse at CLICKHOUSE_URL=http://l1t:\\*\\*\\*@127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`,
      ),
    );
    expect(e.message).not.toContain('s3cret');
    expect(e.message).not.toContain('\n');
    expect(e.stack).toBe(`StoreUnavailableError: ${e.message}`);
  });

  it('names DATABASE_URL and the redacted address in one line when PostgreSQL is unreachable', async () => {
    const port = await closedPort();
    const config = loadConfig({ L1T_DATA_DIR: dataDir, DATABASE_URL: `postgres://app:s3cret@127.0.0.1:${port}/l1t` });
    const e = await rejection(openStores(config, { connectTimeoutMs: 5_000 }));
    expect(e.message).toMatch(
      new RegExp(
        `^cannot reach PostgreSQL at DATABASE_URL=postgres://app:\\*\\*\\*@127\\.0\\.0\\.1:${port}/l1t: .*ECONNREFUSED`,
      ),
    );
    expect(e.message).not.toContain('s3cret');
    expect(e.message).not.toContain('\n');
  });

  describe('servers', () => {
    let fixture: ChdbHttpFixture | undefined;
    let pgDb: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
    beforeAll(async () => {
      if (!process.env.CLICKHOUSE_URL) fixture = await startChdbHttpFixture();
      if (process.env.DATABASE_URL) pgDb = await createTestDatabase(process.env.DATABASE_URL);
    });
    afterAll(async () => {
      await fixture?.close();
      await pgDb?.drop();
    });

    it('opens ClickHouse over HTTP (and PostgreSQL from DATABASE_URL when set), reports ready, then not ready when a server goes away', async () => {
      const env: Record<string, string> = {
        L1T_DATA_DIR: dataDir,
        CLICKHOUSE_URL: process.env.CLICKHOUSE_URL ?? fixture!.url,
        CLICKHOUSE_DATABASE: `l1t_ready_${Date.now()}`,
        ...(pgDb ? { DATABASE_URL: pgDb.url } : {}),
      };
      const stores = await openStores(loadConfig(env));
      try {
        expect(stores.anomalies.kind).toBe('http');
        expect(stores.metadata.kind).toBe(pgDb ? 'postgres' : 'pglite');
        expect(await stores.ready()).toMatchObject({ ok: true });
        if (fixture) {
          await fixture.close();
          const report = await stores.ready({ timeoutMs: 3_000 });
          expect(report.ok).toBe(false);
          expect(report.clickhouse).toMatchObject({
            ok: false,
            target: `CLICKHOUSE_URL=${fixture.url}`,
            error: expect.stringMatching(/ECONNREFUSED|socket|closed/i),
          });
          expect(report.postgres.ok).toBe(true);
        }
      } finally {
        await stores.close();
      }
    });
  });
});

describe('openStores with a server that accepts connections but never answers', () => {
  it('gives up after connectTimeoutMs with the one-line error', async () => {
    const { createServer: createTcp } = await import('node:net');
    const sockets: import('node:net').Socket[] = [];
    const silent = createTcp((s) => void sockets.push(s));
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
    const port = (silent.address() as { port: number }).port;
    try {
      const started = Date.now();
      const e = await openStores(loadConfig({ L1T_DATA_DIR: dataDir, CLICKHOUSE_URL: `http://127.0.0.1:${port}` }), {
        connectTimeoutMs: 500,
      }).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(e).toBeInstanceOf(StoreUnavailableError);
      expect(e!.message).toMatch(
        new RegExp(
          `^cannot reach ClickHouse at CLICKHOUSE_URL=http://127\\.0\\.0\\.1:${port}: no answer within 500 ms$`,
        ),
      );
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => silent.close(r));
    }
  });
});
