import { describe, expect, it } from 'vitest';
import type { AnomalyDraft } from '@l1t/contracts';
import { runDetectors } from '../framework/fronthaul-detection.js';
import { oranPacket, seqPackets, T0_NS } from '../framework/test-support/packets.js';
import { sequenceDetector } from './sequence.js';
import { kpiBucketRange } from '../framework/kpi-buckets.js';
import { isoNs } from '../time-format.js';
import type { DecodedPacket } from '@l1t/capture';

function run(packets: DecodedPacket[], thresholds?: Record<string, Record<string, unknown>>) {
  return runDetectors(packets, {
    profile: thresholds ? { thresholds } : undefined,
    definitions: [sequenceDetector],
  });
}

function types(a: AnomalyDraft[]) {
  return a.map((x) => `${x.type}@${x.packet_index}`);
}

describe('sequence detector', () => {
  it('finds nothing on in-order ids across the wrap on interleaved flows', () => {
    const ps: DecodedPacket[] = [];
    let index = 1;
    for (let i = 0; i < 600; i++) {
      ps.push(oranPacket({ index: index++, seq: i, eaxc: 0 }));
      ps.push(oranPacket({ index: index++, seq: i + 100, eaxc: 1 }));
      ps.push(oranPacket({ index: index++, seq: i + 7, eaxc: 0, plane: 'c' }));
      ps.push(oranPacket({ index: index++, seq: i + 9, eaxc: 0, direction: 'ul' }));
    }
    const r = run(ps);
    expect(r.anomalies).toEqual([]);
    expect(r.counters['u|dl|eaxc=0']).toMatchObject({ RX_TOTAL: 600, RX_SEQID_ERR: 0, SEQ_MISSING: 0 });
    expect(r.counters['c|dl|eaxc=0']).toMatchObject({ RX_TOTAL_C: 600, RX_SEQID_ERR_C: 0 });
  });

  it('reports a gap at the first packet after it, with the last packet before it in evidence', () => {
    const r = run(seqPackets([40, 41, 44, 45], { eaxc: 1 }));
    expect(types(r.anomalies)).toEqual(['seq_gap@3']);
    const a = r.anomalies[0]!;
    expect(a.severity).toBe('critical');
    expect(a.timestamp).toBe('2026-11-26T00:00:00.000030000Z');
    expect(a.packet_count).toBe(1);
    expect(a.flow).toMatchObject({ eaxc: 1, plane: 'u', direction: 'dl', ru_port: 1 });
    expect(a.evidence).toMatchObject({
      expected_seq: 42,
      got_seq: 44,
      missing: 2,
      missing_ids: [42, 43],
      last_seq: 41,
      last_packet_index: 2,
      last_timestamp: '2026-11-26T00:00:00.000020000Z',
      totals: { missing: 2 },
    });
    expect(a.description).toBe('2 U-plane packets missing on eAxC 1 DL (seq 41 → 44)');
    expect(r.counters['u|dl|eaxc=1']).toMatchObject({ RX_SEQID_ERR: 1, SEQ_MISSING: 2, SEQ_GAPS: 1 });
  });

  it('a swapped pair is one reorder at the late packet and no gap', () => {
    const r = run(seqPackets([1, 2, 4, 3, 5, 6]));
    expect(types(r.anomalies)).toEqual(['seq_reorder@4']);
    expect(r.anomalies[0]!.severity).toBe('minor');
    expect(r.anomalies[0]!.evidence).toMatchObject({ seq: 3, highest_seq: 4, behind: 1, filled_gap: true });
  });

  it('a late packet 128 behind is a reorder; 129 past the hole the gap is final, then late is a reorder after it', () => {
    const ids = [0, 2];
    for (let s = 3; s <= 129; s++) ids.push(s);
    const within = run(seqPackets([...ids, 1, 130]));
    expect(types(within.anomalies)).toEqual([`seq_reorder@${ids.length + 1}`]);
    const beyond = run(seqPackets([...ids, 130, 1]));
    // 1 is now 129 behind 130: the hole {1} is final, and modulo 256 the late 1 reads as 127 ahead, a
    // jump over 126 ids (nothing can tell them apart). Both gaps of the flow are one burst.
    expect(types(beyond.anomalies)).toEqual(['seq_gap@2']);
    expect(beyond.anomalies[0]!.evidence).toMatchObject({
      missing: 1,
      missing_ids: [1],
      occurrences: 2,
      last: { missing: 126, got_seq: 1 },
      totals: { missing: 127 },
    });
  });

  it('a duplicate copy is reported at the copy', () => {
    const r = run(seqPackets([10, 11, 11, 12]));
    expect(types(r.anomalies)).toEqual(['seq_duplicate@3']);
    expect(r.anomalies[0]!.evidence).toMatchObject({ seq: 11, behind: 0 });
    expect(r.counters['u|dl|eaxc=0']).toMatchObject({ RX_SEQID_ERR: 1, SEQ_DUPLICATES: 1 });
  });

  it('U-plane radio transport fragments of one id are not duplicates', () => {
    const ps = [
      oranPacket({ index: 1, seq: 5 }),
      oranPacket({ index: 2, seq: 6, eBit: 0, subseq: 0 }),
      oranPacket({ index: 3, seq: 6, eBit: 1, subseq: 1 }),
      oranPacket({ index: 4, seq: 7 }),
    ];
    expect(run(ps).anomalies).toEqual([]);
  });

  it('min_missing hides smaller gaps; an unknown option is an error naming the key', () => {
    expect(run(seqPackets([1, 3, 4, 7]), { seq_gap: { min_missing: 2 } }).anomalies.map((a) => a.packet_index)).toEqual(
      [4],
    );
    expect(() => run(seqPackets([1]), { seq_gap: { min_mising: 2 } })).toThrow(
      'thresholds.seq_gap.min_mising: unknown option (known: min_missing)',
    );
    expect(() => run(seqPackets([1]), { seq_reorder: { horizon: 200 } })).toThrow(
      'thresholds.seq_reorder.horizon: must be at most 128',
    );
  });

  it('a burst of reorders on one flow is one major anomaly; bursts further apart than the gap are separate', () => {
    const ps: DecodedPacket[] = [];
    let index = 1;
    let seq = 0;
    const burst = (startNs: bigint, n: number) => {
      for (let i = 0; i < n; i++) {
        const t = startNs + BigInt(i) * 1_000_000n;
        ps.push(oranPacket({ index: index++, seq: seq + 1, tsNs: t }));
        ps.push(oranPacket({ index: index++, seq: seq, tsNs: t + 100n }));
        seq += 2;
      }
    };
    burst(T0_NS, 12);
    burst(T0_NS + 5_000_000_000n, 2);
    const r = run(ps);
    expect(r.anomalies.map((a) => [a.type, a.packet_index, a.packet_count, a.severity])).toEqual([
      ['seq_reorder', 2, 12, 'major'],
      ['seq_reorder', 26, 2, 'minor'],
    ]);
    const first = r.anomalies[0]!;
    expect(first.evidence).toMatchObject({ occurrences: 12, first: { seq: 0 }, last: { seq: 22 } });
    expect(first.end_timestamp).toBe('2026-11-26T00:00:00.011000100Z');
    // Like an O-RU's RX_SEQID_ERR, both packets of a swap are unexpected (the first swap's lead is the flow's first packet).
    expect(r.counters['u|dl|eaxc=0']).toMatchObject({ SEQ_REORDERS: 14, RX_SEQID_ERR: 27 });
  });

  it('attaches the packets around the finding as packet_context', () => {
    const r = run(seqPackets([1, 2, 3, 4, 6, 7, 8, 9, 10]));
    const ctx = r.anomalies[0]!.packet_context!;
    expect(ctx.map((e) => e.frame)).toEqual([2, 3, 4, 5, 6, 7, 8]);
    expect(ctx[3]).toMatchObject({
      frame: 5,
      focus: true,
      seq: 6,
      eaxc: 0,
      plane: 'u',
      direction: 'dl',
      kind: 'ecpri',
    });
  });

  it('keeps the context of a gap that becomes final long after its packet left the ring', () => {
    const ids = [1, 2, 3, 5];
    for (let s = 6; s < 300; s++) ids.push(s);
    const r = runDetectors(seqPackets(ids), {
      profile: undefined,
      definitions: [sequenceDetector],
      contextCapacity: 16,
    });
    expect(types(r.anomalies)).toEqual(['seq_gap@4']);
    expect(r.anomalies[0]!.packet_context!.map((e) => e.frame)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('keeps the sequence spaces of two O-RUs (other MACs or VLAN) with the same eAxC apart', () => {
    const withLink = (p: DecodedPacket, ru: number, vlan: number): DecodedPacket => {
      p.data = new Uint8Array(64);
      p.data.set([2, 0, 0, 0, 0, ru, 2, 0, 0, 0, 0, 0x10], 0);
      p.link.dstMacOffset = 0;
      p.link.srcMacOffset = 6;
      p.link.vlanIds.length = 0;
      p.link.vlanIds.push(vlan);
      return p;
    };
    const ps: DecodedPacket[] = [];
    let index = 1;
    for (let i = 0; i < 300; i++) {
      ps.push(withLink(oranPacket({ index: index++, seq: i }), 1, 100));
      ps.push(withLink(oranPacket({ index: index++, seq: i + 77 }), 2, 100));
      ps.push(withLink(oranPacket({ index: index++, seq: i + 13 }), 1, 200));
    }
    const r = run(ps);
    expect(r.anomalies).toEqual([]);
    expect(Object.keys(r.counters).sort()).toEqual([
      'u|dl|eaxc=0',
      'u|dl|eaxc=0|vlan=100|macs=02:00:00:00:00:02-02:00:00:00:00:10',
      'u|dl|eaxc=0|vlan=200|macs=02:00:00:00:00:01-02:00:00:00:00:10',
    ]);
  });

  it("tracks at most the flow table's flows (limits.max_flows) and says how many messages it left out", () => {
    const ps = Array.from({ length: 26 }, (_, i) => oranPacket({ index: i + 1, seq: 0, eaxc: i }));
    const r = runDetectors(ps, { profile: { limits: { max_flows: 16 } }, definitions: [sequenceDetector] });
    expect(Object.keys(r.counters)).toHaveLength(16);
    expect(r.warnings).toEqual([
      'flow table full (16 flows, profile limits.max_flows): 10 O-RAN messages of further flows not analysed',
    ]);
  });

  it('emits rx_total and rx_seqid_err per flow and KPI bucket of capture time (10 ms in the first second, 100 ms after)', () => {
    const S = 1_000_000_000n;
    const base = T0_NS + 3n * S;
    const ps = [0, 1, 3, 4, 5, 5].map((seq, i) =>
      oranPacket({ index: i + 1, seq, tsNs: base + (i < 3 ? BigInt(i) * 1000n : S + BigInt(i) * 1000n) }),
    );
    ps.push(oranPacket({ index: 7, seq: 9, plane: 'c', tsNs: base }));
    const r = run(ps);
    const series = r.metrics
      .filter((m) => m.name.startsWith('rx_'))
      .map((m) => [m.name, m.timestamp, m.value, m.labels.flow]);
    expect(series).toEqual([
      ['rx_total', '2026-11-26T00:00:03.000000000Z', 3, 'u|dl|eaxc=0'],
      ['rx_seqid_err', '2026-11-26T00:00:03.000000000Z', 1, 'u|dl|eaxc=0'],
      ['rx_total', '2026-11-26T00:00:04.000000000Z', 3, 'u|dl|eaxc=0'],
      ['rx_seqid_err', '2026-11-26T00:00:04.000000000Z', 1, 'u|dl|eaxc=0'],
      ['rx_total_c', '2026-11-26T00:00:03.000000000Z', 1, 'c|dl|eaxc=0'],
      ['rx_seqid_err_c', '2026-11-26T00:00:03.000000000Z', 0, 'c|dl|eaxc=0'],
    ]);
  });

  it('splits KPI buckets exactly 2^53 ns and more after the first packet (the bigint test where ns numbers round)', () => {
    // Beyond 2^52 ns since the first packet the detector tests capture times as bigints (EXACT_REL_NS): a
    // packet 1 ns before a bucket's end stays in it, where its time as a double (ULP 2 ns) could round onto
    // the end and open the next bucket.
    const [start, end] = kpiBucketRange(2 ** 53 + 5e8);
    const S = T0_NS + BigInt(start);
    const E = T0_NS + BigInt(end);
    const ps = [T0_NS, E - 3n, E - 1n, E].map((tsNs, i) => oranPacket({ index: i + 1, seq: i, tsNs }));
    const series = run(ps)
      .metrics.filter((m) => m.name === 'rx_total')
      .map((m) => [m.timestamp, m.value]);
    expect(series).toEqual([
      [isoNs(T0_NS), 1],
      [isoNs(S), 2],
      [isoNs(E), 1],
    ]);
  });

  it('emits per-flow metrics at the end', () => {
    const r = run(seqPackets([1, 2, 5]));
    expect(r.metrics).toContainEqual(
      expect.objectContaining({
        name: 'rx_seqid_err',
        value: 1,
        labels: { flow: 'u|dl|eaxc=0', plane: 'u', direction: 'dl', eaxc: '0' },
      }),
    );
    expect(r.metrics).toContainEqual(expect.objectContaining({ name: 'seq_missing', value: 2 }));
  });
});
