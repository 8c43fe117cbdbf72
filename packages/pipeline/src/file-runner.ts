import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { Profile } from '@l1t/contracts';
import { analyzeFile, type FileResult } from './analyze-file.js';
import type { WorkerResult, WorkerTask } from './analyze-worker.js';
import { servePortSink } from './port-sink.js';
import type { FileResultSink } from './result-sink.js';
import { fileInput } from './sources.js';
import { analyzeFileWithSiteModel, analyzeWithSiteModel, type SiteModelSettings } from './site-models.js';

export interface FileRunner {
  /**
   * Analyses one file on disk; `onProgress` is only called when the file runs on this thread. With `sink`,
   * findings and metrics stream to it (from a worker thread through a MessagePort) instead of the result.
   */
  run(task: WorkerTask, onProgress?: (bytes: number) => void, sink?: FileResultSink): Promise<FileResult>;
  readonly parallelism: number;
  close(): Promise<void>;
}

export function defaultWorkers(): number {
  return availableParallelism();
}

/**
 * Runs files on worker threads (piscina) when more than one worker is asked for and the compiled worker
 * module exists; otherwise on this thread. Results are the same either way: both call analyzeFile().
 */
export function createFileRunner(workers: number, profile?: Profile, siteModels?: SiteModelSettings): FileRunner {
  const workerUrl = new URL('./analyze-worker.js', import.meta.url);
  // from TypeScript sources (tsx, vitest) there is no compiled worker module; the CLI's CommonJS bundle
  // (main.cjs) has one beside it
  const compiled = !import.meta.url.endsWith('.ts');
  if (workers > 1 && compiled) {
    // piscina is loaded with the first file (one file runs on this thread: start-up without it)
    let started: Promise<Piscina> | undefined;
    const poolOf = (): Promise<Piscina> =>
      (started ??= import('piscina').then(
        (m) => new m.Piscina({ filename: workerUrl.href, maxThreads: workers, minThreads: 1, idleTimeout: 1000 }),
      ));
    const onPool = async (task: WorkerTask, sink: FileResultSink | undefined): Promise<WorkerResult> => {
      const pool = await poolOf();
      if (!sink) return (await pool.run({ ...task, ...(profile ? { profile } : {}) })) as WorkerResult;
      const { port1, port2 } = new MessageChannel();
      const served = servePortSink(port1, sink);
      try {
        return (await pool.run(
          { ...task, ...(profile ? { profile } : {}), port: port2 },
          { transferList: [port2] },
        )) as WorkerResult;
      } finally {
        // A worker that failed before its end leaves the port open: closing it ends the serving side.
        port1.close();
        await served;
      }
    };
    return {
      parallelism: workers,
      run: async (task, _onProgress, sink) => {
        if (!siteModels) return onPool(task, sink);
        // The site model is loaded and stored here (the store handle), used and updated in the worker:
        // files of one site fold in one at a time, in the order they were started, as on one thread.
        return analyzeWithSiteModel(profile, siteModels, async (prior) => {
          const { updatedSiteModel, ...result } = await onPool({ ...task, siteModel: { prior: prior ?? null } }, sink);
          return { result, ...(updatedSiteModel ? { updated: updatedSiteModel } : {}) };
        });
      },
      close: async () => {
        if (started) await (await started).destroy();
      },
    };
  }
  return {
    parallelism: 1,
    run: (task, onProgress, sink) => {
      const input = fileInput(task.path, task.name, task.size);
      const options = {
        ...(profile ? { profile } : {}),
        ...(task.sessionId ? { sessionId: task.sessionId } : {}),
        ...(onProgress ? { onProgress: (b: number) => onProgress(b) } : {}),
        ...(sink ? { sink } : {}),
        ...(task.views === false ? { views: false } : {}),
      };
      // the site's outlier model is loaded and refreshed here as in the pool above
      return siteModels ? analyzeFileWithSiteModel(input, options, siteModels) : analyzeFile(input, options);
    },
    close: async () => {},
  };
}
