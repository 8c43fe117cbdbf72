import { describe, expect, it } from 'vitest';
import { resolveUeThresholds } from '../ue-thresholds.js';
import { event } from './test-events.js';
import { UeBehaviourOutlierDetection } from './ue-behaviour-outlier.js';

/** 30 UEs attach once (a few retry once), detach once; `bad` UEs fail attach 12 times. */
function log(bad: string[]) {
  const d = new UeBehaviourOutlierDetection(resolveUeThresholds(undefined));
  let line = 1;
  for (let u = 0; u < 30; u++) {
    const ue = `imsi:0010100000000${String(u).padStart(2, '0')}`;
    const s = u * 10;
    const retries = bad.includes(ue) ? 12 : u % 7 === 0 ? 1 : 0;
    for (let r = 0; r < retries; r++) {
      d.onEvent(event(s + r, line++, ue, 'attach', 'request'));
      d.onEvent(event(s + r + 0.1, line++, ue, 'attach', 'failed'));
    }
    d.onEvent(event(s + 5, line++, ue, 'attach', 'request'));
    d.onEvent(event(s + 5.2, line++, ue, 'attach', 'success'));
    d.onEvent(event(s + 9, line++, ue, 'detach', 'request'));
  }
  return d;
}

describe('ue_behaviour_outlier', () => {
  it('a UE failing attach 12 times among 30 normal UEs is an outlier, explained by its features', () => {
    const found = log(['imsi:001010000000017']).finish();
    expect(found).toHaveLength(1);
    const a = found[0]!;
    expect(a).toMatchObject({ type: 'ue_behaviour_outlier', source: 'ue', evidence: { ue: 'imsi:001010000000017' } });
    expect(a.evidence.models_agreeing as number).toBeGreaterThanOrEqual(2);
    const features = (a.evidence.features as { feature: string; z: number }[]).map((f) => f.feature);
    expect(features).toContain('attach_failures');
    expect(a.confidence).toBe((a.evidence.models_agreeing as number) / 4);
  });

  it('30 UEs alike (one retry now and then) give nothing; fewer than min_ues are not judged and say so', () => {
    expect(log([]).finish()).toEqual([]);
    const few = new UeBehaviourOutlierDetection(resolveUeThresholds(undefined));
    few.onEvent(event(0, 1, 'ue:1', 'attach', 'failed'));
    expect(few.finish()).toEqual([]);
    expect(few.note).toMatch(/1 UE\(s\), fewer than min_ues \(8\)/);
  });
});
