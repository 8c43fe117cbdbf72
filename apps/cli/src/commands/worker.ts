import { hostname } from 'node:os';
import { join } from 'node:path';
import { JobRunner, StoreSpool } from '@l1t/pipeline';
import { EXIT_OK, UsageError } from '../cli-errors.js';
import type { CliIo } from '../io.js';
import { configFromEnv, openMigratedStores } from '../open-stores.js';

export interface WorkerOptions {
  concurrency?: string;
  once?: boolean;
  poll?: string;
}

/**
 * `l1t worker`: claims analysis jobs from the PostgreSQL queue until SIGTERM (any number of pods share the
 * queue); `--once` drains what is queued and exits (scripts, CronJobs, tests).
 */
export async function workerCommand(opts: WorkerOptions, io: CliIo): Promise<number> {
  const concurrency = opts.concurrency === undefined ? 1 : Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64)
    throw new UsageError(`--concurrency must be 1–64 (got '${opts.concurrency}')`);
  const pollS = opts.poll === undefined ? 2 : Number(opts.poll);
  if (!Number.isFinite(pollS) || pollS <= 0)
    throw new UsageError(`--poll must be a positive number of seconds (got '${opts.poll}')`);
  // L1T_STORE_BULK_ROWS: rows per ClickHouse insert while a file is read (store-sink.ts; default 5000).
  const bulkRaw = io.env.L1T_STORE_BULK_ROWS;
  const bulkRows = bulkRaw === undefined || bulkRaw === '' ? undefined : Number(bulkRaw);
  if (bulkRows !== undefined && (!Number.isInteger(bulkRows) || bulkRows < 1 || bulkRows > 1_000_000))
    throw new UsageError(`L1T_STORE_BULK_ROWS must be a whole number 1–1000000 (got '${bulkRaw}')`);
  const config = configFromEnv(io);
  const stores = await openMigratedStores(io, config);
  const workerId = `${hostname()}:${process.pid}`;
  const runner = new JobRunner(stores, {
    workerId,
    concurrency,
    pollMs: pollS * 1000,
    ...(bulkRows !== undefined ? { sink: { bulkRows, maxPendingRows: bulkRows * 4 } } : {}),
    // A ClickHouse server can go away mid-file: its rows wait on local disk (an embedded chDB cannot).
    ...(config.clickhouse.kind === 'http'
      ? { spool: new StoreSpool(join(config.dataDir, 'spool', 'clickhouse')) }
      : {}),
    onEvent: (e) => {
      if (e.kind === 'done') io.stderr.write(`job ${e.jobId}: file ${e.fileId} done, ${e.anomalies} anomalies\n`);
      else if (e.kind === 'spooled')
        io.stderr.write(
          `job ${e.jobId}: file ${e.fileId}: ClickHouse unreachable, ${e.rows} rows spooled under ${e.dir}\n`,
        );
      else if (e.kind === 'flushed')
        io.stderr.write(`file ${e.fileId}: ${e.rows} spooled rows flushed to ClickHouse at ${e.flushedAt}\n`);
      else if (e.kind === 'failed')
        io.stderr.write(`job ${e.jobId}: file ${e.fileId} failed${e.retry ? ' (will retry)' : ''}: ${e.error}\n`);
    },
  });
  try {
    if (opts.once) {
      const n = await runner.drain();
      await runner.flushSpool(true);
      io.stderr.write(`worker ${workerId}: ${n} job(s) run, queue empty\n`);
      return EXIT_OK;
    }
    io.stderr.write(`worker ${workerId} claiming jobs (concurrency ${concurrency})\n`);
    runner.start();
    await new Promise<void>((resolve) => {
      const stop = (): void => resolve();
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
      io.signal?.addEventListener('abort', stop, { once: true });
    });
    await runner.stop();
    return EXIT_OK;
  } finally {
    await stores.close();
  }
}
