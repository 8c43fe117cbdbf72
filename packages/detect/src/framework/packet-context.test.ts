import { DecodedPacket } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { PacketContextRing } from './packet-context.js';
import { fillOranPacket, T0_NS } from './test-support/packets.js';

describe('PacketContextRing', () => {
  it('shows before, the focus and after with the flow, seq and radio position of each packet', () => {
    const ring = new PacketContextRing(8, 3, 3);
    const p = new DecodedPacket();
    for (let i = 1; i <= 4; i++)
      ring.push(fillOranPacket(p, { index: i, seq: 10 + i, eaxc: 2, plane: i === 2 ? 'c' : 'u', slotId: i }));
    const ctx = ring.capture(4);
    expect(ctx.map((e) => e.frame)).toEqual([1, 2, 3, 4]);
    for (let i = 5; i <= 9; i++) ring.push(fillOranPacket(p, { index: i, seq: 10 + i, direction: 'ul' }));
    expect(ctx.map((e) => e.frame)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(ctx[3]).toEqual({
      frame: 4,
      time: '2026-11-26T00:00:00.000040000Z',
      size: 64,
      kind: 'ecpri',
      focus: true,
      eaxc: 2,
      plane: 'u',
      direction: 'dl',
      seq: 14,
      frame_id: 0,
      subframe_id: 0,
      slot_id: 4,
      symbol_id: 0,
    });
    expect(ctx[1]!.plane).toBe('c');
    expect(ctx[4]!.direction).toBe('ul');
  });

  it('shows non-O-RAN packets without flow keys and skips frames that left the ring', () => {
    const ring = new PacketContextRing(4, 3, 1);
    const p = new DecodedPacket();
    for (let i = 1; i <= 10; i++) {
      p.index = i;
      p.tsNs = T0_NS + BigInt(i);
      p.kind = 'other';
      p.hasOran = false;
      p.data = new Uint8Array(60);
      ring.push(p);
    }
    expect(ring.capture(9).map((e) => [e.frame, e.kind, e.eaxc])).toEqual([
      [7, 'other', undefined],
      [8, 'other', undefined],
      [9, 'other', undefined],
      [10, 'other', undefined],
    ]);
    expect(ring.capture(2)).toEqual([]); // long gone
  });

  it('gives a PTP message its type and sequenceId (what a sync gap or sequence error is read against)', () => {
    const ring = new PacketContextRing(8, 1, 0);
    const p = new DecodedPacket();
    for (let i = 1; i <= 2; i++) {
      p.index = i;
      p.tsNs = T0_NS + BigInt(i);
      p.kind = 'ptp';
      p.hasOran = false;
      p.data = new Uint8Array(60);
      p.ptp.valid = true;
      p.ptp.messageType = i === 1 ? 0 : 11;
      p.ptp.sequenceId = 4000 + i;
      ring.push(p);
    }
    expect(ring.capture(2).map((e) => [e.frame, e.kind, e.ptp_type, e.seq])).toEqual([
      [1, 'ptp', 0, 4001],
      [2, 'ptp', 11, 4002],
    ]);
  });

  it('stops waiting for later packets at the end of the file', () => {
    const ring = new PacketContextRing(8, 1, 3);
    const p = new DecodedPacket();
    ring.push(fillOranPacket(p, { index: 1, seq: 1 }));
    const ctx = ring.capture(1);
    ring.finish();
    ring.push(fillOranPacket(p, { index: 2, seq: 2 }));
    expect(ctx.map((e) => e.frame)).toEqual([1]);
  });
});
