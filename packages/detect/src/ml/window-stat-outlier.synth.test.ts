import { describe, expect, it } from 'vitest';
import { createCaptureReader, createPacketDecoder, DecodedPacket } from '@l1t/capture';
import type { AnomalyDraft } from '@l1t/contracts';
import { parseFaultSpec, synthFronthaul, type FaultLabel } from '../../../capture/src/synth/index.js';
import { createFronthaulDetection } from '../framework/fronthaul-detection.js';
import { createWindowStatOutlierDefinition, windowStatOutlierDetector } from './window-stat-outlier.js';
import type { WindowSiteModel } from './site-model.js';
import type { DetectorDefinition } from '../framework/detector.js';

/** Streams a light synthetic capture (2 DL + 1 UL eAxC, 24 PRBs, 30 kHz) through window_stat_outlier only. */
function run(
  durationS: number,
  seed: number,
  faults = '',
  def: DetectorDefinition = windowStatOutlierDetector,
): { anomalies: AnomalyDraft[]; labels: readonly FaultLabel[] } {
  const synth = synthFronthaul({ durationS, nrb: 24, eaxc: { dl: [0, 1], ul: [0] } }, parseFaultSpec(faults), seed);
  const reader = createCaptureReader('pcap');
  const decoder = createPacketDecoder({});
  const det = createFronthaulDetection({ profile: undefined, definitions: [def] });
  const p = new DecodedPacket();
  const drain = (): void => {
    for (let r = reader.next(); r; r = reader.next()) {
      if (r.kind !== 'packet') continue;
      decoder.decode(r.linkType, r.data, r.tsNs, r.index, p);
      det.onPacket(p);
    }
  };
  for (let c = synth.next(); c; c = synth.next()) {
    reader.append(c);
    drain();
  }
  reader.end();
  drain();
  return { anomalies: det.finish().anomalies, labels: synth.labels };
}

const ns = (iso: string): bigint => {
  const [sec, frac = '0'] = iso.replace('Z', '').split('.');
  return BigInt(Date.parse(`${sec}Z`)) * 1_000_000n + BigInt(frac.padEnd(9, '0'));
};

/** The outlier covers the label's time (its window, or the aggregated run of windows). */
function covers(a: AnomalyDraft, label: FaultLabel): boolean {
  const t = ns(label.timestamp);
  const start = ns((a.evidence.window_start ?? (a.evidence.first as Record<string, unknown>).window_start) as string);
  const lastEv = (a.evidence.last ?? a.evidence) as Record<string, unknown>;
  const end = ns(lastEv.window_end as string);
  return t >= start - 100_000_000n && t < end + 100_000_000n;
}

describe('window_stat_outlier on synthetic traffic', () => {
  for (const seed of [1, 2, 3]) {
    it(`clean traffic, seed ${seed}: at most one outlier per 10 s`, () => {
      const { anomalies } = run(10, seed);
      expect(anomalies.filter((a) => a.type === 'window_stat_outlier').length).toBeLessThanOrEqual(1);
    }, 120_000);
  }

  for (const spec of [
    'traffic_gap@1.5',
    'seq_gap@1.5:count=50',
    'rx_window_late@1.5:count=50',
    'cplane_without_uplane@1.5:count=20',
  ]) {
    it(`flags the windows of a burst fault: ${spec}`, () => {
      const { anomalies, labels } = run(3, 5, spec);
      const outliers = anomalies.filter((a) => a.type === 'window_stat_outlier');
      expect(labels).toHaveLength(1);
      expect(outliers.some((a) => covers(a, labels[0]!))).toBe(true);
      // nothing far from the fault
      expect(outliers.every((a) => covers(a, labels[0]!))).toBe(true);
      const a = outliers[0]!;
      expect(a.confidence).toBeGreaterThanOrEqual(0.5);
      expect(a.flow?.eaxc).toBe(0);
      const ev = (a.evidence.first ?? a.evidence) as Record<string, unknown>;
      const features = ev.features as { feature: string; value: number; baseline_median: number; z: number }[];
      expect(features.length).toBeGreaterThanOrEqual(1);
      expect(Math.abs(features[0]!.z)).toBeGreaterThanOrEqual(5);
      expect(Object.keys(ev.models as object)).toEqual(['isolation_forest', 'lof', 'robust_covariance', 'kde']);
    }, 120_000);
  }

  it('hands out an updated site model and judges the next file against it', () => {
    let model: WindowSiteModel | undefined;
    run(1.5, 1, '', createWindowStatOutlierDefinition({ onSiteModel: (m) => (model = m), now: () => 't' }));
    expect(model?.filesSeen).toBe(1);
    const units = Object.values(model!.units);
    expect(units).toHaveLength(2);
    let next: WindowSiteModel | undefined;
    const { anomalies } = run(
      1.5,
      2,
      'traffic_gap@0.75',
      createWindowStatOutlierDefinition({ siteModel: model, onSiteModel: (m) => (next = m) }),
    );
    const a = anomalies.find((x) => x.type === 'window_stat_outlier');
    expect(a).toBeDefined();
    expect(
      String((a!.evidence.first as Record<string, unknown> | undefined)?.baseline ?? a!.evidence.baseline),
    ).toMatch(/^site model/);
    expect(next?.filesSeen).toBe(2);
  }, 120_000);
});
