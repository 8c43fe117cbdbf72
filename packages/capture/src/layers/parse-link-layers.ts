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
  MAX_VLAN_TAGS,
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
import { fail, setPayload } from './layer-result.js';
import { parseIpv4, parseIpv6 } from './parse-ip.js';

const NO_OPTIONS: LinkLayerOptions = {};

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
