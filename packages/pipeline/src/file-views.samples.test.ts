/**
 * The file analysis page's views (issue 16) on real captures, through the real pipeline: the arrival-offset
 * histograms count exactly the messages the rx-window detector judged (RX_ON_TIME + RX_EARLY + RX_LATE of the
 * per-flow counters), the PRB heatmap's zero PRBs are the slot statistics' zero PRBs, and every part stays
 * within its bounds. Profiles follow ../shared/samples/MANIFEST.md.
 */
import type { Profile } from '@l1t/contracts';
import type { FileViews } from '@l1t/detect';
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../test-support/shared.js';
import { analyzeFile, type FileResult } from './analyze-file.js';
import { fileInput } from './sources.js';

const samples = requireSharedDir('samples');
const run = it.runIf(samples.available);
const BITS = { du_port: 4, band_sector: 4, cc: 4, ru_port: 4 };

async function analyse(file: string, nrb: number): Promise<FileResult> {
  const profile: Profile = { nrb, eaxc_bits: BITS, uplane: { comp_method: 'none', iq_width: 16, comp_hdr: 'static' } };
  return analyzeFile(fileInput(`${samples.path}/${file}`), { profile });
}

async function views(file: string, nrb: number): Promise<FileViews> {
  const r = await analyse(file, nrb);
  expect(r.views).toBeDefined();
  return r.views!;
}

const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);

function judgedOf(counters: Record<string, number>): number {
  const c = Object.keys(counters).some((k) => k.endsWith('_C')) ? '_C' : '';
  return (counters[`RX_ON_TIME${c}`] ?? 0) + (counters[`RX_EARLY${c}`] ?? 0) + (counters[`RX_LATE${c}`] ?? 0);
}

function checkConsistent(v: FileViews): void {
  for (const g of v.timing.groups) {
    const members = v.timing.flows.filter((t) => t.window === g.window);
    expect(g.flows).toEqual(members.map((t) => t.name));
    expect(sum(g.counts), g.window).toBe(sum(members.map((t) => t.judged)));
    expect(g.counts.length).toBeLessThanOrEqual(400);
  }
  for (const t of v.timing.flows) {
    const row = v.flows.find((f) => f.name === t.name)!;
    expect(sum(t.counts), t.name).toBe(judgedOf(row.counters));
    expect(t.judged).toBe(sum(t.counts));
    expect(t.counts.length).toBeLessThanOrEqual(400);
    expect(t.scatter.t_ms.length).toBeLessThanOrEqual(4096);
  }
  for (const h of v.heatmaps) {
    const row = v.flows.find((f) => f.name === h.name)!;
    expect(h.skipped_prbs).toBe(0);
    expect(sum(h.zero), h.name).toBe(row.zero_prbs);
    expect(sum(h.samples), h.name).toBe(row.iq_prbs);
    expect(sum(h.clipped)).toBe(row.clipped_prbs);
    expect(h.columns).toBeLessThanOrEqual(240);
    expect(h.power_dbfs.length).toBe(h.columns * h.prbs);
  }
}

describe('file analysis views on real captures', () => {
  run('fh_ks.pcap: 4 flows, 2 448 U-plane messages all on time, 51 PRBs × 0.5 ms heatmaps of 28 ms', async () => {
    const v = await views('Utilities/fh_ks.pcap', 51);
    expect(v.flows.map((f) => f.name)).toEqual(['c|dl|eaxc=1', 'u|dl|eaxc=1', 'c|dl|eaxc=2', 'u|dl|eaxc=2']);
    const u1 = v.flows.find((f) => f.name === 'u|dl|eaxc=1')!;
    expect(u1).toMatchObject({ messages: 1224, compression: 'none 16', iq_prbs: 31212, zero_prbs: 0 });
    expect(u1.key).toMatchObject({
      eaxc: 1,
      du_port: 0,
      band_sector: 0,
      cc: 0,
      ru_port: 1,
      plane: 'u',
      direction: 'dl',
    });
    expect(v.timing.mode).toBe('absolute');
    const t1 = v.timing.flows.find((t) => t.name === 'u|dl|eaxc=1')!;
    expect(t1).toMatchObject({ window: 'dl_uplane', judged: 1224, on_time: 1224 });
    expect(t1.min_us).toBeGreaterThanOrEqual(50);
    expect(t1.max_us).toBeLessThanOrEqual(400);
    expect(v.heatmaps).toHaveLength(2);
    expect(v.heatmaps[0]).toMatchObject({ prbs: 51, columns: 57, column_ms: 0.5 });
    expect(v.heatmaps[0]!.constellation.length).toBeGreaterThan(0);
    checkConsistent(v);
  });

  run(
    'VIAVI_MIMO_DL_cap5.pcap: relative timing with its reference, 6 598 zero PRBs per eAxC in the heatmap as in the IQ statistics',
    async () => {
      const v = await views('Utilities/VIAVI_MIMO_DL_cap5.pcap', 106);
      expect(v.timing.mode).toBe('relative');
      const t0 = v.timing.flows.find((t) => t.name === 'u|dl|eaxc=0')!;
      expect(t0.reference_us).not.toBeNull();
      expect(t0.judged).toBe(399);
      const u0 = v.flows.find((f) => f.name === 'u|dl|eaxc=0')!;
      expect(u0.zero_prbs).toBe(6598);
      expect(v.heatmaps.find((h) => h.name === 'u|dl|eaxc=0')!.prbs).toBe(106);
      checkConsistent(v);
    },
  );

  run('fh_ks.pcap (28 ms): KPI metrics in 10 ms buckets, 3 points per flow instead of one per second', async () => {
    const r = await analyse('Utilities/fh_ks.pcap', 51);
    const flow = (name: string) => r.metrics.filter((m) => m.name === name && m.labels.flow === 'u|dl|eaxc=1');
    // buckets from the first packet (19:47:54.630128); rx-window stamps each point with its first message
    expect(flow('rx_total').map((m) => m.timestamp)).toEqual([
      '2024-05-20T19:47:54.630128000Z',
      '2024-05-20T19:47:54.640128000Z',
      '2024-05-20T19:47:54.650128000Z',
    ]);
    expect(flow('fh_rx_offset_us_mean').map((m) => m.timestamp)).toEqual([
      '2024-05-20T19:47:54.630130000Z',
      '2024-05-20T19:47:54.640130000Z',
      '2024-05-20T19:47:54.650130000Z',
    ]);
    const total = r.metrics.filter((m) => m.name === 'rx_total' && m.labels.flow === 'u|dl|eaxc=1');
    expect(total.reduce((s, m) => s + m.value, 0)).toBe(1224);
  });
});
