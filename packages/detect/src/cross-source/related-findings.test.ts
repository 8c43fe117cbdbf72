import { describe, expect, it } from 'vitest';
import { candidateRanges, isoToNs, relatedAcrossSources, type TimedFinding } from './related-findings.js';

const f = (id: string, source: string, timestamp: string, end_timestamp?: string): TimedFinding => ({
  id,
  source,
  timestamp,
  ...(end_timestamp ? { end_timestamp } : {}),
});

describe('relatedAcrossSources', () => {
  const anchor = f('a', 'fronthaul', '2026-12-06T12:00:01.234000000Z');

  it('lists findings of other sources within ±50 ms, nearest first, with the signed gap', () => {
    const related = relatedAcrossSources(anchor, [
      f('ue-after', 'ue', '2026-12-06T12:00:01.240000000Z'),
      f('ue-before', 'ue', '2026-12-06T12:00:01.200000000Z'),
      f('ue-far', 'ue', '2026-12-06T12:00:01.290000001Z'),
      f('timing', 'timing', '2026-12-06T12:00:01.284000000Z'),
      f('same-source', 'fronthaul', '2026-12-06T12:00:01.235000000Z'),
    ]);
    expect(related.map((r) => [r.finding.id, r.deltaMs])).toEqual([
      ['ue-after', 6],
      ['ue-before', -34],
      ['timing', 50],
    ]);
  });

  it('counts an aggregated finding whose span covers the anchor as overlapping (gap 0)', () => {
    const related = relatedAcrossSources(anchor, [
      f('long', 'ue', '2026-12-06T11:59:00.000000000Z', '2026-12-06T12:01:00.000000000Z'),
    ]);
    expect(related).toEqual([{ finding: expect.objectContaining({ id: 'long' }), deltaMs: 0 }]);
  });

  it('shifts UE timestamps by the session clock offset before comparing', () => {
    const ue = f('ue', 'ue', '2026-12-06T12:00:00.234000000Z'); // the phone's clock 1 s behind
    expect(relatedAcrossSources(anchor, [ue])).toEqual([]);
    expect(relatedAcrossSources(anchor, [ue], { ueClockOffsetMs: 1000 })).toEqual([{ finding: ue, deltaMs: 0 }]);
    expect(relatedAcrossSources(anchor, [ue], { ueClockOffsetMs: 990, windowMs: 5 })).toEqual([]);
  });

  it('keeps nanosecond precision and leaves out unreadable timestamps', () => {
    expect(isoToNs('1970-01-01T00:00:01.000000001Z')).toBe(1_000_000_001n);
    expect(isoToNs('yesterday')).toBeUndefined();
    const related = relatedAcrossSources(anchor, [
      f('bad', 'ue', 'yesterday'),
      f('ok', 'ue', '2026-12-06T12:00:01.284000000Z'),
    ]);
    expect(related.map((r) => r.finding.id)).toEqual(['ok']);
  });

  it('asks the store for two narrow ranges: the UE side moved by the clock offset, the capture side not', () => {
    expect(candidateRanges(anchor, { windowMs: 50, ueClockOffsetMs: 86_400_000 }, 1000)).toEqual([
      { sources: ['ue'], from: '2026-12-05T12:00:00.183Z', to: '2026-12-05T12:00:01.286Z' },
      { sources: ['fronthaul', 'timing'], from: '2026-12-06T12:00:00.183Z', to: '2026-12-06T12:00:01.286Z' },
    ]);
    const ueAnchor = f('u', 'ue', '2026-12-05T12:00:01.234000000Z');
    expect(candidateRanges(ueAnchor, { windowMs: 50, ueClockOffsetMs: 86_400_000 }, 0)[1]).toEqual({
      sources: ['fronthaul', 'timing'],
      from: '2026-12-06T12:00:01.183Z',
      to: '2026-12-06T12:00:01.286Z',
    });
  });
});
