import type { Profile } from '@l1t/contracts';
import { analyzeFile, type FileResult } from './analyze-file.js';
import { fileInput } from './sources.js';

/** A task of the worker pool: one file on disk. */
export interface WorkerTask {
  path: string;
  name: string;
  size?: number;
  profile?: Profile;
  sessionId?: string;
}

/** Piscina entry: analyses one file in a worker thread (results cross back by structured clone). */
export default function analyzeTask(task: WorkerTask): Promise<FileResult> {
  return analyzeFile(fileInput(task.path, task.name, task.size), {
    ...(task.profile ? { profile: task.profile } : {}),
    ...(task.sessionId ? { sessionId: task.sessionId } : {}),
  });
}
