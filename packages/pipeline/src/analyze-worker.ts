import type { MessagePort } from 'node:worker_threads';
import type { Profile } from '@l1t/contracts';
import { analyzeFile, type FileResult } from './analyze-file.js';
import { portSink } from './port-sink.js';
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
}

/** Piscina entry: analyses one file in a worker thread (results cross back by structured clone). */
export default function analyzeTask(task: WorkerTask): Promise<FileResult> {
  return analyzeFile(fileInput(task.path, task.name, task.size), {
    ...(task.profile ? { profile: task.profile } : {}),
    ...(task.sessionId ? { sessionId: task.sessionId } : {}),
    ...(task.port ? { sink: portSink(task.port) } : {}),
  });
}
