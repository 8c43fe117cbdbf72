import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@l1t/contracts';
import { afterAll, describe, expect, it } from 'vitest';
import { openStores } from './open-stores.js';
import { openPglite } from './postgres/pg-connection.js';
import { startChdbHttpFixture } from './test-support/chdb-http-fixture.js';

const root = mkdtempSync(join(tmpdir(), 'l1t-lock-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

// PGlite initialises its cluster (WebAssembly initdb) here: slow on a loaded machine.
describe('embedded data directories are used by one process at a time', { timeout: 120_000 }, () => {
  it('names the process holding the chDB directory instead of failing obscurely', async () => {
    const dataDir = join(root, 'a');
    // Another process (the HTTP fixture) holds <dataDir>/clickhouse.
    const other = await startChdbHttpFixture({ dataDir: join(dataDir, 'clickhouse') });
    try {
      const e = await openStores(loadConfig({ L1T_DATA_DIR: dataDir })).then(
        () => undefined,
        (err: unknown) => err as Error,
      );
      expect(e?.message).toMatch(
        new RegExp(
          `^cannot reach ClickHouse at embedded chDB at ${dataDir}/clickhouse: chDB data directory .* is in use by another process \\(pid \\d+\\)$`,
        ),
      );
    } finally {
      await other.close();
    }
  });

  it('refuses a PGlite directory held by a live process, takes over one left by a dead process', async () => {
    const dir = join(root, 'pg');
    mkdirSync(dir, { recursive: true });
    const sleeper = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, 'l1t.pid'), `PID: ${sleeper.pid}\n`);
      await expect(openPglite(dir)).rejects.toThrow(
        `embedded PostgreSQL (PGlite) at ${dir} is in use by another process (pid ${sleeper.pid})`,
      );
    } finally {
      sleeper.kill();
    }
    await new Promise((r) => sleeper.once('exit', r));
    const conn = await openPglite(dir);
    await conn.close();
  });
});
