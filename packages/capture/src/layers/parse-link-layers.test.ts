import { describe, expect, it } from 'vitest';
import {
  ethernetFrame,
  ipv4Packet,
  ipv6Packet,
  sll2Frame,
  sllFrame,
  udpDatagram,
} from '../test-support/frame-builder.js';
import { formatIp, formatIpv6, formatMac } from './format-address.js';
import { createLinkLayers } from './link-layers.js';
import { parseLinkLayers } from './parse-link-layers.js';

const ECPRI = [0x10, 0x00, 0x00, 0x04, 1, 2, 3, 4];
const out = createLinkLayers();

describe('parseLinkLayers', () => {
  it('finds eCPRI behind Ethernet and two stacked VLAN tags', () => {
    const f = ethernetFrame({
      dst: '00:11:22:33:44:55',
      src: '66:77:88:99:aa:bb',
      vlans: [
        { tpid: 0x88a8, vid: 100, pcp: 5 },
        { tpid: 0x8100, vid: 3 },
      ],
      ethertype: 0xaefe,
      payload: ECPRI,
    });
    const r = parseLinkLayers(1, f, out);
    expect(r.error).toBeUndefined();
    expect(formatMac(f, r.dstMacOffset)).toBe('00:11:22:33:44:55');
    expect(formatMac(f, r.srcMacOffset)).toBe('66:77:88:99:aa:bb');
    expect(r.vlanIds).toEqual([100, 3]);
    expect(r.vlanTpids).toEqual([0x88a8, 0x8100]);
    expect(r.vlanPcps).toEqual([5, 0]);
    expect(r).toMatchObject({
      ethertype: 0xaefe,
      l3kind: 'ecpri',
      payloadKind: 'ecpri',
      payloadOffset: 22,
      payloadLength: 8,
    });
  });

  it('reuses the output object and clears the previous frame', () => {
    parseLinkLayers(1, ethernetFrame({ vlans: [{ tpid: 0x8100, vid: 7 }], ethertype: 0xaefe, payload: ECPRI }), out);
    const r = parseLinkLayers(1, ethernetFrame({ ethertype: 0x88f7, payload: new Array(44).fill(0) }), out);
    expect(r).toBe(out);
    expect(r.vlanIds).toEqual([]);
    expect(r).toMatchObject({ l3kind: 'ptp', payloadKind: 'ptp', payloadOffset: 14, payloadLength: 44, ipVersion: 0 });
  });

  it('accepts the legacy 0x9100 tag and flags a 50-tag stack at the tag that exceeds the cap', () => {
    const r1 = parseLinkLayers(
      1,
      ethernetFrame({ vlans: [{ tpid: 0x9100, vid: 9 }], ethertype: 0xaefe, payload: ECPRI }),
      out,
    );
    expect(r1.vlanIds).toEqual([9]);
    const vlans = Array.from({ length: 50 }, (_, i) => ({ tpid: 0x8100, vid: i }));
    const r = parseLinkLayers(1, ethernetFrame({ vlans, ethertype: 0xaefe, payload: ECPRI }), out);
    expect(r.error).toBe('VLAN stack deeper than 8 tags');
    expect(r.errorOffset).toBe(12 + 8 * 4);
    expect(r.vlanIds).toHaveLength(8);
    expect(r.payloadKind).toBe('none');
  });

  it('decodes IPv4/UDP and classifies eCPRI on a configured port and PTP on 319/320', () => {
    const ip = ipv4Packet({
      src: [192, 168, 1, 2],
      dst: [10, 9, 8, 7],
      protocol: 17,
      payload: udpDatagram(5000, 123, ECPRI),
    });
    const f = ethernetFrame({ ethertype: 0x0800, payload: [...ip, 0, 0, 0, 0] }); // Ethernet padding
    const r = parseLinkLayers(1, f, out, { ecpriUdpPorts: [123] });
    expect(r.error).toBeUndefined();
    expect(formatIp(f, r.ipSrcOffset, r.ipVersion)).toBe('192.168.1.2');
    expect(formatIp(f, r.ipDstOffset, r.ipVersion)).toBe('10.9.8.7');
    expect(r).toMatchObject({ l3kind: 'ipv4', l4kind: 'udp', srcPort: 5000, dstPort: 123, ipProtocol: 17 });
    expect(r).toMatchObject({ payloadKind: 'ecpri', payloadOffset: 14 + 20 + 8, payloadLength: 8, ipFragment: false });
    expect(parseLinkLayers(1, f, out).payloadKind).toBe('other');
    const ptp = ipv4Packet({ protocol: 17, payload: udpDatagram(319, 319, new Array(44).fill(0)) });
    expect(parseLinkLayers(1, ethernetFrame({ ethertype: 0x0800, payload: ptp }), out).payloadKind).toBe('ptp');
  });

  it('flags IPv4 fragments and does not read a transport header in a later fragment', () => {
    const first = ipv4Packet({ protocol: 17, moreFragments: true, payload: udpDatagram(1, 2, new Array(16).fill(1)) });
    const r1 = parseLinkLayers(101, first, out);
    expect(r1).toMatchObject({ ipFragment: true, ipFragmentOffset: 0, l4kind: 'udp', srcPort: 1, dstPort: 2 });
    const later = ipv4Packet({ protocol: 17, fragmentOffset: 3, payload: new Array(16).fill(1) });
    const r2 = parseLinkLayers(101, later, out);
    expect(r2).toMatchObject({
      ipFragment: true,
      ipFragmentOffset: 24,
      l4kind: 'none',
      srcPort: -1,
      payloadOffset: 20,
    });
  });

  it('walks IPv6 extension headers to UDP and flags a fragment header', () => {
    const ext = [
      { type: 0, bytes: [0, 0, 1, 4, 0, 0, 0, 0] }, // hop-by-hop, 8 bytes
      { type: 60, bytes: [0, 1, ...new Array<number>(14).fill(0)] }, // destination options, 16 bytes
      { type: 44, bytes: [0, 0, 0, 1, 0, 0, 0, 42] }, // fragment: offset 0, M = 1
    ];
    const ip = ipv6Packet({ ext, nextHeader: 17, payload: udpDatagram(320, 320, new Array(10).fill(0)) });
    const f = ethernetFrame({ vlans: [{ tpid: 0x8100, vid: 1 }], ethertype: 0x86dd, payload: ip });
    const r = parseLinkLayers(1, f, out);
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ ipVersion: 6, ipProtocol: 17, ipFragment: true, l4kind: 'udp', payloadKind: 'ptp' });
    expect(r.payloadOffset).toBe(18 + 40 + 32 + 8);
    expect(formatIp(f, r.ipSrcOffset, 6)).toBe('2001:db8::1');
  });

  it('reports an IPv6 extension header that overruns the packet', () => {
    const ip = ipv6Packet({ ext: [{ type: 43, bytes: [0, 200, 0, 0, 0, 0, 0, 0] }], nextHeader: 17, payload: [] });
    const r = parseLinkLayers(229, ip, out);
    expect(r.error).toMatch(/extension header 43 of 1608 bytes overruns/);
    expect(r.errorOffset).toBe(40);
  });

  it('reads Linux cooked v1 and v2 headers', () => {
    const ip = ipv4Packet({ protocol: 17, payload: udpDatagram(9, 319, [1, 2]) });
    const v1 = sllFrame(0x0800, ip, '02:00:00:00:00:01');
    const r1 = parseLinkLayers(113, v1, out);
    expect(r1).toMatchObject({ ethertype: 0x0800, l3Offset: 16, l4kind: 'udp', payloadKind: 'ptp', dstMacOffset: -1 });
    expect(formatMac(v1, r1.srcMacOffset)).toBe('02:00:00:00:00:01');
    const v2 = sll2Frame(0x0800, ip);
    const r2 = parseLinkLayers(276, v2, out);
    expect(r2).toMatchObject({
      ethertype: 0x0800,
      l3Offset: 20,
      dstPort: 319,
      payloadOffset: 20 + 28,
      payloadLength: 2,
    });
    expect(formatMac(v2, r2.srcMacOffset)).toBe('0a:0b:0c:0d:0e:0f');
  });

  it('clips IP and UDP lengths to what the snaplen kept and says so', () => {
    const ip = ipv4Packet({ protocol: 17, payload: udpDatagram(1, 2, new Array(100).fill(0)) });
    const r = parseLinkLayers(1, ethernetFrame({ ethertype: 0x0800, payload: ip.subarray(0, 40) }), out);
    expect(r.error).toBeUndefined();
    expect(r).toMatchObject({ clipped: true, payloadOffset: 42, payloadLength: 12 });
  });

  it.each([
    [1, Uint8Array.of(1, 2, 3), 'ethernet header needs 14 bytes, frame has 3'],
    [147, Uint8Array.of(1, 2, 3), 'link type 147 is not supported'],
    [101, Uint8Array.of(0x45, 0, 0), 'ipv4 header needs 20 bytes, 3 captured'],
    [101, Uint8Array.of(0x70), 'raw IP version 7 is neither 4 nor 6'],
    [228, Uint8Array.from([0x43, ...new Array<number>(19).fill(0)]), 'ipv4 header length 12 is less than 20'],
  ])('reports malformed headers without throwing (link type %d)', (linkType, data, error) => {
    expect(parseLinkLayers(linkType, data, out).error).toBe(error);
  });

  it('flags a UDP length below 8', () => {
    const ip = ipv4Packet({ protocol: 17, payload: [0, 1, 0, 2, 0, 4, 0, 0] });
    expect(parseLinkLayers(228, ip, out)).toMatchObject({ error: 'udp length 4 is less than 8', errorOffset: 20 });
  });

  it('formats IPv6 addresses canonically', () => {
    const a = Uint8Array.from([0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    expect(formatIpv6(a, 0)).toBe('2001:db8:0:1::1');
    expect(formatIpv6(new Uint8Array(16), 0)).toBe('::');
    expect(formatMac(a, 12)).toBeUndefined();
  });

  it('keeps every offset inside the frame for random and truncated frames', () => {
    let seed = 7;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const templates = [
      ethernetFrame({
        vlans: [{ tpid: 0x8100, vid: 5 }],
        ethertype: 0x0800,
        payload: ipv4Packet({ protocol: 17, payload: udpDatagram(1, 319, new Array(30).fill(0)) }),
      }),
      ethernetFrame({
        ethertype: 0x86dd,
        payload: ipv6Packet({
          ext: [{ type: 44, bytes: [0, 0, 0, 1, 0, 0, 0, 1] }],
          nextHeader: 6,
          payload: new Array(40).fill(0x50),
        }),
      }),
      sll2Frame(0x86dd, ipv6Packet({ nextHeader: 132, payload: new Array(20).fill(1) })),
      sllFrame(0x8100, [0, 3, 0xae, 0xfe, ...ECPRI]),
    ];
    for (let round = 0; round < 5000; round++) {
      const t = templates[rand(templates.length)]!;
      const f = t.slice(0, rand(t.length + 1));
      for (let k = rand(4); k > 0 && f.length > 0; k--) f[rand(f.length)] = rand(256);
      const linkType = [1, 276, 113, 101, 229][rand(5)]!;
      const r = parseLinkLayers(linkType, f, out, { ecpriUdpPorts: [9] });
      expect(r.payloadOffset).toBeGreaterThanOrEqual(0);
      expect(r.payloadLength).toBeGreaterThanOrEqual(0);
      expect(r.payloadOffset + r.payloadLength).toBeLessThanOrEqual(f.length);
      for (const o of [r.ipSrcOffset, r.l3Offset, r.l4Offset]) expect(o).toBeLessThanOrEqual(f.length);
      if (r.srcMacOffset >= 0) expect(r.srcMacOffset + 6).toBeLessThanOrEqual(f.length);
      if (r.ipVersion !== 0 && r.error === undefined)
        expect(r.ipDstOffset + (r.ipVersion === 4 ? 4 : 16)).toBeLessThanOrEqual(f.length);
      expect(Number.isInteger(r.srcPort) && Number.isInteger(r.ethertype)).toBe(true);
    }
  });
});
