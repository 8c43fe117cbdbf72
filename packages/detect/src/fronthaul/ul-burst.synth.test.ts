/**
 * End to end: synthetic captures with an injected ul_symbol_burst_slow fault (one UL symbol's packets
 * spread over 150 µs) through the reader and decoder into the ul-burst detector.
 */
import { describe, expect, it } from 'vitest';
import { analyse } from './test-support/synth-detect.js';
import { ulBurstDetector } from './ul-burst.js';


describe('ul-burst on synthetic captures', () => {
  it('clean traffic (2 UL RU ports, one or three packets each per symbol) gives nothing', () => {
    expect(analyse(ulBurstDetector, undefined, '').occ).toEqual([]);
    expect(analyse(ulBurstDetector, undefined, '', { maxPrbPerPacket: 20 }).occ).toEqual([]);
  });

  it.each([
    'ul_symbol_burst_slow@0.012',
    'ul_symbol_burst_slow@0.01:symbol=5,spread_us=80',
    'ul_symbol_burst_slow@0.01:count=2',
  ])('%s is found at its packet index', (spec) => {
    const { occ, labels } = analyse(ulBurstDetector, undefined, spec, { maxPrbPerPacket: 20 });
    expect(labels.length).toBe(1);
    const label = labels[0]!;
    expect(occ.map((o) => o.packetIndex)).toContain(label.packet_index);
    expect(occ.reduce((n, o) => n + o.packetCount, 0)).toBe(label.packet_count);
    const o = occ.find((x) => x.packetIndex === label.packet_index)!;
    expect(o.radio).toEqual(label.radio);
    expect(o.flow).toMatchObject({ plane: 'u', direction: 'ul' });
    expect(o.evidence.spread_us).toBeCloseTo(Number(label.params.spread_us), 0);
  });
});
