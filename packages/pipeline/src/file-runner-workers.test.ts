/**
 * `l1t analyze --workers N` (issue 14 item 4): the same files give the same findings, metrics, counters and
 * site model of `window_stat_outlier` whatever the number of worker threads. The worker pool only runs from
 * the compiled pipeline (piscina loads dist/analyze-worker.js), so this test drives the built runner.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Anomaly, Metric, Profile } from '@l1t/contracts';
import { concatBytes, parseFaultSpec, synthFronthaul } from '../../capture/src/synth/index.js';
import { requireSharedDir } from '../../../test-support/shared.js';
import type { FileResult } from './analyze-file.js';
import type * as FileRunnerModule from './file-runner.js';
import type { FileResultSink } from './result-sink.js';
import { siteModelKey, type SiteModelSettings } from './site-models.js';

const DIST = new URL('../dist/file-runner.js', import.meta.url);
const built = existsSync(DIST);
const samples = requireSharedDir('samples');
const dir = mkdtempSync(join(tmpdir(), 'l1t-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

class MemorySettings implements SiteModelSettings {
  readonly values = new Map<string, string>();
  async getSetting<T>(key: string): Promise<T | undefined> {
    const v = this.values.get(key);
    return v === undefined ? undefined : (JSON.parse(v) as T);
  }
  async putSetting(key: string, value: unknown): Promise<void> {
    this.values.set(key, JSON.stringify(value));
  }
}

/** A light synthetic capture written to disk (the runner takes files). */
function synthFile(name: string, seed: number, faults: string): string {
  const s = synthFronthaul({ durationS: 1.2, nrb: 24, eaxc: { dl: [0, 1], ul: [0] } }, parseFaultSpec(faults), seed);
  const chunks: Uint8Array[] = [];
  for (let c = s.next(); c; c = s.next()) chunks.push(c);
  const path = join(dir, name);
  writeFileSync(path, concatBytes(chunks));
  return path;
}

interface Outcome {
  anomalies: Anomaly[];
  metrics: Metric[];
  result: FileResult;
}

/** Every file through a runner of `workers` threads, started in order as `l1t analyze` does, streamed. */
async function runAll(
  workers: number,
  paths: string[],
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

/** What must not depend on the worker count (not the timing of the run itself). */
function comparable(o: Outcome) {
  const r = o.result;
  const { siteModel } = r as FileResult & { siteModel?: { loaded: boolean; saved: boolean; filesSeen: number } };
  return {
    status: r.status,
    sha256: r.sha256,
    anomalies: [...o.anomalies].sort((a, b) => a.id.localeCompare(b.id)),
    metrics: o.metrics.length,
    metricDigest: o.metrics.map((m) => `${m.name}|${m.timestamp}|${m.value}`).sort(),
    counts: r.counts,
    summary: r.summary,
    siteModel: siteModel && { loaded: siteModel.loaded, saved: siteModel.saved, filesSeen: siteModel.filesSeen },
  };
}

describe.runIf(built)('analysis with N worker threads = one thread', () => {
  it('synthetic captures: findings, metrics, counters and the stored site model agree for 1 and 2 workers', async () => {
    const paths = [
      synthFile('a.pcap', 1, ''),
      synthFile('b.pcap', 2, 'traffic_gap@0.65'),
      synthFile('c.pcap', 3, 'seq_gap@0.5:eaxc=1,count=3'),
    ];
    const profile: Profile = { name: 'workers-lab', thresholds: { window_stat_outlier: { refit_every: 2 } } };
    const one = new MemorySettings();
    const two = new MemorySettings();
    const r1 = await runAll(1, paths, profile, one);
    const r2 = await runAll(2, paths, profile, two);
    expect(r2.map(comparable)).toEqual(r1.map(comparable));
    // the site model was loaded and updated with 2 workers too (before: worker threads never touched it)
    expect(r2.map((o) => comparable(o).siteModel)).toEqual([
      { loaded: false, saved: true, filesSeen: 1 },
      { loaded: true, saved: true, filesSeen: 2 },
      { loaded: true, saved: true, filesSeen: 3 },
    ]);
    const model = (s: MemorySettings) => {
      const m = JSON.parse(s.values.get(siteModelKey('workers-lab'))!) as Record<string, unknown>;
      return { ...m, refittedAt: m['refittedAt'] === null ? null : 'set' };
    };
    expect(model(two)).toEqual(model(one));
    // the fault the site model makes visible is found either way
    expect(r2[1]!.anomalies.some((a) => a.type === 'window_stat_outlier')).toBe(true);
  }, 240_000);

  it.runIf(samples.available)(
    'real captures (fh_1x1, VIAVI, PTP announce attack): 1 and 2 workers agree',
    async () => {
      const bits = { du_port: 4, band_sector: 4, cc: 4, ru_port: 4 };
      const paths = [
        'Utilities/fh_1x1.pcap',
        'Utilities/VIAVI_MIMO_DL_cap5.pcap',
        's-plane_security/2024-10-08-announce_attack_1.pcap',
      ].map((f) => `${samples.path}/${f}`);
      // one profile for the three (the runner takes one): BFP 9 for fh_1x1; VIAVI's 16-bit samples are inferred
      const profile: Profile = { name: 'workers-real', nrb: 106, eaxc_bits: bits };
      const r1 = await runAll(1, paths, profile, new MemorySettings());
      const r2 = await runAll(2, paths, profile, new MemorySettings());
      expect(r1.every((o) => o.result.status === 'done')).toBe(true);
      expect(r2.map(comparable)).toEqual(r1.map(comparable));
      expect(r1.reduce((n, o) => n + o.anomalies.length, 0)).toBeGreaterThan(0);
    },
    240_000,
  );
});
