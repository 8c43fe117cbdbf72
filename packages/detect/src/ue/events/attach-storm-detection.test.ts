import { describe, expect, it } from 'vitest';
import { resolveUeThresholds } from '../ue-thresholds.js';
import { UeAttachStormDetection } from './attach-storm-detection.js';
import { event } from './test-events.js';

function attaches(d: UeAttachStormDetection, ue: string, n: number, everyS: number, from = 0, line0 = 1): void {
  for (let i = 0; i < n; i++) {
    d.onEvent(event(from + i * everyS, line0 + 2 * i, ue, 'attach', 'request'));
    d.onEvent(event(from + i * everyS + 0.2, line0 + 2 * i + 1, ue, 'attach', i % 2 ? 'success' : 'failed'));
  }
}

describe('attach_storm', () => {
  it('14 attaches of one UE in 14 minutes is one storm from its first attempt', () => {
    const d = new UeAttachStormDetection(resolveUeThresholds(undefined));
    attaches(d, 'imsi:9', 14, 60);
    const found = d.finish();
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'attach_storm',
      severity: 'major',
      packet_index: 1,
      packet_count: 14,
      evidence: { ue: 'imsi:9', attach_attempts: 14, max_attaches_threshold: 10, window_s: 3600, end_packet_index: 27 },
    });
  });

  it('10 attaches, or 14 spread over more than the window, are no storm; logs of outcomes only count too', () => {
    const ten = new UeAttachStormDetection(resolveUeThresholds(undefined));
    attaches(ten, 'imsi:9', 10, 1);
    expect(ten.finish()).toEqual([]);
    const slow = new UeAttachStormDetection(resolveUeThresholds(undefined));
    attaches(slow, 'imsi:9', 14, 400);
    expect(slow.finish()).toEqual([]);
    const outcomes = new UeAttachStormDetection(resolveUeThresholds({ attach_storm: { max_attaches: 3 } }));
    for (let i = 0; i < 4; i++) outcomes.onEvent(event(i, i + 1, 'ue:4', 'attach', 'failed'));
    expect(outcomes.finish()).toHaveLength(1);
  });
});
