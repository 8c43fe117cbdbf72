import { DecodedPacket } from '@l1t/capture';
import { Metric } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { MS, T0, recordingContext, synthDetect, uplanePacket } from '../timing/test-support/detect-helpers.js';
import { iqHealthDetector, IQ_METRIC_NAMES } from './iq-health.js';
import { iqPowerDropDetector } from './iq-power-drop.js';
import { iqSaturationDetector } from './iq-saturation.js';
import { iqZeroDetector } from './iq-zero.js';
import { trafficGapDetector } from './traffic-gap.js';
import { end, feed } from '../framework/test-support/feed.js';

describe('IQ health metrics', () => {
  it('emits one sample per metric per flow per 10 ms window, PRB-weighted', () => {
    const ctx = recordingContext([iqHealthDetector]);
    const d = iqHealthDetector.create({ profile: undefined, thresholds: ctx.thresholds });
    const p = new DecodedPacket();
    // 25 slots of 0.5 ms on one flow: windows [0, 10) ms (20 slots) and [10, 20) ms (5 slots)
    for (let g = 0; g < 25; g++) {
      uplanePacket(p, g + 1, T0 + (BigInt(g) * MS) / 2n, {
        subframeId: g >> 1,
        slotId: g & 1,
        zero: g % 2 === 0 ? 10 : 0,
        clipped: 1,
        dbfs: -20,
      });
      feed(d, p, ctx);
    }
    end(d, ctx);
    expect(ctx.metrics).toHaveLength(6);
    const first = ctx.metrics.slice(0, 3);
    expect(first.map((m) => m.name)).toEqual([...IQ_METRIC_NAMES]);
    expect(first[0]).toMatchObject({
      timestamp: '2026-01-01T00:00:00.000000000Z',
      value: -20,
      labels: { eaxc: '0', direction: 'dl' },
    });
    expect(first[1]!.value).toBeCloseTo(100 / 2000); // 10 zero PRBs in 10 of 20 slots of 100
    expect(first[2]!.value).toBeCloseTo(20 / 2000);
    expect(ctx.metrics[3]!.timestamp).toBe('2026-01-01T00:00:00.010000000Z');
    for (const m of ctx.metrics)
      expect(Metric.omit({ session_id: true, file_id: true }).safeParse(m).success).toBe(true);
  });

  it('clean synthetic traffic gives bounded metrics and none of the IQ or traffic findings', () => {
    const defs = [iqHealthDetector, iqSaturationDetector, iqZeroDetector, iqPowerDropDetector, trafficGapDetector];
    const run = synthDetect('', defs, { config: { durationS: 0.3, eaxc: { dl: [0, 1], ul: [0] } } });
    expect(run.result.anomalies).toEqual([]);
    // 3 flows × 30 windows (± edges) × 3 metrics
    expect(run.result.metrics.length).toBeGreaterThan(200);
    expect(run.result.metrics.length).toBeLessThanOrEqual(3 * 32 * 3);
    const power = run.result.metrics.filter((m) => m.name === 'iq_mean_prb_power_dbfs').map((m) => m.value);
    expect(Math.max(...power) - Math.min(...power)).toBeLessThan(3);
  });
});
