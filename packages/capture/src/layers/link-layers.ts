/** What the outermost protocol after the link header (and VLAN tags) is. */
export type L3Kind = 'none' | 'ipv4' | 'ipv6' | 'arp' | 'ecpri' | 'ptp' | 'llc' | 'other';
/** Transport of an IP packet. `none` also for non-first IP fragments (no transport header). */
export type L4Kind = 'none' | 'udp' | 'tcp' | 'sctp' | 'icmp' | 'other';
/** What the innermost payload is, as far as the link layers tell. */
export type PayloadKind = 'none' | 'ecpri' | 'ptp' | 'other';

/**
 * The link, network and transport headers of one frame, as offsets into the frame's bytes (no
 * strings, no copies: format addresses on demand with `formatMac` / `formatIp`). One object is
 * meant to be reused for every frame ({@link createLinkLayers}, then `parseLinkLayers(…, out)`).
 *
 * Offsets are -1 and numbers -1 when the layer is absent. A malformed or cut header does not throw:
 * `error` says what is wrong and `errorOffset` where; the layers parsed before it stay filled.
 */
export interface LinkLayers {
  linkType: number;
  /** Ethernet destination MAC offset (-1 when the link has none, e.g. Linux cooked, raw IP). */
  dstMacOffset: number;
  /** Source MAC offset (Ethernet, or the Linux cooked link-layer address when it is a MAC). */
  srcMacOffset: number;
  /** VLAN ids (802.1Q/802.1ad tags, outermost first). The array is reused between frames. */
  vlanIds: number[];
  /** Tag protocol ids of the VLAN tags (0x8100, 0x88A8, 0x9100), parallel to `vlanIds`. */
  vlanTpids: number[];
  /** Priority code points of the VLAN tags, parallel to `vlanIds`. */
  vlanPcps: number[];
  /** Innermost Ethertype (after VLAN tags), or -1. Values ≤ 1500 are 802.3 lengths (`llc`). */
  ethertype: number;
  l3kind: L3Kind;
  /** Offset of the network header (IP, ARP) or of the Ethertype payload (eCPRI, PTP). */
  l3Offset: number;
  ipVersion: 0 | 4 | 6;
  ipSrcOffset: number;
  ipDstOffset: number;
  /** IPv4 protocol / IPv6 final next header, or -1. */
  ipProtocol: number;
  /** The IP packet is a fragment (IPv4 MF or offset ≠ 0; IPv6 fragment header with M or offset ≠ 0). */
  ipFragment: boolean;
  /** Fragment offset in bytes (0 for the first fragment). */
  ipFragmentOffset: number;
  l4kind: L4Kind;
  l4Offset: number;
  /** UDP/TCP/SCTP ports, or -1. */
  srcPort: number;
  dstPort: number;
  payloadKind: PayloadKind;
  /** Offset and length of the innermost payload (eCPRI PDU, PTP message, UDP payload, …). */
  payloadOffset: number;
  payloadLength: number;
  /** An IP or UDP length field claims more bytes than were captured; lengths were clipped. */
  clipped: boolean;
  /** What is malformed, e.g. `ipv4 header length 12 is less than 20`; undefined when all is well. */
  error: string | undefined;
  errorOffset: number;
}

/** A fresh, empty {@link LinkLayers} to reuse across frames. */
export function createLinkLayers(): LinkLayers {
  return {
    linkType: -1,
    dstMacOffset: -1,
    srcMacOffset: -1,
    vlanIds: [],
    vlanTpids: [],
    vlanPcps: [],
    ethertype: -1,
    l3kind: 'none',
    l3Offset: -1,
    ipVersion: 0,
    ipSrcOffset: -1,
    ipDstOffset: -1,
    ipProtocol: -1,
    ipFragment: false,
    ipFragmentOffset: 0,
    l4kind: 'none',
    l4Offset: -1,
    srcPort: -1,
    dstPort: -1,
    payloadKind: 'none',
    payloadOffset: 0,
    payloadLength: 0,
    clipped: false,
    error: undefined,
    errorOffset: -1,
  };
}

/** Options of `parseLinkLayers`. */
export interface LinkLayerOptions {
  /** UDP ports that carry eCPRI (deployment-specific; the profile's `ecpri_udp_ports`). */
  ecpriUdpPorts?: readonly number[];
  /** Most VLAN tags accepted before the frame is flagged (default {@link MAX_VLAN_TAGS}). */
  maxVlanTags?: number;
}

/** Default cap on stacked VLAN tags: deeper stacks are flagged as an error, not walked. */
export const MAX_VLAN_TAGS = 8;
/** Cap on chained IPv6 extension headers. */
export const MAX_IPV6_EXTENSION_HEADERS = 16;

export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_VLAN = 0x8100;
export const ETHERTYPE_QINQ = 0x88a8;
export const ETHERTYPE_QINQ_OLD = 0x9100;
export const ETHERTYPE_IPV6 = 0x86dd;
export const ETHERTYPE_PTP = 0x88f7;
export const ETHERTYPE_ECPRI = 0xaefe;
export const PTP_EVENT_PORT = 319;
export const PTP_GENERAL_PORT = 320;
