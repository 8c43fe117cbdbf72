import { describe, expect, it } from 'vitest';
import type { DecodedPacket } from '@l1t/capture';
import { runDetectors } from '../framework/fronthaul-detection.js';
import { ThresholdRegistry } from '../framework/thresholds.js';
import { oranPacket, T0_NS } from '../framework/test-support/packets.js';
import {
  bindSiteModel,
  createWindowStatOutlierDefinition,
  outlierConfidence,
  windowStatOutlierDetector,
} from './window-stat-outlier.js';
import type { WindowSiteModel } from './site-model.js';

/**
 * Hand-made traffic of one eAxC: every 500 µs a UL C-plane request, five DL U-plane packets and the UL
 * U-plane response, with ±3 µs deterministic jitter; `silentMs` silences the DL U-plane for a while.
 */
function* traffic(seconds: number, silent?: [number, number]): Generator<DecodedPacket> {
  let index = 1;
  const seq = [0, 0, 0];
  const out: { us: number; plane: 'c' | 'u'; direction: 'dl' | 'ul'; k: number; slot: number }[] = [];
  for (let slot = 0; slot < seconds * 2000; slot++) {
    const t = slot * 500;
    const jitter = ((slot * 7919) % 7) - 3;
    out.length = 0;
    out.push({ us: t, plane: 'c', direction: 'ul', k: 0, slot });
    const quiet = silent && t >= silent[0] * 1000 && t < silent[1] * 1000;
    if (!quiet)
      for (let k = 0; k < 5; k++) out.push({ us: t + 10 + k * 100 + jitter, plane: 'u', direction: 'dl', k: 1, slot });
    out.push({ us: t + 200 + jitter, plane: 'u', direction: 'ul', k: 2, slot });
    out.sort((a, b) => a.us - b.us);
    for (const s of out) {
      yield oranPacket({
        index: index++,
        tsNs: T0_NS + BigInt(s.us) * 1000n,
        plane: s.plane,
        direction: s.direction,
        seq: seq[s.k]!++,
        eaxc: 0,
        frameId: Math.floor(s.slot / 20) & 0xff,
        subframeId: Math.floor(s.slot / 2) % 10,
        slotId: s.slot % 2,
      });
    }
  }
}

const thresholds = (o: Record<string, number>) =>
  new ThresholdRegistry([windowStatOutlierDetector]).resolve({ window_stat_outlier: o });

describe('window_stat_outlier detector', () => {
  it('does not judge a unit whose windows mostly carried nothing (a few packets over seconds), and says so', () => {
    // 3 packets in 1.9 s (Wireshark-xRAN-RoE-eCPRI/udp-ecpri.pcap): 19 windows, 3 with traffic
    const ps = [0, 900_000, 1_900_000].map((us, i) =>
      oranPacket({ index: i + 1, tsNs: T0_NS + BigInt(us) * 1000n, seq: i, eaxc: 0, direction: 'ul' }),
    );
    const r = runDetectors(ps, { profile: undefined, definitions: [windowStatOutlierDetector] });
    expect(r.anomalies).toEqual([]);
    expect(r.warnings).toEqual([
      'window_stat_outlier: 1 unit(s) with fewer than min_windows (8) windows that carried traffic: not judged statistically',
    ]);
  });

  it('derives its confidence from the models agreeing and the baseline size, never 1 on a minimal baseline', () => {
    expect(outlierConfidence(4, 8, 8)).toBe(0.5);
    expect(outlierConfidence(4, 32, 8)).toBe(1);
    expect(outlierConfidence(2, 32, 8)).toBe(0.5);
    expect(outlierConfidence(3, 20, 8)).toBeCloseTo(0.75 * 0.75, 3);
  });

  it('reports nothing on regular traffic', () => {
    const r = runDetectors(traffic(3), { profile: undefined, definitions: [windowStatOutlierDetector] });
    expect(r.anomalies).toEqual([]);
  });

  it('reports the window of a 20 ms DL silence with the features that stand out', () => {
    const r = runDetectors(traffic(3, [1520, 1540]), { profile: undefined, definitions: [windowStatOutlierDetector] });
    expect(r.anomalies).toHaveLength(1);
    const a = r.anomalies[0]!;
    expect(a.type).toBe('window_stat_outlier');
    expect(a.timestamp.startsWith('2026-11-26T00:00:01.5')).toBe(true);
    expect(a.confidence).toBeGreaterThanOrEqual(0.5);
    expect(a.severity).toMatch(/minor|major/);
    const ev = a.evidence as { features: { feature: string; z: number }[]; models_agreeing: number; baseline: string };
    const gap = ev.features.find((f) => f.feature === 'du_gap_max_us');
    expect(gap?.z).toBeGreaterThan(5);
    expect(Math.abs(ev.features[0]!.z)).toBeGreaterThanOrEqual(Math.abs(ev.features.at(-1)!.z));
    expect(ev.models_agreeing).toBeGreaterThanOrEqual(2);
    expect(ev.baseline).toMatch(/^capture \((\d+) windows, \1 with traffic\)$/);
    expect(a.description).toMatch(/du_gap_max_us/);
  });

  it('with max_windows a unit is scored in batches (memory bounded), the outlier is still found', () => {
    const r = runDetectors(traffic(3, [1520, 1540]), {
      profile: undefined,
      definitions: [windowStatOutlierDetector],
      thresholds: thresholds({ max_windows: 16 }),
    });
    expect(r.anomalies).toHaveLength(1);
    expect((r.anomalies[0]!.evidence as { baseline: string }).baseline).toBe('capture (16 windows, 16 with traffic)');
  });

  it('a short remainder after a batch is judged against the batch before it', () => {
    // 2.3 s: windows 1..22 (0 is start-up, the cut last one is dropped) → a batch of 16, then 6 rows
    const r = runDetectors(traffic(2.3, [2020, 2040]), {
      profile: undefined,
      definitions: [windowStatOutlierDetector],
      thresholds: thresholds({ max_windows: 16 }),
    });
    expect(r.anomalies).toHaveLength(1);
    expect(r.anomalies[0]!.timestamp.startsWith('2026-11-26T00:00:02.0')).toBe(true);
    expect((r.anomalies[0]!.evidence as { baseline: string }).baseline).toBe('capture (the previous 16 windows)');
  });

  it('min_votes 4 and a huge min_feature_z silence it', () => {
    const r = runDetectors(traffic(3, [1520, 1540]), {
      profile: undefined,
      definitions: [windowStatOutlierDetector],
      thresholds: thresholds({ min_feature_z: 1000 }),
    });
    expect(r.anomalies).toEqual([]);
  });

  it('hands its model out through the definition options or a profile binding', () => {
    let viaOption: WindowSiteModel | undefined;
    runDetectors(traffic(1.5), {
      profile: undefined,
      definitions: [createWindowStatOutlierDefinition({ onSiteModel: (m) => (viaOption = m) })],
    });
    expect(viaOption?.filesSeen).toBe(1);
    const profile = {};
    let viaBinding: WindowSiteModel | undefined;
    bindSiteModel(profile, { siteModel: viaOption, onSiteModel: (m) => (viaBinding = m) });
    const r = runDetectors(traffic(1.5, [700, 720]), { profile, definitions: [windowStatOutlierDetector] });
    expect(viaBinding?.filesSeen).toBe(2);
    expect(r.anomalies).toHaveLength(1);
    expect((r.anomalies[0]!.evidence as { baseline: string }).baseline).toMatch(/^site model/);
  });
});
