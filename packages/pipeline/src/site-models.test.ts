import { describe, expect, it } from 'vitest';
import { parseSiteModel, type WindowSiteModel } from '@l1t/detect';
import { parseFaultSpec, synthFronthaul } from '../../capture/src/synth/index.js';
import type { AnalyzeInput } from './analyze-file.js';
import { analyzeFileWithSiteModel, DEFAULT_SITE, siteModelKey, siteOf, type SiteModelSettings } from './site-models.js';

/** A light synthetic capture (2 DL + 1 UL eAxC, 24 PRBs) streamed as the pipeline reads files. */
function synthInput(name: string, seed: number, durationS: number, faults = ''): AnalyzeInput {
  return {
    name,
    open: async function* () {
      const s = synthFronthaul({ durationS, nrb: 24, eaxc: { dl: [0, 1], ul: [0] } }, parseFaultSpec(faults), seed);
      for (let c = s.next(); c; c = s.next()) yield c;
    },
  };
}

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

describe('site models of window_stat_outlier', () => {
  it('the site is the profile name, or default', () => {
    expect(siteOf(undefined)).toBe(DEFAULT_SITE);
    expect(siteOf({ name: '  ' })).toBe(DEFAULT_SITE);
    expect(siteOf({ name: 'lab-du1' })).toBe('lab-du1');
    expect(siteModelKey('lab-du1')).toBe('site_model:lab-du1:window_stat_outlier');
  });

  it('stores a model after the first file, uses it for the next, refits after N files', async () => {
    const store = new MemorySettings();
    const profile = { name: 'lab', thresholds: { window_stat_outlier: { refit_every: 2 } } };
    const first = await analyzeFileWithSiteModel(synthInput('a.pcap', 1, 1.2), { profile }, store);
    expect(first.status).toBe('done');
    expect(first.siteModel).toMatchObject({ site: 'lab', loaded: false, saved: true, filesSeen: 1 });
    const raw = store.values.get(siteModelKey('lab'))!;
    const m1 = parseSiteModel(JSON.parse(raw), 100)!;
    expect(m1).toBeDefined();
    const units = Object.keys(m1.units);
    // one unit per eAxC between the DU and RU MACs (VLAN 100)
    expect(units.sort()).toEqual([
      '02:0d:00:00:00:01|02:0a:00:00:00:01|100|0',
      '02:0d:00:00:00:01|02:0a:00:00:00:01|100|1',
    ]);
    const u0 = m1.units[units[0]!]!;
    expect(u0.baseline.length).toBeGreaterThanOrEqual(9);
    expect(u0.pending).toEqual(u0.baseline);

    // the second file is judged against the site baseline: a traffic gap stands out there
    const second = await analyzeFileWithSiteModel(synthInput('b.pcap', 2, 1.2, 'traffic_gap@0.65'), { profile }, store);
    expect(second.siteModel).toMatchObject({ loaded: true, saved: true, filesSeen: 2 });
    const outliers = second.anomalies.filter((a) => a.type === 'window_stat_outlier');
    expect(outliers.length).toBeGreaterThanOrEqual(1);
    expect(
      String(outliers[0]!.evidence.baseline ?? (outliers[0]!.evidence.first as Record<string, unknown>).baseline),
    ).toMatch(/^site model/);
    const m2 = JSON.parse(store.values.get(siteModelKey('lab'))!) as WindowSiteModel;
    // refit_every 2: the second file triggered a refit, pending rows became the baseline
    expect(m2.filesSinceRefit).toBe(0);
    expect(m2.units[units[0]!]!.trainedOnFiles).toBe(2);
  }, 120_000);

  it('a stored value of another kind or window length is ignored, and a failed file saves nothing', async () => {
    const store = new MemorySettings();
    await store.putSetting(siteModelKey(DEFAULT_SITE), { kind: 'something else' });
    const empty: AnalyzeInput = { name: 'empty', open: async function* () {} };
    const r = await analyzeFileWithSiteModel(empty, {}, store);
    expect(r.status).toBe('failed');
    expect(r.siteModel).toMatchObject({ loaded: false, saved: false });
    expect(JSON.parse(store.values.get(siteModelKey(DEFAULT_SITE))!)).toEqual({ kind: 'something else' });
  });
});
