import { EXIT_OK } from '../cli-errors.js';
import type { CliIo } from '../io.js';
import { configFromEnv, openStoresOrExit } from '../open-stores.js';
import { describeClickHouse, describePostgres } from '@l1t/contracts';

/** `l1t migrate`: applies the numbered migrations of both stores and says which ran. */
export async function migrateCommand(io: CliIo): Promise<number> {
  const config = configFromEnv(io);
  // Opened without migrating, so that the lines below say which migrations this run applied.
  const stores = await openStoresOrExit(io, config, { migrate: false });
  try {
    const pg = await stores.metadata.migrate();
    const ch = await stores.anomalies.migrate();
    // an ES module the CommonJS bundle cannot require(): imported when the command runs
    const { loadKnowledgeBase } = await import('@l1t/advisor');
    const kb = await loadKnowledgeBase(stores.metadata);
    io.stderr.write(
      `PostgreSQL (${describePostgres(config.postgres)}): ${pg.length ? `applied ${pg.join(', ')}` : 'up to date'}\n` +
        `ClickHouse (${describeClickHouse(config.clickhouse)}): ${ch.length ? `applied ${ch.join(', ')}` : 'up to date'}\n` +
        `Knowledge base: ${kb.written} entries written, ${kb.kept} unchanged or kept as edited\n`,
    );
  } finally {
    await stores.close();
  }
  return EXIT_OK;
}
