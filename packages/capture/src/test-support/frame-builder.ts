/**
 * Network frame builders for fixtures: Ethernet II with VLAN tags, IPv4/IPv6, UDP, Linux cooked.
 * All multi-byte fields are big-endian (network order).
 */

export function mac(text: string): number[] {
  return text.split(':').map((h) => parseInt(h, 16));
}

function be16(v: number): number[] {
  return [(v >> 8) & 0xff, v & 0xff];
}

export interface EthernetSpec {
  dst?: string;
  src?: string;
  /** VLAN tags outermost first: TPID (0x8100/0x88A8/0x9100) and VLAN id (PCP/DEI 0). */
  vlans?: { tpid: number; vid: number; pcp?: number }[];
  ethertype: number;
  payload: Uint8Array | number[];
}

export function ethernetFrame(s: EthernetSpec): Uint8Array {
  const out: number[] = [...mac(s.dst ?? '01:02:03:04:05:06'), ...mac(s.src ?? '0a:0b:0c:0d:0e:0f')];
  for (const v of s.vlans ?? []) out.push(...be16(v.tpid), ...be16(((v.pcp ?? 0) << 13) | (v.vid & 0xfff)));
  out.push(...be16(s.ethertype), ...s.payload);
  return Uint8Array.from(out);
}

export interface Ipv4Spec {
  src?: number[];
  dst?: number[];
  protocol: number;
  payload: Uint8Array | number[];
  moreFragments?: boolean;
  fragmentOffset?: number;
  /** Extra header bytes (options), a multiple of 4. */
  options?: number[];
}

export function ipv4Packet(s: Ipv4Spec): Uint8Array {
  const opts = s.options ?? [];
  const ihl = 5 + opts.length / 4;
  const total = ihl * 4 + s.payload.length;
  const flags = (s.moreFragments ? 0x2000 : 0) | ((s.fragmentOffset ?? 0) & 0x1fff);
  // prettier-ignore
  return Uint8Array.from([
    0x40 | ihl, 0, ...be16(total), // version/IHL, DSCP, total length
    0, 1, ...be16(flags), // identification, flags/fragment offset
    64, s.protocol, 0, 0, // TTL, protocol, header checksum (not checked)
    ...(s.src ?? [10, 0, 0, 1]), ...(s.dst ?? [10, 0, 0, 2]),
    ...opts, ...s.payload,
  ]);
}

export interface Ipv6Spec {
  src?: number[];
  dst?: number[];
  /** Extension headers in order: [nextHeader type of this ext header, its bytes]. */
  ext?: { type: number; bytes: number[] }[];
  nextHeader: number;
  payload: Uint8Array | number[];
}

export function ipv6Packet(s: Ipv6Spec): Uint8Array {
  const ext = s.ext ?? [];
  const extBytes: number[] = [];
  ext.forEach((e, i) => {
    const nh = i + 1 < ext.length ? ext[i + 1]!.type : s.nextHeader;
    extBytes.push(nh, ...e.bytes.slice(1));
  });
  const first = ext.length > 0 ? ext[0]!.type : s.nextHeader;
  const src = s.src ?? [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 1];
  const dst = s.dst ?? [0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(11).fill(0), 2];
  // prettier-ignore
  return Uint8Array.from([
    0x60, 0, 0, 0, ...be16(extBytes.length + s.payload.length), first, 64,
    ...src, ...dst, ...extBytes, ...s.payload,
  ]);
}

export function udpDatagram(srcPort: number, dstPort: number, payload: Uint8Array | number[]): Uint8Array {
  return Uint8Array.from([...be16(srcPort), ...be16(dstPort), ...be16(8 + payload.length), 0, 0, ...payload]);
}

/** Linux cooked v1 (LINKTYPE_LINUX_SLL, 16 bytes) header + payload. */
export function sllFrame(protocol: number, payload: Uint8Array | number[], src = '0a:0b:0c:0d:0e:0f'): Uint8Array {
  // prettier-ignore
  return Uint8Array.from([
    ...be16(0), ...be16(1), ...be16(6), // packet type, ARPHRD_ETHER, address length
    ...mac(src), 0, 0, // link-layer address padded to 8
    ...be16(protocol), ...payload,
  ]);
}

/** Linux cooked v2 (LINKTYPE_LINUX_SLL2, 20 bytes) header + payload. */
export function sll2Frame(protocol: number, payload: Uint8Array | number[], src = '0a:0b:0c:0d:0e:0f'): Uint8Array {
  // prettier-ignore
  return Uint8Array.from([
    ...be16(protocol), 0, 0, // protocol type, reserved
    0, 0, 0, 2, // interface index
    ...be16(1), 0, 6, // ARPHRD_ETHER, packet type, address length
    ...mac(src), 0, 0, // link-layer address padded to 8
    ...payload,
  ]);
}
