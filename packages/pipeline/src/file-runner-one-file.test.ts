/**
 * ONE capture with `--workers 1` and `--workers 2` (issue 14 item 4): findings, metrics, per-flow counters,
 * summary, views and the site model of `window_stat_outlier` must not depend on the number of workers. Today
 * a file is analysed whole by one thread (this one, or the pool's worker with 2), so this pins that the
 * worker path and this thread agree on one large real and one synthetic capture; an analysis that splits one
 * file across threads must keep passing it (see parallel/README.md, "One file across cores"). The pool only
 * runs from the compiled pipeline (piscina loads dist/analyze-worker.js), so this drives the built runner.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Anomaly, Metric, Profile } from '@l1t/contracts';
import { concatBytes, parseFaultSpec, synthFronthaul } from '../../capture/src/synth/index.js';
import { repeatCapture } from '../../../bench/repeat-capture.js';
import { requireSharedDir } from '../../../test-support/shared.js';
import type { FileResult } from './analyze-file.js';
import type * as FileRunnerModule from './file-runner.js';
import type { FileResultSink } from './result-sink.js';
import { siteModelKey, type SiteModelSettings } from './site-models.js';

const DIST = new URL('../dist/file-runner.js', import.meta.url);
const built = existsSync(DIST);
const samples = requireSharedDir('samples');
const dir = mkdtempSync(join(tmpdir(), 'l1t-one-file-'));
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

interface Outcome {
  anomalies: Anomaly[];
  metrics: Metric[];
  result: FileResult;
}

/** The file through a runner of `workers` threads, streamed as `l1t analyze` streams it. */
async function runOne(workers: number, path: string, profile: Profile, store: SiteModelSettings): Promise<Outcome> {
  const { createFileRunner } = (await import(DIST.href)) as typeof FileRunnerModule;
  const runner = createFileRunner(workers, profile, store);
  try {
    const anomalies: Anomaly[] = [];
    const metrics: Metric[] = [];
    const sink: FileResultSink = {
      begin: async () => {},
      anomalies: (b) => void anomalies.push(...b),
      metrics: (b) => void metrics.push(...b),
      drain: async () => {},
      end: async () => {},
    };
    const result = await runner.run({ path, name: 'one', sessionId: 'one-file-test' }, undefined, sink);
    return { anomalies, metrics, result };
  } finally {
    await runner.close();
  }
}

/** Everything but the timing of the run itself. */
function comparable(o: Outcome) {
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

/** 1 and 2 workers, each with a store of its own holding the same prior model (one file already seen). */
async function bothWays(path: string, profile: Profile) {
  const prior = new MemorySettings();
  await runOne(1, path, profile, prior);
  const model = prior.values.get(siteModelKey(profile.name!));
  const storeWith = () => {
    const s = new MemorySettings();
    if (model !== undefined) s.values.set(siteModelKey(profile.name!), model);
    return s;
  };
  const s1 = storeWith();
  const s2 = storeWith();
  const one = await runOne(1, path, profile, s1);
  const two = await runOne(2, path, profile, s2);
  const stored = (s: MemorySettings) => {
    const m = JSON.parse(s.values.get(siteModelKey(profile.name!)) ?? 'null') as Record<string, unknown> | null;
    return m && { ...m, refittedAt: m['refittedAt'] === null ? null : 'set' };
  };
  return { one, two, model1: stored(s1), model2: stored(s2) };
}

describe.runIf(built)('one capture: --workers 2 gives what --workers 1 gives', () => {
  it.runIf(samples.available)(
    'fh_ks.pcap repeated (time-shifted copies, ~13 MB): findings, metrics, counters, views, site model',
    async () => {
      const rep = repeatCapture(`${samples.path}/Utilities/fh_ks.pcap`, join(dir, 'fh_ks-x4.pcap'), 12e6);
      expect(rep.copies).toBeGreaterThanOrEqual(4);
      // MANIFEST.md, capture parameters of the fronthaul samples: 51 PRB, uncompressed 16-bit, eAxC 4/4/4/4
      const profile: Profile = {
        name: 'one-file-fh_ks',
        nrb: 51,
        eaxc_bits: { du_port: 4, band_sector: 4, cc: 4, ru_port: 4 },
        uplane: { comp_method: 'none', iq_width: 16, comp_hdr: 'static' },
        // 10 ms windows (a copy spans 28 ms) refitted after every file: the second analysis runs with a baseline
        thresholds: { window_stat_outlier: { window_ms: 10, refit_every: 1 } },
      };
      const { one, two, model1, model2 } = await bothWays(rep.path, profile);
      expect(one.result.status).toBe('done');
      expect(one.anomalies.length).toBeGreaterThan(0);
      expect(Object.keys(one.result.summary.details['flow_counters'] as object).length).toBeGreaterThan(0);
      expect(comparable(two)).toEqual(comparable(one));
      expect(comparable(two).siteModel).toMatchObject({ loaded: true, saved: true, filesSeen: 2 });
      expect(model2).toEqual(model1);
    },
    240_000,
  );

  it('synthetic capture with faults: findings, metrics, counters, views, site model', async () => {
    const s = synthFronthaul(
      { durationS: 1.5, nrb: 24, eaxc: { dl: [0, 1], ul: [0] } },
      parseFaultSpec('traffic_gap@0.6;seq_gap@0.9:eaxc=1,count=3'),
      7,
    );
    const chunks: Uint8Array[] = [];
    for (let c = s.next(); c; c = s.next()) chunks.push(c);
    const path = join(dir, 'synth.pcap');
    writeFileSync(path, concatBytes(chunks));
    const profile: Profile = { name: 'one-file-synth', thresholds: { window_stat_outlier: { refit_every: 1 } } };
    const { one, two, model1, model2 } = await bothWays(path, profile);
    expect(one.result.status).toBe('done');
    const types = new Set(one.anomalies.map((a) => a.type));
    expect(types.has('traffic_gap') && types.has('seq_gap')).toBe(true);
    expect(comparable(two)).toEqual(comparable(one));
    expect(comparable(two).siteModel).toMatchObject({ loaded: true, saved: true, filesSeen: 2 });
    expect(model2).toEqual(model1);
  }, 240_000);
});
