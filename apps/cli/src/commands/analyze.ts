import {
  anomalyCallbackSink,
  createFileRunner,
  defaultWorkers,
  PtpViewSink,
  SessionRecorder,
  stdinInput,
  analyzeFile,
  teeSinks,
  walkPaths,
  watchPaths,
  type FileResult,
  type FileResultSink,
  type WalkEntry,
} from '@l1t/pipeline';
import { EXIT_INPUT, EXIT_OK, UsageError } from '../cli-errors.js';
import { writeBytesOut, writeOut, type CliIo } from '../io.js';
import { configFromEnv } from '../config-from-env.js';
import type { OpenedStores } from '../open-stores.js';
import { Progress } from '../output/progress.js';
import { GatheredAnomalies, JsonElements, writeJsonDocument } from '../output/json-document.js';
import { fileJson, renderTable, summarize, WorstAnomalies } from '../output/render.js';
import { loadProfileFile } from '../profile-file.js';
import { listThresholdsCommand } from './list-thresholds.js';

export interface AnalyzeCommandOptions {
  profile?: string;
  format?: string;
  store: boolean; // commander's --no-store
  watch?: boolean;
  interval?: string;
  workers?: string;
  session?: string;
  listThresholds?: boolean;
}

type OutputFormat = 'table' | 'json' | 'jsonl';

function parseFormat(io: CliIo, value: string | undefined): OutputFormat {
  if (value === undefined) return io.stdout.isTTY ? 'table' : 'jsonl';
  if (value === 'table' || value === 'json' || value === 'jsonl') return value;
  throw new UsageError(`--format must be table, json or jsonl (got '${value}')`);
}

function parsePositive(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number (got '${value}')`);
  return n;
}

/** `l1t analyze PATH…` (interfaces.md): returns the exit status. */
export async function analyzeCommand(paths: string[], opts: AnalyzeCommandOptions, io: CliIo): Promise<number> {
  if (opts.listThresholds) return listThresholdsCommand(opts.format, io);
  if (paths.length === 0) throw new UsageError("missing required argument 'paths'");
  const format = parseFormat(io, opts.format);
  const workers = Math.floor(parsePositive('--workers', opts.workers, defaultWorkers()));
  const intervalMs = parsePositive('--interval', opts.interval, 2) * 1000;
  if (paths.includes('-') && (paths.length > 1 || opts.watch))
    throw new UsageError("'-' (standard input) must be the only path, without --watch");
  const profile = await loadProfileFile(opts.profile);
  const config = configFromEnv(io);
  // the stores' engines are loaded only when the findings are stored (--no-store does not need them); a
  // single analysis runs a few dozen statements and exits (shortLived: no optimising compile of PGlite)
  const stores: OpenedStores | undefined = opts.store
    ? await (await import('../open-stores.js')).openMigratedStores(io, config, { shortLived: !opts.watch })
    : undefined;
  const sessionName = opts.session ?? `analyze ${new Date().toISOString()}`;
  const recorder = new SessionRecorder(stores, sessionName);
  const t0 = performance.now();
  const results: FileResult[] = [];
  const progress = new Progress(io, 0, 0);
  let inputFailures = 0;

  // Findings stream out of the analysis into the store and the output as they close (bounded memory):
  // jsonl prints them at once, json gathers them (as their JSON text) for its one document, the table keeps the worst.
  const jsonAnomalies = new Map<string, GatheredAnomalies>();
  // json also gives each file's PTP time-error view (the API's /files/:id/ptp), from the streamed metrics.
  const jsonPtp = new Map<string, PtpViewSink>();
  const worst = new WorstAnomalies();
  const sinkFor = (name: string): FileResultSink => {
    const gathered = format === 'json' ? new GatheredAnomalies() : undefined;
    if (gathered) jsonAnomalies.set(name, gathered);
    const ptp = format === 'json' ? new PtpViewSink() : undefined;
    if (ptp) jsonPtp.set(name, ptp);
    const out =
      format === 'jsonl'
        ? anomalyCallbackSink((a) => writeOut(io, JSON.stringify(a) + '\n'))
        : anomalyCallbackSink((a) => {
            if (gathered) gathered.add(a);
            else worst.add(a);
          });
    return teeSinks(recorder.sink(), out, ptp);
  };

  const emit = async (r: FileResult): Promise<void> => {
    results.push(r);
    if (r.status === 'failed') {
      inputFailures++;
      io.stderr.write(`l1t: ${r.name}: ${r.error}\n`);
    }
    await recorder.record(r);
    progress.fileDone(r);
  };

  try {
    await recorder.start();
    if (paths.length === 1 && paths[0] === '-') {
      progress.addFiles(1, 0);
      const input = stdinInput(io.stdin);
      await emit(
        await analyzeFile(input, {
          ...(profile ? { profile } : {}),
          ...(stores ? {} : { views: false }),
          sessionId: recorder.id,
          sink: sinkFor(input.name),
          onProgress: (b) => progress.bytes(b),
        }),
      );
    } else {
      const { files, problems } = await walkPaths(paths);
      // One file has nothing to share a pool with: it runs on this thread (no second heap, progress by
      // bytes and the site model of window_stat_outlier); --watch keeps the pool for files still to come.
      const runner = createFileRunner(
        opts.watch ? workers : Math.max(1, Math.min(workers, files.length)),
        profile,
        stores?.metadata,
      );
      try {
        for (const p of problems) {
          inputFailures++;
          io.stderr.write(`l1t: ${p.path}: offset 0: ${p.reason}\n`);
        }
        progress.addFiles(
          files.length,
          files.reduce((s, f) => s + f.size, 0),
        );
        await runAll(files, runner.parallelism, (f) =>
          runOne(f, runner, recorder.id, progress, sinkFor(f.name), stores !== undefined).then(emit),
        );
        if (opts.watch) {
          const seen = new Set(files.map((f) => f.path));
          progress.message(`watching ${paths.join(', ')} every ${intervalMs / 1000} s (Ctrl-C to stop)`);
          const stop = new AbortController();
          const onSignal = (): void => stop.abort();
          io.signal?.addEventListener('abort', onSignal, { once: true });
          process.once('SIGINT', onSignal);
          process.once('SIGTERM', onSignal);
          try {
            await watchPaths(paths, {
              intervalMs,
              signal: stop.signal,
              onFile: async (f) => {
                if (seen.has(f.path)) return;
                seen.add(f.path);
                progress.addFiles(1, f.size);
                await emit(await runOne(f, runner, recorder.id, progress, sinkFor(f.name), stores !== undefined));
              },
            });
          } finally {
            process.off('SIGINT', onSignal);
            process.off('SIGTERM', onSignal);
          }
        }
      } finally {
        await runner.close();
      }
    }
    await recorder.finish();
  } finally {
    progress.end();
    await stores?.close();
  }

  const summary = summarize(results, {
    session_id: stores ? recorder.id : null,
    session_name: sessionName,
    duration_ms: Math.round(performance.now() - t0),
    stored: Boolean(stores),
  });
  summary.files_failed = inputFailures;
  if (format === 'json') {
    // In time order per file, files in the order they finished (as before streaming); written piece by
    // piece, not as one string (output/json-document.ts).
    const anomalies = new JsonElements(
      (function* () {
        for (const r of results) yield* jsonAnomalies.get(r.name)?.inTimeOrder() ?? [];
      })(),
    );
    const files = results.map((r) => {
      const ptp = jsonPtp.get(r.name)?.view() ?? [];
      return { ...fileJson(r), ...(ptp.length > 0 ? { ptp } : {}) };
    });
    await writeJsonDocument({ files, anomalies, summary }, (piece) => writeBytesOut(io, piece));
    await writeOut(io, '\n');
  } else if (format === 'table') {
    await writeOut(io, renderTable(results, summary, worst.list()));
  }
  return inputFailures > 0 ? EXIT_INPUT : EXIT_OK;
}

function runOne(
  f: WalkEntry,
  runner: ReturnType<typeof createFileRunner>,
  sessionId: string,
  progress: Progress,
  sink: FileResultSink,
  stored: boolean,
): Promise<FileResult> {
  // the file views are kept only in the stores: without them (--no-store) they are not made (AnalyzeOptions.views)
  return runner.run(
    { path: f.path, name: f.name, size: f.size, sessionId, ...(stored ? {} : { views: false }) },
    (b) => progress.bytes(b),
    sink,
  );
}

/** Runs tasks with at most `limit` in flight, handing results over in completion order. */
async function runAll<T>(items: T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const item = items[next++]!;
      await task(item);
    }
  });
  await Promise.all(lanes);
}
