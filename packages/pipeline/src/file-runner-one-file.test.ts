/**
 * ONE capture with `--workers 1` and `--workers 2` (issue 14 item 4): findings, metrics, per-flow counters,
 * summary, views and the site model of `window_stat_outlier` must not depend on the number of workers. Today
 * a file is analysed whole by one thread (this one, or the pool's worker with 2), so this pins that the
 * worker path and this thread agree on one large real and one synthetic capture; an analysis that splits one
 * file across threads must keep passing it (see parallel/README.md, "One file across cores").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Profile } from '@l1t/contracts';
import { repeatCapture } from '../../../bench/repeat-capture.js';
import { requireSharedDir } from '../../../test-support/shared.js';
import { siteModelKey } from './site-models.js';
import { built, comparable, MemorySettings, runFiles, writeSynthCapture } from './test-support/file-runner-harness.js';

const samples = requireSharedDir('samples');
const dir = mkdtempSync(join(tmpdir(), 'l1t-one-file-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const runOne = async (workers: number, path: string, profile: Profile, store: MemorySettings) =>
  (await runFiles(workers, [path], profile, store))[0]!;

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
  return { one, two, model1: s1.siteModel(profile.name!), model2: s2.siteModel(profile.name!) };
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
    const path = writeSynthCapture(dir, 'synth.pcap', 7, 'traffic_gap@0.6;seq_gap@0.9:eaxc=1,count=3', {
      durationS: 1.5,
      nrb: 24,
      eaxc: { dl: [0, 1], ul: [0] },
    });
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
