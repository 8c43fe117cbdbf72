import type { Config } from '@l1t/contracts';
import type { openStores, OpenStoresOptions } from '@l1t/store';
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
  options: Pick<OpenStoresOptions, 'migrate' | 'shortLived'> = {},
): Promise<OpenedStores> {
  // imported here, not at the top: the bundle (bundle.mjs) is CommonJS, which cannot require() an ES module
  // such as @l1t/store; an import() can — and `--no-store` runs never load it
  const { openStores, StoreUnavailableError } = await import('@l1t/store');
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

/**
 * Opens both stores with their migrations applied (what every command but `migrate` wants); `shortLived` for a
 * command that writes its results and exits (`analyze`: OpenStoresOptions.shortLived).
 */
export function openMigratedStores(
  io: CliIo,
  config: Config,
  options: Pick<OpenStoresOptions, 'shortLived'> = {},
): Promise<OpenedStores> {
  return openStoresOrExit(io, config, options);
}
