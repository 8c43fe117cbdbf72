import { fileURLToPath } from 'node:url';
import type { Config } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { JobRunner, StoreSpool } from '@l1t/pipeline';
import { loadKnowledgeBase } from '@l1t/advisor';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createApp } from './app.js';
import { createLogger } from './logger.js';
import { listen, type RunningServer } from './server.js';
import { sweepStaleUploads } from './services/upload-service.js';
import { isLoopbackHost, loadHttpSecurity } from './middleware/security.js';
import type { Logger } from 'pino';

/** The built web app beside this package (apps/web/dist), unless L1T_WEB_DIR says otherwise. */
export const DEFAULT_WEB_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));

/** Where `runServer` listens unless told otherwise. */
export const LOCAL_HOST = '127.0.0.1';

export interface RunOptions {
  port?: number;
  /** Interface to listen on; default loopback (LOCAL_HOST). The container passes 0.0.0.0. */
  host?: string;
  webDir?: string;
  logger?: Logger;
  /** Analysis jobs run by this process from the PostgreSQL queue (0: none, leave them to `l1t worker`). */
  jobConcurrency?: number;
  /** Runs after migrations, before listening (the CLI seeds example data here). */
  beforeListen?: (stores: Awaited<ReturnType<typeof openStores>>, logger: Logger) => Promise<void>;
}

/**
 * Opens and migrates both stores, assembles the app and listens; SIGTERM/SIGINT close it gracefully
 * (stop accepting, finish in-flight requests, close the stores).
 */
export async function runServer(
  config: Config,
  opts: RunOptions = {},
): Promise<RunningServer & { stop(): Promise<void> }> {
  const logger = opts.logger ?? createLogger(config.logLevel);
  const stores = await openStores(config); // applies both stores' migrations
  await loadKnowledgeBase(stores.metadata);
  if (opts.beforeListen) await opts.beforeListen(stores, logger);
  const swept = await sweepStaleUploads(config.uploadDir);
  if (swept > 0) logger.info({ removed: swept }, 'removed stale partial uploads');
  const runner =
    (opts.jobConcurrency ?? config.serveJobs) > 0
      ? new JobRunner(stores, {
          workerId: `${hostname()}:${process.pid}:serve`,
          concurrency: opts.jobConcurrency ?? config.serveJobs,
          // A ClickHouse server can go away mid-file: its rows wait on local disk (an embedded chDB cannot).
          ...(config.clickhouse.kind === 'http'
            ? { spool: new StoreSpool(join(config.dataDir, 'spool', 'clickhouse')) }
            : {}),
          onEvent: (e) => logger.info(e, `job ${e.kind}`),
          onError: (err) => logger.error({ err }, 'job runner error'),
        })
      : undefined;
  runner?.start();
  // Loopback unless asked: the local start has auth off, so it must not be reachable from the LAN.
  const host = opts.host ?? LOCAL_HOST;
  const app = createApp({
    config,
    security: loadHttpSecurity(process.env, host),
    stores,
    logger,
    webDir: opts.webDir ?? process.env.L1T_WEB_DIR ?? DEFAULT_WEB_DIR,
    onJobQueued: () => runner?.poke(),
  });
  const running = await listen(app, opts.port ?? config.port, host, logger);
  if (!config.auth && !isLoopbackHost(host))
    logger.warn(
      { host },
      'authentication is OFF and the server listens beyond loopback: anyone who reaches this port can change data',
    );
  logger.info({ url: running.url, clickhouse: stores.anomalies.kind, postgres: stores.metadata.kind }, 'serving');
  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> =>
    (stopping ??= (async () => {
      await running.close();
      await runner?.stop();
      await stores.close();
      logger.info('stopped');
    })());
  return { ...running, stop };
}

/** Stops the server on SIGTERM (Kubernetes) and SIGINT (Ctrl-C), then exits. */
export function stopOnSignals(server: { stop(): Promise<void> }, logger: Logger): void {
  const onSignal = (signal: string): void => {
    logger.info({ signal }, 'shutting down');
    server.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}
