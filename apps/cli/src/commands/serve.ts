import { stat } from 'node:fs/promises';
import { SessionRecorder, createFileRunner, walkPaths, type Stores } from '@l1t/pipeline';
import type { Logger } from 'pino';
import { EXIT_OK, UsageError } from '../cli-errors.js';
import type { CliIo } from '../io.js';
import { configFromEnv } from '../open-stores.js';

export interface ServeOptions {
  port?: string;
  host?: string;
  examples?: string;
}

const EXAMPLES_SETTING = 'examples.seeded';

/**
 * Analyses the example folder into a session named "examples" once (again only when its files change), so a
 * fresh `npm start` shows real findings. Same pipeline as `l1t analyze`.
 */
async function seedExamples(dir: string, stores: Stores, logger: Logger): Promise<void> {
  const { files } = await walkPaths([dir]);
  const fingerprint = files.map((f) => `${f.name}:${f.size}:${Math.round(f.mtimeMs)}`).join('|');
  if (files.length === 0) return;
  if ((await stores.metadata.getSetting<string>(EXAMPLES_SETTING)) === fingerprint) return;
  const recorder = new SessionRecorder(stores, 'examples');
  await recorder.start();
  const runner = createFileRunner(1, undefined, stores.metadata);
  for (const f of files) {
    const task = { path: f.path, name: f.name, size: f.size, sessionId: recorder.id };
    const result = await runner.run(task, undefined, recorder.sink());
    await recorder.record(result);
    logger.info({ file: f.name, status: result.status, anomalies: result.counts.anomalyCount }, 'example analysed');
  }
  await recorder.finish();
  await stores.metadata.putSetting(EXAMPLES_SETTING, fingerprint);
}

/** `l1t serve [--port 5000]`: web app and API on one port; runs until SIGINT/SIGTERM. */
export async function serveCommand(opts: ServeOptions, io: CliIo): Promise<number> {
  const config = configFromEnv(io);
  const port = opts.port === undefined ? config.port : Number(opts.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0–65535 (got '${opts.port}')`);
  if (opts.examples) {
    try {
      await stat(opts.examples);
    } catch {
      throw new UsageError(`--examples ${opts.examples}: no such folder`);
    }
  }
  // @l1t/server is an ES module the CommonJS bundle cannot require(): imported when the command runs
  const { runServer, stopOnSignals, createLogger } = await import('@l1t/server');
  const logger = createLogger(config.logLevel);
  const examples = opts.examples;
  const server = await runServer(config, {
    port,
    ...(opts.host ? { host: opts.host } : {}),
    logger,
    ...(examples ? { beforeListen: (stores, log) => seedExamples(examples, stores, log) } : {}),
  });
  io.stderr.write(
    `\nL1 Troubleshooting System is running at ${server.url}\n` +
      (config.auth ? '' : '(authentication off: local embedded start)\n'),
  );
  stopOnSignals(server, logger);
  await new Promise<void>((resolve) => server.server.once('close', () => resolve()));
  return EXIT_OK;
}
