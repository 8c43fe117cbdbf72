import { isLinkTypeSupported, type DecodedPacket } from '@l1t/capture';

/**
 * What a capture carried that the product recognised but does not analyse (issue 12: a file of RoE frames
 * or F1AP said "0 anomalies" with no hint that nothing was judged). Frames are counted per Ethertype, per
 * IP transport port or protocol, and per link type, and the summary names them: "2,304 RoE frames
 * (Ethertype 0xFC3D): not analysed".
 *
 * Hot path: one small integer key per frame (no strings), a Map bounded by {@link MAX_KEYS} (a capture
 * with every port of the range ends up in one "other" bucket, not in a Map the size of the port space).
 */

/** Kinds of key; the key of a frame is `kind * 2^16 + value`. */
const ETHERTYPE = 1;
const UDP = 2;
const TCP = 3;
const SCTP = 4;
const IP_PROTOCOL = 5;
const LINK_TYPE = 6;
const FIXED = 7;
/** UDP whose payload looks like an eCPRI header on a port the profile does not list. */
const UDP_ECPRI_LIKE = 8;

const FIXED_ARP = 1;
const FIXED_LLC = 2;
const FIXED_ICMP = 3;
const FIXED_IP_FRAGMENT = 4;
const FIXED_NO_NETWORK = 5;
const FIXED_OVERFLOW = 6;

const MAX_KEYS = 256;
/** Where frames of kinds beyond {@link MAX_KEYS} are counted (the one key allowed past the cap). */
const OVERFLOW_KEY = FIXED * 0x10000 + FIXED_OVERFLOW;
/** Entries listed in the summary (the most frequent first). */
const MAX_LISTED = 20;

const ETHERTYPE_NAMES: Record<number, string> = {
  0xfc3d: 'RoE',
  0x88cc: 'LLDP',
  0x8809: 'Slow Protocols (LACP)',
  0x88e5: 'MACsec',
  0x888e: 'EAPOL',
  0x8902: 'CFM (OAM)',
  0x22f0: 'AVTP',
  0x8892: 'PROFINET',
  0x88a4: 'EtherCAT',
  0x8847: 'MPLS',
  0x8848: 'MPLS',
  0x8863: 'PPPoE',
  0x8864: 'PPPoE',
};

/** Well-known ports of what shows up beside fronthaul: RAN control planes first (TS 38.47x, 36.41x). */
const PORT_NAMES: Record<number, string> = {
  38472: 'F1AP',
  38412: 'NGAP',
  38422: 'XnAP',
  38462: 'E1AP',
  36412: 'S1AP',
  36422: 'X2AP',
  2152: 'GTP-U',
  2123: 'GTP-C',
  8805: 'PFCP',
  3868: 'Diameter',
  4729: 'GSMTAP',
  5060: 'SIP',
  53: 'DNS',
  67: 'DHCP',
  68: 'DHCP',
  123: 'NTP',
  161: 'SNMP',
  162: 'SNMP',
  514: 'syslog',
  830: 'NETCONF',
  22: 'SSH',
  80: 'HTTP',
  443: 'HTTPS',
  5353: 'mDNS',
};

const IP_PROTOCOL_NAMES: Record<number, string> = { 2: 'IGMP', 47: 'GRE', 50: 'ESP', 89: 'OSPF', 112: 'VRRP' };
const TRANSPORT_NAMES: Record<number, string> = { [UDP]: 'UDP', [TCP]: 'TCP', [SCTP]: 'SCTP' };
const FIXED_NAMES: Record<number, string> = {
  [FIXED_ARP]: 'ARP',
  [FIXED_LLC]: 'IEEE 802.3 LLC',
  [FIXED_ICMP]: 'ICMP',
  [FIXED_IP_FRAGMENT]: 'IP fragment',
  [FIXED_NO_NETWORK]: 'link-layer-only',
  [FIXED_OVERFLOW]: 'other',
};

/** One line of the summary's `not_analysed` list. */
export interface NotAnalysed {
  /** What the frames are, as far as their headers tell (`RoE`, `F1AP`, `UDP`…). */
  protocol: string;
  /** How they were recognised (`Ethertype 0xFC3D`, `SCTP port 38472`, `link type 147`). */
  by: string;
  frames: number;
  /** The sentence shown to the user. */
  note: string;
}

const hex4 = (v: number): string => `0x${v.toString(16).toUpperCase().padStart(4, '0')}`;
/** "2,304 RoE frames", "1 RoE frame". */
const framesOf = (n: number, what: string): string =>
  `${n.toLocaleString('en-US')} ${what} ${n === 1 ? 'frame' : 'frames'}`;

export class UnanalysedTally {
  private readonly frames = new Map<number, number>();
  /** Frames the detectors judged (eCPRI and PTP). */
  analysed = 0;

  add(p: DecodedPacket): void {
    if (p.kind !== 'other') {
      this.analysed++;
      return;
    }
    this.bump(keyOf(p));
  }

  /** The not-analysed frames, most frequent first. */
  list(): NotAnalysed[] {
    const out: NotAnalysed[] = [];
    for (const [key, frames] of this.frames) out.push(describe(key, frames));
    out.sort((a, b) => b.frames - a.frames || (a.by < b.by ? -1 : 1));
    return out.slice(0, MAX_LISTED);
  }

  private bump(key: number): void {
    const n = this.frames.get(key);
    if (n !== undefined) this.frames.set(key, n + 1);
    else if (this.frames.size < MAX_KEYS) this.frames.set(key, 1);
    else this.frames.set(OVERFLOW_KEY, (this.frames.get(OVERFLOW_KEY) ?? 0) + 1);
  }
}

function keyOf(p: DecodedPacket): number {
  const l = p.link;
  if (!isLinkTypeSupported(p.linkType)) return LINK_TYPE * 0x10000 + (p.linkType & 0xffff);
  switch (l.l3kind) {
    case 'arp':
      return FIXED * 0x10000 + FIXED_ARP;
    case 'llc':
      return FIXED * 0x10000 + FIXED_LLC;
    case 'ipv4':
    case 'ipv6':
      return transportKey(p);
    case 'none':
      return FIXED * 0x10000 + FIXED_NO_NETWORK;
    default:
      return ETHERTYPE * 0x10000 + (l.ethertype & 0xffff);
  }
}

function transportKey(p: DecodedPacket): number {
  const l = p.link;
  const kind = l.l4kind === 'udp' ? UDP : l.l4kind === 'tcp' ? TCP : l.l4kind === 'sctp' ? SCTP : 0;
  if (kind === 0) {
    if (l.l4kind === 'icmp') return FIXED * 0x10000 + FIXED_ICMP;
    if (l.l4kind === 'none') return FIXED * 0x10000 + FIXED_IP_FRAGMENT;
    return IP_PROTOCOL * 0x10000 + (l.ipProtocol & 0xffff);
  }
  // The port that names the service: a well-known one if either is, else the lower (ephemeral ports are high).
  const port =
    PORT_NAMES[l.dstPort] !== undefined
      ? l.dstPort
      : PORT_NAMES[l.srcPort] !== undefined
        ? l.srcPort
        : Math.min(l.srcPort, l.dstPort);
  if (kind === UDP && looksLikeEcpri(p)) return UDP_ECPRI_LIKE * 0x10000 + (port & 0xffff);
  return kind * 0x10000 + (port & 0xffff);
}

/**
 * An eCPRI common header (eCPRI 2.0 §3.1.3.1): revision 1 in the high nibble, reserved bits 0, the C bit, then
 * a message type of the standard range 0–7. A hint, not a decode: the user is told to list the port.
 */
function looksLikeEcpri(p: DecodedPacket): boolean {
  const l = p.link;
  if (l.payloadLength < 4) return false;
  const b0 = p.data[l.payloadOffset]!;
  const type = p.data[l.payloadOffset + 1]!;
  return (b0 & 0xfe) === 0x10 && type <= 7;
}

function describe(key: number, n: number): NotAnalysed {
  const kind = Math.floor(key / 0x10000);
  const value = key & 0xffff;
  let protocol: string;
  let by: string;
  let note: string | undefined;
  switch (kind) {
    case ETHERTYPE:
      protocol = ETHERTYPE_NAMES[value] ?? 'Ethernet';
      by = `Ethertype ${hex4(value)}`;
      break;
    case UDP:
    case TCP:
    case SCTP:
      protocol = PORT_NAMES[value] ?? TRANSPORT_NAMES[kind]!;
      by = `${TRANSPORT_NAMES[kind]} port ${value}`;
      break;
    case UDP_ECPRI_LIKE:
      protocol = 'eCPRI-like';
      by = `UDP port ${value}`;
      note = `${framesOf(n, 'eCPRI-like')} (UDP port ${value}): not analysed, the port is not in the profile's ecpri_udp_ports`;
      break;
    case IP_PROTOCOL:
      protocol = IP_PROTOCOL_NAMES[value] ?? 'IP';
      by = `IP protocol ${value}`;
      break;
    case LINK_TYPE:
      protocol = 'unsupported link';
      by = `link type ${value}`;
      break;
    default:
      protocol = FIXED_NAMES[value] ?? 'other';
      by = 'header';
      note = `${framesOf(n, protocol)}: not analysed`;
  }
  return { protocol, by, frames: n, note: note ?? `${framesOf(n, protocol)} (${by}): not analysed` };
}
