/*
 * Minimal, allocation-free link walk for the packet decoder: Ethernet II (LINKTYPE 1) with any
 * number of 802.1Q/802.1ad tags (0x8100, 0x88A8, 0x9100), Linux SLL/SLL2, raw IPv4/IPv6, then
 * IPv4/IPv6 → UDP. It only locates the eCPRI or PTP payload; full layer records belong to
 * `layers/`.
 *
 *   Ethernet: dst(48) | src(48) | [TPID(16) | PCP(3) DEI(1) VID(12)]* | EtherType(16)
 *   IPv4 (RFC 791): IHL in 32-bit words, protocol at byte 9; IPv6 (RFC 8200): next header at byte 6,
 *   fixed 40-byte header (extension headers are not followed). UDP (RFC 768): 8 bytes.
 */

export interface LinkResult {
  ethDst: number;
  ethSrc: number;
  /** EtherType after the VLAN tags (or the SLL protocol); -1 when none. */
  etherType: number;
  vlanCount: number;
  readonly vlanIds: number[];
  readonly vlanPcps: number[];
  ipVersion: number;
  ipProto: number;
  udpSrcPort: number;
  udpDstPort: number;
  /** Offset and length of the payload after the last recognised header. */
  payloadOffset: number;
  payloadLength: number;
}

const ETH_VLAN = 0x8100;
const ETH_QINQ = 0x88a8;
const ETH_QINQ_OLD = 0x9100;
const ETH_IPV4 = 0x0800;
const ETH_IPV6 = 0x86dd;

function u16(d: Uint8Array, o: number): number {
  return (d[o]! << 8) | d[o + 1]!;
}
function mac(d: Uint8Array, o: number): number {
  return u16(d, o) * 0x1_0000_0000 + (((d[o + 2]! << 24) >>> 0) + ((d[o + 3]! << 16) | (d[o + 4]! << 8) | d[o + 5]!));
}

export function walkLink(linkType: number, d: Uint8Array, out: LinkResult): void {
  out.ethDst = out.ethSrc = -1;
  out.etherType = -1;
  out.vlanCount = 0;
  out.ipVersion = 0;
  out.ipProto = -1;
  out.udpSrcPort = out.udpDstPort = -1;
  out.payloadOffset = 0;
  out.payloadLength = d.length;
  const len = d.length;
  let o = 0;
  let type = -1;
  if (linkType === 1) {
    if (len < 14) return;
    out.ethDst = mac(d, 0);
    out.ethSrc = mac(d, 6);
    type = u16(d, 12);
    o = 14;
    while ((type === ETH_VLAN || type === ETH_QINQ || type === ETH_QINQ_OLD) && o + 4 <= len) {
      const tci = u16(d, o);
      if (out.vlanCount < out.vlanIds.length) {
        out.vlanIds[out.vlanCount] = tci & 0xfff;
        out.vlanPcps[out.vlanCount] = tci >> 13;
      } else {
        out.vlanIds.push(tci & 0xfff);
        out.vlanPcps.push(tci >> 13);
      }
      out.vlanCount++;
      type = u16(d, o + 2);
      o += 4;
    }
  } else if (linkType === 113) {
    if (len < 16) return;
    type = u16(d, 14);
    o = 16;
  } else if (linkType === 276) {
    if (len < 20) return;
    type = u16(d, 0);
    o = 20;
  } else if (linkType === 101 || linkType === 12 || linkType === 14 || linkType === 228 || linkType === 229) {
    if (len < 1) return;
    type = d[0]! >> 4 === 6 ? ETH_IPV6 : ETH_IPV4;
  } else {
    return;
  }
  out.etherType = type;
  out.payloadOffset = o;
  out.payloadLength = len - o;
  let proto = -1;
  if (type === ETH_IPV4 && len - o >= 20 && d[o]! >> 4 === 4) {
    const ihl = (d[o]! & 15) * 4;
    const total = u16(d, o + 2);
    const fragOffset = u16(d, o + 6) & 0x1fff;
    out.ipVersion = 4;
    proto = d[o + 9]!;
    const end = Math.min(len, o + Math.max(total, ihl));
    if (ihl < 20 || o + ihl > end || fragOffset !== 0) return;
    out.ipProto = proto;
    o += ihl;
    out.payloadOffset = o;
    out.payloadLength = end - o;
  } else if (type === ETH_IPV6 && len - o >= 40 && d[o]! >> 4 === 6) {
    out.ipVersion = 6;
    proto = d[o + 6]!;
    out.ipProto = proto;
    const end = Math.min(len, o + 40 + u16(d, o + 4));
    o += 40;
    out.payloadOffset = o;
    out.payloadLength = end - o;
  } else {
    return;
  }
  if (proto === 17 && out.payloadLength >= 8) {
    out.udpSrcPort = u16(d, o);
    out.udpDstPort = u16(d, o + 2);
    const udpLen = u16(d, o + 4);
    const avail = out.payloadLength;
    out.payloadOffset = o + 8;
    out.payloadLength = (udpLen >= 8 && udpLen <= avail ? udpLen : avail) - 8;
  }
}
