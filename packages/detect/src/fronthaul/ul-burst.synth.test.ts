/**
 * End to end: synthetic captures with an injected ul_symbol_burst_slow fault (one UL symbol's packets
 * spread over 150 µs) through the reader and decoder into the ul-burst detector.
 */
import { createPacketDecoder, DecodedPacket, readCaptureRecords } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { parseFaultSpec, synthFronthaul } from '../../../capture/src/synth/index.js';
import type { DetectContext, DetectorDefinition, Occurrence } from '../framework/detector.js';
import { ulBurstDetector } from './ul-burst.js';

function analyse(
  def: DetectorDefinition,
  profile: Profile | undefined,
  faults: string,
  cfg: Record<string, unknown> = {},
) {
  const synth = synthFronthaul({ durationS: 0.03, nrb: 51, ...cfg }, parseFaultSpec(faults), 11);
  const chunks = [...synth];
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.length;
  }
  const occ: Occurrence[] = [];
  const counts: Record<string, Record<string, number>> = {};
  const ctx: DetectContext = {
    profile,
    thresholds: {},
    report: (o) => occ.push(o),
    metric: () => {},
    count: (flow, name, value) => {
      const c = (counts[flow] ??= {});
      c[name] = (c[name] ?? 0) + value;
    },
  };
  const d = def.create({ profile, thresholds: {} });
  const dec = createPacketDecoder({ nrb: profile?.nrb });
  const p = new DecodedPacket();
  for (const r of readCaptureRecords(bytes, 'pcap')) {
    if (r.kind !== 'packet') continue;
    d.onPacket(dec.decode(r.linkType, r.data, r.tsNs, r.index, p), ctx);
  }
  d.finish(ctx);
  return { occ, counts, labels: synth.labels };
}

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
