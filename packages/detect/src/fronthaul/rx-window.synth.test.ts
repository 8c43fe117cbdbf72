/**
 * End to end: synthetic captures (capture/synth) with injected rx_window_late / rx_window_early faults,
 * through the reader and packet decoder, into the rx-window detector. Every label is found at its
 * packet_index; clean traffic gives no window finding and only on-time counters.
 */
import { createPacketDecoder, DecodedPacket, readCaptureRecords } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { parseFaultSpec, synthFronthaul } from '../../../capture/src/synth/index.js';
import type { DetectContext, DetectorDefinition, Occurrence } from '../framework/detector.js';
import { rxWindowDetector } from './rx-window.js';

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

const PROFILES: [string, Profile | undefined][] = [
  ['absolute profile', { scs_khz: 30, nrb: 51, timing: { mode: 'absolute' } }],
  ['no profile (auto mode, inferred SCS)', undefined],
];

describe.each(PROFILES)('rx-window on synthetic captures, %s', (_name, profile) => {
  it('clean traffic: no window findings, every message on time', () => {
    const { occ, counts } = analyse(rxWindowDetector, profile, '');
    expect(occ).toEqual([]);
    for (const [flow, c] of Object.entries(counts)) {
      const suffix = flow.startsWith('c') ? '_C' : '';
      expect(c[`RX_EARLY${suffix}`], flow).toBe(0);
      expect(c[`RX_LATE${suffix}`], flow).toBe(0);
      expect(c[`RX_ON_TIME${suffix}`], flow).toBeGreaterThan(0);
    }
  });

  it.each([
    'rx_window_late@0.012',
    'rx_window_early@0.012',
    'rx_window_late@0.01:dir=ul,eaxc=1',
    'rx_window_early@0.01:dir=ul',
    'rx_window_late@0.015:plane=c',
    'rx_window_early@0.015:plane=c,dir=ul,count=2',
  ])('%s is found at its packet index', (spec) => {
    const { occ, labels } = analyse(rxWindowDetector, profile, spec);
    expect(labels.length).toBe(1);
    const label = labels[0]!;
    const found = occ.filter((o) => o.type === label.type);
    expect(found.map((o) => o.packetIndex)).toContain(label.packet_index);
    expect(found.reduce((n, o) => n + o.packetCount, 0)).toBe(label.packet_count);
    expect(occ.filter((o) => o.type !== label.type)).toEqual([]);
    const o = found.find((x) => x.packetIndex === label.packet_index)!;
    expect(o.flow).toMatchObject({ eaxc: label.flow.eaxc, plane: label.flow.plane, direction: label.flow.direction });
    expect(o.radio).toEqual(label.radio);
    expect(o.evidence.mode).toBe('absolute');
  });
});
