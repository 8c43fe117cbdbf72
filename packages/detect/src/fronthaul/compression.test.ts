import { DecodedPacket, Inferred } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../framework/detector.js';
import { compressionDetector } from './compression.js';
import { end, feed } from '../framework/test-support/feed.js';
import type { DriverContext } from '../framework/detector-driver.js';

const T0 = 1_767_225_600_000_000_000n;

function cplane(index: number, dl: boolean, udCompHdr: number, slotId = 0, sectionType = 1): DecodedPacket {
  const p = new DecodedPacket();
  p.index = index;
  p.tsNs = T0 + BigInt(index);
  p.kind = 'ecpri';
  p.hasOran = true;
  p.oranCount = 1;
  const o = p.oran;
  o.plane = 'c';
  o.eaxc = 1;
  o.dataDirection = dl ? 1 : 0;
  o.frameId = 8;
  o.slotId = slotId;
  o.headerComplete = true;
  o.sectionType = sectionType;
  o.udCompHdr = udCompHdr;
  o.sectionCount = 1;
  o.cSection(0).sectionId = 1;
  return p;
}

function uplane(
  index: number,
  dl: boolean,
  method: number,
  width: number,
  opts: { slotId?: number; udCompHdr?: number; inferred?: number } = {},
): DecodedPacket {
  const p = new DecodedPacket();
  p.index = index;
  p.tsNs = T0 + BigInt(index);
  p.kind = 'ecpri';
  p.hasOran = true;
  p.oranCount = 1;
  const o = p.oran;
  o.plane = 'u';
  o.eaxc = 1;
  o.dataDirection = dl ? 1 : 0;
  o.frameId = 8;
  o.slotId = opts.slotId ?? 0;
  o.headerComplete = true;
  o.inferred = opts.inferred ?? 0;
  o.sectionCount = 1;
  const s = o.uSection(0);
  s.sectionId = 1;
  s.compMethod = method;
  s.iqWidth = width;
  s.udCompHdr = opts.udCompHdr ?? -1;
  return p;
}

function run(profile: Profile | undefined, packets: DecodedPacket[]): Occurrence[] {
  const occ: Occurrence[] = [];
  const ctx: DriverContext = { profile, thresholds: {}, report: (o) => occ.push(o), metric: () => {} };
  const d = compressionDetector.create({ profile, thresholds: {} });
  for (const p of packets) feed(d, p, ctx);
  end(d, ctx);
  return occ;
}

describe('compression_mismatch', () => {
  it('DL C-plane udCompHdr is reserved: 0 is fine, anything else is a finding', () => {
    const occ = run(undefined, [
      cplane(1, true, 0),
      cplane(2, true, 0x91),
      cplane(3, true, -1, 0, 0),
      cplane(4, true, 0x01, 0, 3),
    ]);
    expect(occ.map((o) => [o.packetIndex, o.evidence.reason, o.evidence.udCompHdr])).toEqual([
      [2, 'dl_cplane_reserved', '0x91'],
      [4, 'dl_cplane_reserved', '0x01'],
    ]);
    expect(occ[0]!.flow).toMatchObject({ eaxc: 1, plane: 'c', direction: 'dl' });
  });

  it('UL U-plane matching the UL C-plane announcement of its slot is fine (udIqWidth 0 = 16)', () => {
    expect(run(undefined, [cplane(1, false, 0x91), uplane(2, false, 1, 9)])).toEqual([]);
    expect(run(undefined, [cplane(1, false, 0x01), uplane(2, false, 1, 16)])).toEqual([]);
  });

  it('UL U-plane differing from the announcement: one finding at the C-plane message, per announcement', () => {
    const occ = run(undefined, [
      cplane(1, false, 0xe1),
      cplane(2, false, 0xe1, 1),
      uplane(3, false, 1, 9, { inferred: Inferred.IQ_WIDTH }),
      uplane(4, false, 1, 9),
      uplane(5, false, 1, 9, { slotId: 1 }),
      uplane(6, false, 1, 9, { slotId: 2 }), // no announcement for slot 2
    ]);
    expect(occ.map((o) => [o.packetIndex, o.packetCount, o.evidence.reason, o.evidence.uplane_packet_index])).toEqual([
      [1, 2, 'uplane_vs_announced', 3],
      [2, 2, 'uplane_vs_announced', 5],
    ]);
    expect(occ[0]!.evidence).toMatchObject({
      announced: { method: 'bfp', iq_width: 14 },
      uplane: { method: 'bfp', iq_width: 9 },
    });
    expect(occ[0]!.confidence).toBeLessThan(occ[1]!.confidence);
    expect(occ[0]!.flow).toMatchObject({ plane: 'c', direction: 'ul' });
  });

  it('UL C-plane udCompHdr 0 means "as configured": a dynamic U-plane header is compared with the profile', () => {
    const profile: Profile = { uplane: { comp_method: 'bfp', iq_width: 9, comp_hdr: 'dynamic' } };
    const occ = run(profile, [
      cplane(1, false, 0),
      uplane(2, false, 1, 9, { udCompHdr: 0x91 }),
      uplane(3, false, 1, 12, { udCompHdr: 0xc1 }),
      uplane(4, true, 0, 16, { udCompHdr: 0x00 }),
    ]);
    expect(occ.map((o) => [o.packetIndex, o.evidence.reason])).toEqual([
      [3, 'uplane_vs_profile'],
      [4, 'uplane_vs_profile'],
    ]);
    // without a profile method/width there is nothing to compare a dynamic header with
    expect(run(undefined, [uplane(3, false, 1, 12, { udCompHdr: 0xc1 })])).toEqual([]);
  });

  it('with static compression in the profile, a differing UL announcement is reported once, at the C-plane', () => {
    const profile: Profile = { uplane: { comp_method: 'bfp', iq_width: 9, comp_hdr: 'static' } };
    const occ = run(profile, [
      cplane(1, false, 0xe1),
      uplane(2, false, 1, 9),
      cplane(3, false, 0x91, 1),
      uplane(4, false, 1, 9, { slotId: 1 }),
    ]);
    expect(occ.map((o) => [o.packetIndex, o.evidence.reason])).toEqual([[1, 'ul_cplane_vs_profile']]);
    expect(occ[0]!.evidence).toMatchObject({ announced: { iq_width: 14 }, profile: { method: 'bfp', iq_width: 9 } });
  });

  it('remembers the last 32 announcements per eAxC only (bounded memory)', () => {
    const packets = [cplane(1, false, 0xe1, 0)];
    for (let i = 0; i < 32; i++) packets.push(cplane(2 + i, false, 0x91, 1 + (i % 60)));
    packets.push(uplane(100, false, 1, 9, { slotId: 0 }));
    expect(run(undefined, packets)).toEqual([]);
  });
});
