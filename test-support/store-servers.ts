import { startChdbHttpFixture } from '../packages/store/src/test-support/chdb-http-fixture.js';
import { createTestDatabase } from '../packages/store/src/test-support/postgres-server.js';

/**
 * Database servers for a test of another package: ClickHouse from CLICKHOUSE_URL or the chDB HTTP fixture,
 * and a throw-away database on DATABASE_URL's server when set (otherwise no DATABASE_URL: embedded PGlite).
 * Merge `env` into the environment given to `loadConfig` (with a temporary L1T_DATA_DIR); `close()` after.
 */
export async function startStoreServers(): Promise<{ env: Record<string, string>; close(): Promise<void> }> {
  const fixture = process.env.CLICKHOUSE_URL ? undefined : await startChdbHttpFixture();
  const pg = process.env.DATABASE_URL ? await createTestDatabase(process.env.DATABASE_URL) : undefined;
  const env: Record<string, string> = { CLICKHOUSE_URL: process.env.CLICKHOUSE_URL ?? fixture!.url };
  for (const k of ['CLICKHOUSE_USERNAME', 'CLICKHOUSE_PASSWORD'] as const) if (process.env[k]) env[k] = process.env[k]!;
  if (pg) env.DATABASE_URL = pg.url;
  return {
    env,
    async close() {
      await fixture?.close();
      await pg?.drop();
    },
  };
}
