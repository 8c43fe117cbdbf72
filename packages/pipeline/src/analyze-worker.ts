import type { MessagePort } from 'node:worker_threads';
import type { Profile } from '@l1t/contracts';
import type { WindowSiteModel } from '@l1t/detect';
import { analyzeFile, type FileResult } from './analyze-file.js';
import { portSink } from './port-sink.js';
import { profileWithSiteModel } from './site-models.js';
import { fileInput } from './sources.js';

/** A task of the worker pool: one file on disk. */
export interface WorkerTask {
  path: string;
  name: string;
  size?: number;
  profile?: Profile;
  sessionId?: string;
  /** Streaming: findings and metrics go to the main thread through this port (port-sink.ts). */
  port?: MessagePort;
  /**
   * The site's `window_stat_outlier` model loaded by the main thread (null: none yet): the worker analyses
   * with it and hands the updated model back in `updatedSiteModel` (site-models.ts stores it).
   */
  siteModel?: { prior: WindowSiteModel | null };
  /** `AnalyzeOptions.views` (false: the file views are not wanted). */
  views?: boolean;
}

export type WorkerResult = FileResult & { updatedSiteModel?: WindowSiteModel };

/** Piscina entry: analyses one file in a worker thread (results cross back by structured clone). */
export default async function analyzeTask(task: WorkerTask): Promise<WorkerResult> {
  const bound = task.siteModel ? profileWithSiteModel(task.profile, task.siteModel.prior ?? undefined) : undefined;
  const profile = bound?.profile ?? task.profile;
  const result = await analyzeFile(fileInput(task.path, task.name, task.size), {
    ...(profile ? { profile } : {}),
    ...(task.sessionId ? { sessionId: task.sessionId } : {}),
    ...(task.port ? { sink: portSink(task.port) } : {}),
    ...(task.views === false ? { views: false } : {}),
  });
  const updated = bound?.updated();
  return updated ? { ...result, updatedSiteModel: updated } : result;
}
