import { describe, expect, it } from 'vitest';
import { Aggregator } from './aggregator.js';
import type { Occurrence } from './detector.js';
import { PacketContextRing } from './packet-context.js';
import { oranPacket, T0_NS } from './test-support/packets.js';

const MS = 1_000_000n;

function occ(packetIndex: number, tsNs: bigint, over: Partial<Occurrence> = {}): Occurrence {
  return {
    type: 'seq_reorder',
    source: 'fronthaul',
    severity: 'minor',
    confidence: 0.9,
    tsNs,
    packetIndex,
    packetCount: 1,
    aggregationKey: 'seq_reorder|u|dl|eaxc=0',
    description: 'late packet',
    evidence: { seq: packetIndex },
    ...over,
  };
}

describe('Aggregator', () => {
  it('keeps a single occurrence as it is', () => {
    const a = new Aggregator();
    a.add(occ(7, T0_NS, { flow: { eaxc: 0 }, radio: { frame_id: 1 } }));
    const [d, ...rest] = a.finish();
    expect(rest).toEqual([]);
    expect(d).toEqual({
      type: 'seq_reorder',
      source: 'fronthaul',
      severity: 'minor',
      confidence: 0.9,
      timestamp: '2026-11-26T00:00:00.000000000Z',
      packet_index: 7,
      packet_count: 1,
      flow: { eaxc: 0 },
      radio: { frame_id: 1 },
      description: 'late packet',
      evidence: { seq: 7 },
    });
  });

  it('merges occurrences of one key less than the gap apart, and splits at the gap', () => {
    const a = new Aggregator();
    a.add(occ(1, T0_NS, { totals: { missing: 2 } }));
    a.add(occ(5, T0_NS + 999n * MS, { totals: { missing: 3 }, confidence: 0.95 }));
    a.add(occ(9, T0_NS + 1998n * MS));
    a.add(occ(20, T0_NS + 2999n * MS)); // 1001 ms after the previous: a new burst
    const out = a.finish();
    expect(out).toHaveLength(2);
    expect(out[0]).toMatchObject({
      packet_index: 1,
      packet_count: 3,
      confidence: 0.95,
      timestamp: '2026-11-26T00:00:00.000000000Z',
      end_timestamp: '2026-11-26T00:00:01.998000000Z',
      description: 'late packet (3 occurrences over 1.998 s)',
      evidence: {
        seq: 1,
        occurrences: 3,
        first: { seq: 1 },
        last: { seq: 9 },
        totals: { missing: 5 },
        end_packet_index: 9,
      },
    });
    expect(out[1]).toMatchObject({ packet_index: 20, packet_count: 1 });
    expect(out[1]!.end_timestamp).toBeUndefined();
  });

  it('keeps keys apart and honours a per-occurrence gap', () => {
    const a = new Aggregator();
    a.add(occ(1, T0_NS, { burstGapNs: MS }));
    a.add(occ(2, T0_NS, { aggregationKey: 'other' }));
    a.add(occ(3, T0_NS + 2n * MS, { burstGapNs: MS }));
    expect(a.finish().map((d) => d.packet_index)).toEqual([1, 2, 3]);
  });

  it('raises isolated-minor types to major when sustained, and outliers with confidence', () => {
    const a = new Aggregator();
    for (let i = 0; i < 10; i++) a.add(occ(i + 1, T0_NS + BigInt(i) * MS));
    a.add(occ(100, T0_NS, { type: 'window_stat_outlier', aggregationKey: 'w1', confidence: 0.5 }));
    a.add(occ(101, T0_NS, { type: 'window_stat_outlier', aggregationKey: 'w2', confidence: 1 }));
    a.add(occ(103, T0_NS, { type: 'window_stat_outlier', aggregationKey: 'w3', confidence: 0.75 }));
    a.add(occ(102, T0_NS, { type: 'seq_gap', aggregationKey: 'g', severity: 'critical' }));
    const out = a.finish();
    expect(out.map((d) => [d.type, d.severity])).toEqual([
      ['seq_reorder', 'major'],
      ['window_stat_outlier', 'minor'],
      ['window_stat_outlier', 'major'],
      ['seq_gap', 'critical'],
      ['window_stat_outlier', 'minor'],
    ]);
  });

  it('closes bursts as capture time advances (bounded open state) and when too many are open', () => {
    const a = new Aggregator({ maxOpen: 3 });
    for (let k = 0; k < 5; k++) a.add(occ(k + 1, T0_NS + BigInt(k), { aggregationKey: `k${k}` }));
    expect(a.openCount).toBe(3);
    a.advance(T0_NS + 1000n * MS); // not yet: bursts close two gaps after their last occurrence
    expect(a.openCount).toBe(3);
    a.advance(T0_NS + 2001n * MS);
    expect(a.openCount).toBe(0);
    expect(a.finish()).toHaveLength(5);
  });

  it('stays linear under a flood of distinct keys', () => {
    const a = new Aggregator({ maxOpen: 4096 });
    const t0 = performance.now();
    for (let k = 0; k < 200_000; k++) a.add(occ(k + 1, T0_NS + BigInt(k), { aggregationKey: `k${k}` }));
    expect(a.openCount).toBe(4096);
    expect(a.finish()).toHaveLength(200_000);
    expect(performance.now() - t0).toBeLessThan(20_000); // quadratic would take minutes
  });

  it('merges an occurrence reported late (older time) into the open burst and keeps the earliest first', () => {
    const a = new Aggregator();
    a.add(occ(50, T0_NS + 10n * MS));
    a.add(occ(40, T0_NS + 5n * MS));
    const [d] = a.finish();
    expect(d).toMatchObject({ packet_index: 40, packet_count: 2, evidence: { end_packet_index: 50 } });
  });

  it('attaches the packet context of the first occurrence, completed as later packets arrive', () => {
    const ring = new PacketContextRing(16, 2, 2);
    const a = new Aggregator({ context: ring });
    for (let i = 1; i <= 5; i++) ring.push(oranPacket({ index: i, seq: i }));
    a.add(occ(5, T0_NS));
    for (let i = 6; i <= 9; i++) ring.push(oranPacket({ index: i, seq: i }));
    const [d] = a.finish();
    expect(d!.packet_context!.map((e) => e.frame)).toEqual([3, 4, 5, 6, 7]);
  });
});
