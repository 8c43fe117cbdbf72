import { availableParallelism } from 'node:os';
import { MessageChannel } from 'node:worker_threads';
import { Piscina } from 'piscina';
import type { Profile } from '@l1t/contracts';
import { analyzeFile, type FileResult } from './analyze-file.js';
import type { WorkerTask } from './analyze-worker.js';
import { servePortSink } from './port-sink.js';
import type { FileResultSink } from './result-sink.js';
import { fileInput } from './sources.js';
import { analyzeFileWithSiteModel, type SiteModelSettings } from './site-models.js';

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
  const compiled = import.meta.url.endsWith('.js');
  if (workers > 1 && compiled) {
    const pool = new Piscina({ filename: workerUrl.href, maxThreads: workers, minThreads: 1, idleTimeout: 1000 });
    return {
      parallelism: workers,
      run: async (task, _onProgress, sink) => {
        if (!sink) return (await pool.run({ ...task, ...(profile ? { profile } : {}) })) as FileResult;
        const { port1, port2 } = new MessageChannel();
        const served = servePortSink(port1, sink);
        try {
          return (await pool.run(
            { ...task, ...(profile ? { profile } : {}), port: port2 },
            { transferList: [port2] },
          )) as FileResult;
        } finally {
          // A worker that failed before its end leaves the port open: closing it ends the serving side.
          port1.close();
          await served;
        }
      },
      close: () => pool.destroy(),
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
      };
      // On this thread the site's outlier model is loaded and refreshed; worker threads (no store handle)
      // score each capture against its own baseline.
      return siteModels ? analyzeFileWithSiteModel(input, options, siteModels) : analyzeFile(input, options);
    },
    close: async () => {},
  };
}
