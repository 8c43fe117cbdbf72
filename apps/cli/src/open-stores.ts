import type { Config } from '@l1t/contracts';
import { openStores, StoreUnavailableError } from '@l1t/store';
import { ReportedExit, EXIT_INTERNAL } from './cli-errors.js';
import type { CliIo } from './io.js';

/** Parses the environment once (DESIGN.md §6); a bad variable is a usage error naming it. */
export { configFromEnv } from './config-from-env.js';

export type OpenedStores = Awaited<ReturnType<typeof openStores>>;

/**
 * Opens both stores (migrating them unless `migrate: false`); an unreachable server is one line naming the
 * variable and the redacted address (exit 1), never a stack trace.
 */
export async function openStoresOrExit(
  io: CliIo,
  config: Config,
  options: { migrate?: boolean } = {},
): Promise<OpenedStores> {
  try {
    return await openStores(config, options);
  } catch (err) {
    if (err instanceof StoreUnavailableError) {
      io.stderr.write(`l1t: ${err.message}\n`);
      throw new ReportedExit(EXIT_INTERNAL);
    }
    throw err;
  }
}

/** Opens both stores with their migrations applied (what every command but `migrate` wants). */
export function openMigratedStores(io: CliIo, config: Config): Promise<OpenedStores> {
  return openStoresOrExit(io, config);
}
