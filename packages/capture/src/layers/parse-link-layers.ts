import { readU16BE } from '../bytes/byte-cursor.js';
import {
  ETHERTYPE_ARP,
  ETHERTYPE_ECPRI,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  ETHERTYPE_PTP,
  ETHERTYPE_QINQ,
  ETHERTYPE_QINQ_OLD,
  ETHERTYPE_VLAN,
  MAX_IPV6_EXTENSION_HEADERS,
  MAX_VLAN_TAGS,
  PTP_EVENT_PORT,
  PTP_GENERAL_PORT,
  type LinkLayerOptions,
  type LinkLayers,
} from './link-layers.js';
import {
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_RAW,
} from './link-types.js';

const NO_OPTIONS: LinkLayerOptions = {};
const NO_PORTS: readonly number[] = [];

/**
 * Decodes the link, VLAN, IP and UDP headers of one frame into `out` (reused; see
 * {@link LinkLayers}) and locates the innermost payload. eCPRI is recognised by Ethertype 0xAEFE or
 * a configured UDP port; PTP by Ethertype 0x88F7 or UDP 319/320. Never throws on frame content.
 */
export function parseLinkLayers(
  linkType: number,
  data: Uint8Array,
  out: LinkLayers,
  options: LinkLayerOptions = NO_OPTIONS,
): LinkLayers {
  reset(out, linkType, data.length);
  switch (linkType) {
    case LINKTYPE_ETHERNET:
      return parseEthernet(data, out, options);
    case LINKTYPE_LINUX_SLL:
      return parseSll(data, out, options);
    case LINKTYPE_LINUX_SLL2:
      return parseSll2(data, out, options);
    case LINKTYPE_RAW:
    case 12:
    case 14: {
      if (data.length < 1) return fail(out, 0, 'raw IP frame is empty');
      const v = data[0]! >> 4;
      if (v === 4) return parseIpv4(data, 0, data.length, out, options);
      if (v === 6) return parseIpv6(data, 0, data.length, out, options);
      return fail(out, 0, `raw IP version ${v} is neither 4 nor 6`);
    }
    case LINKTYPE_IPV4:
      return parseIpv4(data, 0, data.length, out, options);
    case LINKTYPE_IPV6:
      return parseIpv6(data, 0, data.length, out, options);
    default:
      out.payloadKind = 'other';
      return fail(out, 0, `link type ${linkType} is not supported`);
  }
}

function reset(o: LinkLayers, linkType: number, length: number): void {
  o.linkType = linkType;
  o.dstMacOffset = -1;
  o.srcMacOffset = -1;
  // pop() keeps the arrays' backing stores; assigning `length` is a slow runtime call in V8.
  while (o.vlanIds.length > 0) o.vlanIds.pop();
  while (o.vlanTpids.length > 0) o.vlanTpids.pop();
  while (o.vlanPcps.length > 0) o.vlanPcps.pop();
  o.ethertype = -1;
  o.l3kind = 'none';
  o.l3Offset = -1;
  o.ipVersion = 0;
  o.ipSrcOffset = -1;
  o.ipDstOffset = -1;
  o.ipProtocol = -1;
  o.ipFragment = false;
  o.ipFragmentOffset = 0;
  o.l4kind = 'none';
  o.l4Offset = -1;
  o.srcPort = -1;
  o.dstPort = -1;
  o.payloadKind = 'none';
  o.payloadOffset = 0;
  o.payloadLength = length;
  o.clipped = false;
  o.error = undefined;
  o.errorOffset = -1;
}

/** Records a problem; the payload becomes the bytes from `at` on, of unknown kind. */
function fail(o: LinkLayers, at: number, error: string): LinkLayers {
  o.error = error;
  o.errorOffset = at;
  return o;
}

function setPayload(o: LinkLayers, kind: LinkLayers['payloadKind'], offset: number, end: number): LinkLayers {
  o.payloadKind = kind;
  o.payloadOffset = offset;
  o.payloadLength = end - offset;
  return o;
}

/* Ethernet II (IEEE 802.3 §3.2.6): dst MAC(6) | src MAC(6) | Ethertype/length(2) */
function parseEthernet(d: Uint8Array, o: LinkLayers, opt: LinkLayerOptions): LinkLayers {
  if (d.length < 14) return fail(o, 0, `ethernet header needs 14 bytes, frame has ${d.length}`);
  o.dstMacOffset = 0;
  o.srcMacOffset = 6;
  return fromEthertype(d, 12, o, opt);
}

/*
 * Linux cooked v1 (LINKTYPE_LINUX_SLL, 16 bytes):
 *  0 packet type | 2 ARPHRD type | 4 address length | 6 address (8, zero padded) | 14 protocol
 */
function parseSll(d: Uint8Array, o: LinkLayers, opt: LinkLayerOptions): LinkLayers {
  if (d.length < 16) return fail(o, 0, `linux cooked header needs 16 bytes, frame has ${d.length}`);
  if (readU16BE(d, 2) === 1 && readU16BE(d, 4) === 6) o.srcMacOffset = 6;
  return fromEthertype(d, 14, o, opt);
}

/*
 * Linux cooked v2 (LINKTYPE_LINUX_SLL2, 20 bytes):
 *  0 protocol | 2 reserved | 4 interface index(4) | 8 ARPHRD type | 10 packet type(1)
 * 11 address length(1) | 12 address (8, zero padded)
 */
function parseSll2(d: Uint8Array, o: LinkLayers, opt: LinkLayerOptions): LinkLayers {
  if (d.length < 20) return fail(o, 0, `linux cooked v2 header needs 20 bytes, frame has ${d.length}`);
  if (readU16BE(d, 8) === 1 && d[11] === 6) o.srcMacOffset = 12;
  const type = readU16BE(d, 0);
  return dispatchEthertype(d, type, 20, o, opt);
}

/*
 * Ethertype at `at`, preceded by any number of 802.1Q (0x8100) / 802.1ad (0x88A8, legacy 0x9100)
 * tags: TPID(2) | PCP[15:13] DEI[12] VID[11:0] (IEEE 802.1Q §9.6).
 */
function fromEthertype(d: Uint8Array, at: number, o: LinkLayers, opt: LinkLayerOptions): LinkLayers {
  let type = readU16BE(d, at);
  let off = at + 2;
  const maxTags = opt.maxVlanTags ?? MAX_VLAN_TAGS;
  while (type === ETHERTYPE_VLAN || type === ETHERTYPE_QINQ || type === ETHERTYPE_QINQ_OLD) {
    if (o.vlanIds.length >= maxTags) {
      return fail(o, off - 2, `VLAN stack deeper than ${maxTags} tags`);
    }
    if (off + 4 > d.length) return fail(o, off - 2, 'VLAN tag is cut short');
    const tci = readU16BE(d, off);
    o.vlanTpids.push(type);
    o.vlanIds.push(tci & 0x0fff);
    o.vlanPcps.push(tci >> 13);
    type = readU16BE(d, off + 2);
    off += 4;
  }
  return dispatchEthertype(d, type, off, o, opt);
}

function dispatchEthertype(d: Uint8Array, type: number, off: number, o: LinkLayers, opt: LinkLayerOptions): LinkLayers {
  o.ethertype = type;
  o.l3Offset = off;
  o.payloadOffset = off;
  o.payloadLength = d.length - off;
  switch (type) {
    case ETHERTYPE_IPV4:
      return parseIpv4(d, off, d.length, o, opt);
    case ETHERTYPE_IPV6:
      return parseIpv6(d, off, d.length, o, opt);
    case ETHERTYPE_ECPRI:
      o.l3kind = 'ecpri';
      return setPayload(o, 'ecpri', off, d.length);
    case ETHERTYPE_PTP:
      o.l3kind = 'ptp';
      return setPayload(o, 'ptp', off, d.length);
    case ETHERTYPE_ARP:
      o.l3kind = 'arp';
      return setPayload(o, 'other', off, d.length);
    default:
      if (type <= 1500) {
        // IEEE 802.3 length field: an LLC frame, possibly followed by padding.
        o.l3kind = 'llc';
        return setPayload(o, 'other', off, Math.min(d.length, off + type));
      }
      o.l3kind = 'other';
      return setPayload(o, 'other', off, d.length);
  }
}

/*
 * IPv4 (RFC 791 §3.1): 0 version[7:4] IHL[3:0] | 2 total length | 6 flags[15:13] (MF = bit 13)
 * fragment offset[12:0] (8-byte units) | 9 protocol | 12 source | 16 destination | options
 */
function parseIpv4(d: Uint8Array, off: number, limit: number, o: LinkLayers, opt: LinkLayerOptions): LinkLayers {
  o.l3kind = 'ipv4';
  o.l3Offset = off;
  o.ipVersion = 4;
  if (off + 20 > limit) return fail(o, off, `ipv4 header needs 20 bytes, ${limit - off} captured`);
  const version = d[off]! >> 4;
  if (version !== 4) return fail(o, off, `ipv4 version field is ${version}`);
  const ihl = (d[off]! & 0x0f) * 4;
  if (ihl < 20) return fail(o, off, `ipv4 header length ${ihl} is less than 20`);
  const total = readU16BE(d, off + 2);
  if (total < ihl) return fail(o, off, `ipv4 total length ${total} is less than its header length ${ihl}`);
  if (off + ihl > limit) return fail(o, off, `ipv4 header length ${ihl} exceeds the ${limit - off} bytes captured`);
  let end = off + total;
  if (end > limit) {
    o.clipped = true;
    end = limit;
  }
  const frag = readU16BE(d, off + 6);
  o.ipFragmentOffset = (frag & 0x1fff) * 8;
  o.ipFragment = (frag & 0x2000) !== 0 || o.ipFragmentOffset !== 0;
  o.ipProtocol = d[off + 9]!;
  o.ipSrcOffset = off + 12;
  o.ipDstOffset = off + 16;
  return transport(d, o.ipProtocol, off + ihl, end, o, opt);
}

/*
 * IPv6 (RFC 8200 §3): 0 version[31:28] | 4 payload length | 6 next header | 7 hop limit
 * 8 source(16) | 24 destination(16) | extension headers (§4) | upper-layer header
 */
function parseIpv6(d: Uint8Array, off: number, limit: number, o: LinkLayers, opt: LinkLayerOptions): LinkLayers {
  o.l3kind = 'ipv6';
  o.l3Offset = off;
  o.ipVersion = 6;
  if (off + 40 > limit) return fail(o, off, `ipv6 header needs 40 bytes, ${limit - off} captured`);
  const version = d[off]! >> 4;
  if (version !== 6) return fail(o, off, `ipv6 version field is ${version}`);
  o.ipSrcOffset = off + 8;
  o.ipDstOffset = off + 24;
  const plen = readU16BE(d, off + 4);
  let next = d[off + 6]!;
  // Payload length 0 with a hop-by-hop header means a jumbogram (RFC 2675): take what was captured.
  let end = plen === 0 && next === 0 ? limit : off + 40 + plen;
  if (end > limit) {
    o.clipped = true;
    end = limit;
  }
  let p = off + 40;
  for (let n = 0; ; n++) {
    if (n > MAX_IPV6_EXTENSION_HEADERS) {
      return fail(o, p, `more than ${MAX_IPV6_EXTENSION_HEADERS} ipv6 extension headers`);
    }
    let len: number;
    if (next === 0 || next === 43 || next === 60 || next === 135 || next === 139 || next === 140) {
      // hop-by-hop, routing, destination options, mobility, HIP, shim6: length in 8-byte units after the first 8
      if (p + 2 > end) return fail(o, p, `ipv6 extension header ${next} is cut short`);
      len = (d[p + 1]! + 1) * 8;
    } else if (next === 44) {
      // fragment header (§4.5): next(1) reserved(1) offset[15:3] res[2:1] M[0] identification(4)
      len = 8;
      if (p + 8 > end) return fail(o, p, 'ipv6 fragment header is cut short');
      const fo = readU16BE(d, p + 2);
      o.ipFragmentOffset = fo & 0xfff8;
      o.ipFragment = true;
    } else if (next === 51) {
      // authentication header (RFC 4302 §2.2): length in 4-byte units minus 2
      if (p + 2 > end) return fail(o, p, 'ipv6 authentication header is cut short');
      len = (d[p + 1]! + 2) * 4;
    } else {
      break;
    }
    if (p + len > end) return fail(o, p, `ipv6 extension header ${next} of ${len} bytes overruns the packet`);
    next = d[p]!;
    p += len;
  }
  o.ipProtocol = next;
  return transport(d, next, p, end, o, opt);
}

/* Transport after the IP header: `off` its start, `end` the end of the IP payload. */
function transport(
  d: Uint8Array,
  proto: number,
  off: number,
  end: number,
  o: LinkLayers,
  opt: LinkLayerOptions,
): LinkLayers {
  if (o.ipFragmentOffset !== 0 || proto === 59) {
    // A non-first fragment carries no transport header; 59 is "no next header".
    return setPayload(o, proto === 59 ? 'none' : 'other', off, end);
  }
  switch (proto) {
    case 17:
      return parseUdp(d, off, end, o, opt);
    case 6: {
      o.l4kind = 'tcp';
      o.l4Offset = off;
      if (off + 20 > end) return fail(setPayload(o, 'other', off, end), off, 'tcp header is cut short');
      o.srcPort = readU16BE(d, off);
      o.dstPort = readU16BE(d, off + 2);
      const hl = (d[off + 12]! >> 4) * 4;
      if (hl < 20 || off + hl > end)
        return fail(setPayload(o, 'other', off, end), off, `tcp header length ${hl} is invalid`);
      return setPayload(o, 'other', off + hl, end);
    }
    case 132: {
      o.l4kind = 'sctp';
      o.l4Offset = off;
      if (off + 12 > end) return fail(setPayload(o, 'other', off, end), off, 'sctp common header is cut short');
      o.srcPort = readU16BE(d, off);
      o.dstPort = readU16BE(d, off + 2);
      return setPayload(o, 'other', off + 12, end);
    }
    case 1:
    case 58:
      o.l4kind = 'icmp';
      o.l4Offset = off;
      return setPayload(o, 'other', off, end);
    default:
      o.l4kind = 'other';
      o.l4Offset = off;
      return setPayload(o, 'other', off, end);
  }
}

/* UDP (RFC 768): 0 source port | 2 destination port | 4 length (header + data) | 6 checksum */
function parseUdp(d: Uint8Array, off: number, end: number, o: LinkLayers, opt: LinkLayerOptions): LinkLayers {
  o.l4kind = 'udp';
  o.l4Offset = off;
  if (off + 8 > end)
    return fail(setPayload(o, 'other', off, end), off, `udp header needs 8 bytes, ${end - off} present`);
  const src = readU16BE(d, off);
  const dst = readU16BE(d, off + 2);
  const len = readU16BE(d, off + 4);
  o.srcPort = src;
  o.dstPort = dst;
  if (len < 8 && !o.ipFragment)
    return fail(setPayload(o, 'other', off + 8, end), off, `udp length ${len} is less than 8`);
  let pend = o.ipFragment ? end : off + len;
  if (pend > end) {
    o.clipped = true;
    pend = end;
  }
  const ports = opt.ecpriUdpPorts ?? NO_PORTS;
  let kind: LinkLayers['payloadKind'] = 'other';
  if (ports.length > 0 && (ports.includes(dst) || ports.includes(src))) kind = 'ecpri';
  else if (dst === PTP_EVENT_PORT || dst === PTP_GENERAL_PORT || src === PTP_EVENT_PORT || src === PTP_GENERAL_PORT) {
    kind = 'ptp';
  }
  return setPayload(o, kind, off + 8, pend);
}
