import { readU16BE } from '../bytes/byte-cursor.js';
import { fail, setPayload } from './layer-result.js';
import {
  MAX_IPV6_EXTENSION_HEADERS,
  PTP_EVENT_PORT,
  PTP_GENERAL_PORT,
  type LinkLayerOptions,
  type LinkLayers,
} from './link-layers.js';

const NO_PORTS: readonly number[] = [];

/*
 * IPv4 (RFC 791 §3.1): 0 version[7:4] IHL[3:0] | 2 total length | 6 flags[15:13] (MF = bit 13)
 * fragment offset[12:0] (8-byte units) | 9 protocol | 12 source | 16 destination | options
 */
export function parseIpv4(d: Uint8Array, off: number, limit: number, o: LinkLayers, opt: LinkLayerOptions): LinkLayers {
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
export function parseIpv6(d: Uint8Array, off: number, limit: number, o: LinkLayers, opt: LinkLayerOptions): LinkLayers {
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
