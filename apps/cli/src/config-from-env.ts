import { ConfigError, loadConfig, type Config } from '@l1t/contracts';
import { UsageError } from './cli-errors.js';
import type { CliIo } from './io.js';

/** The configuration from the environment; a bad variable is a usage error naming it (exit 2). */
export function configFromEnv(io: CliIo): Config {
  try {
    return loadConfig(io.env);
  } catch (err) {
    if (err instanceof ConfigError) throw new UsageError(err.message);
    throw err;
  }
}
