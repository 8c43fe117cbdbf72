import { DecodedPacket } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { LinkTable } from './link-table.js';

function frame(dst: number, src: number, vlan?: number): DecodedPacket {
  const p = new DecodedPacket();
  p.data = new Uint8Array(64);
  p.data.set([2, 0, 0, 0, 0, dst, 2, 0, 0, 0, 0, src], 0);
  p.link.dstMacOffset = 0;
  p.link.srcMacOffset = 6;
  if (vlan !== undefined) p.link.vlanIds.push(vlan);
  return p;
}

describe('LinkTable', () => {
  it('gives both directions of one link the same id and other MACs or VLANs new ids', () => {
    const t = new LinkTable();
    expect(t.linkOf(frame(1, 2, 100))).toBe(0);
    expect(t.linkOf(frame(2, 1, 100))).toBe(0);
    expect(t.linkOf(frame(1, 3, 100))).toBe(1);
    expect(t.linkOf(frame(1, 2, 101))).toBe(2);
    expect(t.linkOf(frame(1, 2))).toBe(3);
    expect(t.suffix(0)).toBe('');
    expect(t.suffix(1)).toBe('|vlan=100|macs=02:00:00:00:00:01-02:00:00:00:00:03');
    expect(t.suffix(3)).toBe('|vlan=none|macs=02:00:00:00:00:01-02:00:00:00:00:02');
  });

  it('tells apart MACs whose low 20 bits collide', () => {
    const t = new LinkTable();
    const a = frame(1, 2);
    const b = frame(1, 2);
    b.data[3] = 0x10; // differs above the hashed bits
    expect(t.linkOf(a)).toBe(0);
    expect(t.linkOf(b)).toBe(1);
    expect(t.linkOf(a)).toBe(0);
  });

  it('folds links beyond its bound into the last one', () => {
    const t = new LinkTable(4);
    for (let i = 0; i < 10; i++) t.linkOf(frame(1, 10 + i));
    expect(t.size).toBe(4);
    expect(t.linkOf(frame(1, 99))).toBe(3);
  });
});
