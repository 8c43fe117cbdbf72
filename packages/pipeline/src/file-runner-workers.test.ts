/**
 * `l1t analyze --workers N` (issue 14 item 4): the same files give the same findings, metrics, counters and
 * site model of `window_stat_outlier` whatever the number of worker threads.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Profile } from '@l1t/contracts';
import { requireSharedDir } from '../../../test-support/shared.js';
import { built, comparable, MemorySettings, runFiles, writeSynthCapture } from './test-support/file-runner-harness.js';

const samples = requireSharedDir('samples');
const dir = mkdtempSync(join(tmpdir(), 'l1t-workers-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A light synthetic capture written to disk. */
const synthFile = (name: string, seed: number, faults: string) =>
  writeSynthCapture(dir, name, seed, faults, { durationS: 1.2, nrb: 24, eaxc: { dl: [0, 1], ul: [0] } });

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
    const r1 = await runFiles(1, paths, profile, one);
    const r2 = await runFiles(2, paths, profile, two);
    expect(r2.map(comparable)).toEqual(r1.map(comparable));
    // the site model was loaded and updated with 2 workers too (before: worker threads never touched it)
    expect(r2.map((o) => comparable(o).siteModel)).toEqual([
      { loaded: false, saved: true, filesSeen: 1 },
      { loaded: true, saved: true, filesSeen: 2 },
      { loaded: true, saved: true, filesSeen: 3 },
    ]);
    expect(two.siteModel('workers-lab')).not.toBeNull();
    expect(two.siteModel('workers-lab')).toEqual(one.siteModel('workers-lab'));
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
      const r1 = await runFiles(1, paths, profile, new MemorySettings());
      const r2 = await runFiles(2, paths, profile, new MemorySettings());
      expect(r1.every((o) => o.result.status === 'done')).toBe(true);
      expect(r2.map(comparable)).toEqual(r1.map(comparable));
      expect(r1.reduce((n, o) => n + o.anomalies.length, 0)).toBeGreaterThan(0);
    },
    240_000,
  );
});
