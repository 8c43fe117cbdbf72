import { describe, expect, it } from 'vitest';
import { resolveUeThresholds } from '../ue-thresholds.js';
import { UeAttachFailureDetection } from './attach-failure-detection.js';
import { event } from './test-events.js';

describe('attach_failure', () => {
  it('rejected and timed-out attaches of one UE within a minute are one finding with the cause', () => {
    const d = new UeAttachFailureDetection(resolveUeThresholds(undefined));
    d.onEvent(event(0, 1, 'imsi:1', 'attach', 'request'));
    d.onEvent(event(0.3, 2, 'imsi:1', 'attach', 'failed', '#7'));
    d.onEvent(event(20, 3, 'imsi:1', 'attach', 'timeout'));
    d.onEvent(event(200, 4, 'imsi:1', 'attach', 'failed'));
    const found = d.finish();
    expect(found).toHaveLength(2);
    expect(found[0]).toMatchObject({
      type: 'attach_failure',
      source: 'ue',
      severity: 'major',
      packet_index: 2,
      packet_count: 2,
      evidence: { ue: 'imsi:1', outcome: 'failed', cause: '#7', occurrences: 2, totals: { failed: 1, timeout: 1 } },
    });
    expect(found[1]!.packet_index).toBe(4);
  });

  it('successful attaches, requests and failed detaches are not attach failures', () => {
    const d = new UeAttachFailureDetection(resolveUeThresholds(undefined));
    d.onEvent(event(0, 1, 'imsi:1', 'attach', 'request'));
    d.onEvent(event(1, 2, 'imsi:1', 'attach', 'success'));
    d.onEvent(event(2, 3, 'imsi:1', 'detach', 'failed'));
    d.onEvent(event(3, 4, 'imsi:1', 'rrc_setup', 'failed'));
    expect(d.finish()).toEqual([]);
  });
});
