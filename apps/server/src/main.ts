// Production entrypoint (the container's CMD): `node apps/server/dist/main.js`.
import { ConfigError, loadConfig } from '@l1t/contracts';
import { StoreUnavailableError } from '@l1t/store';
import { createLogger } from './logger.js';
import { runServer, stopOnSignals } from './run.js';

try {
  const config = loadConfig(process.env);
  const logger = createLogger(config.logLevel);
  // In a container the port is published by the runtime (Kubernetes, docker -p): listen on every interface.
  const server = await runServer(config, { logger, host: process.env.L1T_HOST || '0.0.0.0' });
  stopOnSignals(server, logger);
} catch (err) {
  if (err instanceof ConfigError || err instanceof StoreUnavailableError) {
    process.stderr.write(`l1t-server: ${err.message}\n`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  }
  throw err;
}
