import { EXIT_OK } from '../cli-errors.js';
import type { CliIo } from '../io.js';
import { configFromEnv } from '../open-stores.js';
import { openStores, StoreUnavailableError } from '@l1t/store';
import { describeClickHouse, describePostgres } from '@l1t/contracts';
import { ReportedExit, EXIT_INTERNAL } from '../cli-errors.js';
import { loadKnowledgeBase } from '@l1t/advisor';

/** `l1t migrate`: applies the numbered migrations of both stores and says which ran. */
export async function migrateCommand(io: CliIo): Promise<number> {
  const config = configFromEnv(io);
  let stores;
  try {
    stores = await openStores(config);
  } catch (err) {
    if (err instanceof StoreUnavailableError) {
      io.stderr.write(`l1t: ${err.message}\n`);
      throw new ReportedExit(EXIT_INTERNAL);
    }
    throw err;
  }
  try {
    const pg = await stores.metadata.migrate();
    const ch = await stores.anomalies.migrate();
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
