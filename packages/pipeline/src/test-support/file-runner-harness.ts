/**
 * The file runner driven as `l1t analyze` drives it (TEST code), shared by the worker-count tests
 * (file-runner-workers: many files; file-runner-one-file: one large file): files streamed through a runner
 * of N worker threads into an in-memory sink, a site-model store in memory, and what must not depend on N.
 * The pool only runs from the compiled pipeline (piscina loads dist/analyze-worker.js), so this drives the
 * built runner; `built` says whether it exists.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Anomaly, Metric, Profile } from '@l1t/contracts';
import {
  concatBytes,
  parseFaultSpec,
  synthFronthaul,
  type FronthaulConfigInput,
} from '../../../capture/src/synth/index.js';
import type { FileResult } from '../analyze-file.js';
import type * as FileRunnerModule from '../file-runner.js';
import type { FileResultSink } from '../result-sink.js';
import { siteModelKey, type SiteModelSettings } from '../site-models.js';

const DIST = new URL('../../dist/file-runner.js', import.meta.url);
export const built = existsSync(DIST);

export class MemorySettings implements SiteModelSettings {
  readonly values = new Map<string, string>();
  async getSetting<T>(key: string): Promise<T | undefined> {
    const v = this.values.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async putSetting(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
  }
  /** The stored site model of `profileName`, its refit time reduced to set / not set (it is a clock reading). */
  siteModel(profileName: string): Record<string, unknown> | null {
    const m = JSON.parse(this.values.get(siteModelKey(profileName)) ?? 'null') as Record<string, unknown> | null;
    return m && { ...m, refittedAt: m['refittedAt'] === null ? null : 'set' };
  }
}

export interface Outcome {
  anomalies: Anomaly[];
  metrics: Metric[];
  result: FileResult;
}

/** Every file through one runner of `workers` threads, started in order as `l1t analyze` does, streamed. */
export async function runFiles(
  workers: number,
  paths: readonly string[],
  profile: Profile,
  store: SiteModelSettings,
): Promise<Outcome[]> {
  const { createFileRunner } = (await import(DIST.href)) as typeof FileRunnerModule;
  const runner = createFileRunner(workers, profile, store);
  try {
    return await Promise.all(
      paths.map(async (path, i) => {
        const anomalies: Anomaly[] = [];
        const metrics: Metric[] = [];
        const sink: FileResultSink = {
          begin: async () => {},
          anomalies: (b) => void anomalies.push(...b),
          metrics: (b) => void metrics.push(...b),
          drain: async () => {},
          end: async () => {},
        };
        const result = await runner.run({ path, name: `f${i}`, sessionId: 'workers-test' }, undefined, sink);
        return { anomalies, metrics, result };
      }),
    );
  } finally {
    await runner.close();
  }
}

/** Everything of a file's analysis that must not depend on the worker count (not the timing of the run). */
export function comparable(o: Outcome) {
  const r = o.result;
  const { siteModel } = r as FileResult & { siteModel?: { loaded: boolean; saved: boolean; filesSeen: number } };
  return {
    status: r.status,
    sha256: r.sha256,
    error: r.error,
    warning: r.warning,
    anomalies: [...o.anomalies].sort((a, b) => a.id.localeCompare(b.id)),
    metrics: o.metrics.map((m) => JSON.stringify(m)).sort(),
    counts: r.counts,
    summary: r.summary,
    views: r.views,
    siteModel: siteModel && { loaded: siteModel.loaded, saved: siteModel.saved, filesSeen: siteModel.filesSeen },
  };
}

/** A synthetic capture with `faults` written to `dir/name` (the runner takes files). */
export function writeSynthCapture(
  dir: string,
  name: string,
  seed: number,
  faults: string,
  config: FronthaulConfigInput,
): string {
  const s = synthFronthaul(config, parseFaultSpec(faults), seed);
  const chunks: Uint8Array[] = [];
  for (let c = s.next(); c; c = s.next()) chunks.push(c);
  const path = join(dir, name);
  writeFileSync(path, concatBytes(chunks));
  return path;
}
