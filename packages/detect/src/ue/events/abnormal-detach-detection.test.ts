import { describe, expect, it } from 'vitest';
import { resolveUeThresholds } from '../ue-thresholds.js';
import { UeAbnormalDetachDetection } from './abnormal-detach-detection.js';
import { event } from './test-events.js';

describe('abnormal_detach', () => {
  it('abnormal and network-forced detaches are reported, one per UE burst', () => {
    const d = new UeAbnormalDetachDetection(resolveUeThresholds(undefined));
    d.onEvent(event(0, 1, 'imsi:1', 'detach', 'abnormal', 'radio link lost'));
    d.onEvent(event(5, 2, 'imsi:2', 'detach', 'network'));
    const found = d.finish();
    expect(found.map((a) => [a.packet_index, a.evidence.outcome, a.evidence.ue])).toEqual([
      [1, 'abnormal', 'imsi:1'],
      [2, 'network', 'imsi:2'],
    ]);
    expect(found[0]).toMatchObject({
      type: 'abnormal_detach',
      severity: 'major',
      evidence: { cause: 'radio link lost' },
    });
  });

  it('a UE’s normal detach is not reported; network-forced ones not when the profile says so', () => {
    const normal = new UeAbnormalDetachDetection(resolveUeThresholds(undefined));
    normal.onEvent(event(0, 1, 'imsi:1', 'detach', 'request'));
    normal.onEvent(event(1, 2, 'imsi:1', 'detach', 'normal'));
    normal.onEvent(event(2, 3, 'imsi:1', 'detach', 'success'));
    expect(normal.finish()).toEqual([]);
    const d = new UeAbnormalDetachDetection(resolveUeThresholds({ abnormal_detach: { network_forced: false } }));
    d.onEvent(event(5, 2, 'imsi:2', 'detach', 'network'));
    expect(d.finish()).toEqual([]);
  });
});
