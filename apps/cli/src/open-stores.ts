import { ConfigError, loadConfig, type Config } from '@l1t/contracts';
import { openStores, StoreUnavailableError } from '@l1t/store';
import { ReportedExit, UsageError, EXIT_INTERNAL } from './cli-errors.js';
import type { CliIo } from './io.js';

/** Parses the environment once (DESIGN.md §6); a bad variable is a usage error naming it. */
export function configFromEnv(io: CliIo): Config {
  try {
    return loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}

export type OpenedStores = Awaited<ReturnType<typeof openStores>>;

/** Opens both stores and migrates them; an unreachable server is one line naming the variable (exit 1). */
export async function openMigratedStores(io: CliIo, config: Config): Promise<OpenedStores> {
  try {
    const stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    return stores;
  } catch (err) {
    if (err instanceof StoreUnavailableError) {
      io.stderr.write(`l1t: ${err.message}\n`);
      throw new ReportedExit(EXIT_INTERNAL);
    }
    throw err;
  }
}
