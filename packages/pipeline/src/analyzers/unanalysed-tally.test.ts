import { describe, expect, it } from 'vitest';
import { createPacketDecoder, DecodedPacket } from '@l1t/capture';
import { UnanalysedTally } from './unanalysed-tally.js';

const ETHERNET = 1;

/** Ethernet II: destination MAC, source MAC, Ethertype, then `payload`. */
function ethernet(ethertype: number, payload: number[]): Uint8Array {
  return new Uint8Array([
    ...[0x02, 0, 0, 0, 0, 1], // destination MAC
    ...[0x02, 0, 0, 0, 0, 2], // source MAC
    ethertype >> 8,
    ethertype & 0xff,
    ...payload,
    ...new Array<number>(Math.max(0, 46 - payload.length)).fill(0), // pad to the 60-byte minimum
  ]);
}

/** IPv4 (no options) carrying UDP from `src` to `dst` with `data` as the payload. */
function udp(src: number, dst: number, data: number[]): Uint8Array {
  const udpLength = 8 + data.length;
  const total = 20 + udpLength;
  return ethernet(0x0800, [
    ...[0x45, 0x00, total >> 8, total & 0xff], // version 4, IHL 5; total length
    ...[0, 0, 0x40, 0], // identification; don't fragment
    ...[64, 17, 0, 0], // TTL; protocol UDP; checksum (not checked)
    ...[10, 0, 0, 1, 10, 0, 0, 2], // source, destination address
    ...[src >> 8, src & 0xff, dst >> 8, dst & 0xff], // ports
    ...[udpLength >> 8, udpLength & 0xff, 0, 0], // length; checksum
    ...data,
  ]);
}

function tally(frames: { linkType?: number; data: Uint8Array }[]): UnanalysedTally {
  const decoder = createPacketDecoder();
  const p = new DecodedPacket();
  const t = new UnanalysedTally();
  frames.forEach((f, i) => t.add(decoder.decode(f.linkType ?? ETHERNET, f.data, BigInt(i), i + 1, p)));
  return t;
}

describe('UnanalysedTally', () => {
  it('names frames by Ethertype, port, protocol and link type, most frequent first (then by how)', () => {
    const t = tally([
      ...Array.from({ length: 3 }, () => ({ data: ethernet(0xfc3d, [1, 2, 3]) })), // RoE
      { data: ethernet(0x88cc, [0]) }, // LLDP
      { data: ethernet(0x0806, [0, 1, 8, 0, 6, 4, 0, 1]) }, // ARP request
      { data: udp(40000, 2152, [0x30, 0xff, 0, 0]) }, // GTP-U
      { data: udp(40001, 123, [0x10, 0x00, 0, 4]) }, // an eCPRI header on the NTP port
      { linkType: 147, data: new Uint8Array(20) }, // USER0
    ]);
    expect(t.analysed).toBe(0);
    expect(t.list().map((n) => n.note)).toEqual([
      '3 RoE frames (Ethertype 0xFC3D): not analysed',
      '1 LLDP frame (Ethertype 0x88CC): not analysed',
      "1 eCPRI-like frame (UDP port 123): not analysed, the port is not in the profile's ecpri_udp_ports",
      '1 GTP-U frame (UDP port 2152): not analysed',
      '1 ARP frame: not analysed',
      '1 unsupported link frame (link type 147): not analysed',
    ]);
  });

  it('keeps a bounded table: beyond 256 kinds, frames are counted as other', () => {
    const t = tally(Array.from({ length: 300 }, (_, i) => ({ data: udp(50000, 1000 + i, [0xff]) })));
    const list = t.list();
    expect(list).toHaveLength(20);
    expect(list[0]).toMatchObject({ protocol: 'other', frames: 300 - 256 });
  });
});
