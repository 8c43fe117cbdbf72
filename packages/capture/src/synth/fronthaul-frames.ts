/*
 * Frame layouts written by the fronthaul generator (all big-endian on the wire).
 *
 *  Ethernet II + one 802.1Q tag + eCPRI (Ethertype 0xAEFE), offsets in the frame:
 *   0 dst MAC | 6 src MAC | 12 TPID 0x8100 | 14 PCP[15:13] DEI VID[11:0] | 16 Ethertype 0xAEFE
 *  18 eCPRI common header (eCPRI v2.0 §3.1.3.1): revision 1 | C 0, message type, payload size (16)
 *  22 ecpriRtcid / ecpriPcid (eAxC id)  24 ecpriSeqid: SEQ_ID (8) | E (1) subsequence (7)
 *  26 O-RAN common header (CUS §5.4.4 / §7.5.2): dataDirection | payloadVersion 1 | filterIndex 0
 *  27 frameId  28 subframeId[15:12] | slotId[11:6] | (start)symbolId[5:0]
 *
 *  U-plane (message type 0), one section per packet, static compression (no udCompHdr):
 *  30 sectionId[23:12] | rb[11] | symInc[10] | startPrbu[9:0]   33 numPrbu   34 PRB data
 *
 *  C-plane (message type 2), section type 1, one section:
 *  30 numberOfSections  31 sectionType (1)  32 udCompHdr  33 reserved
 *  34 sectionId | rb | symInc | startPrbc   37 numPrbc   38 reMask[15:4] | numSymbol[3:0]
 *  40 ef[15] | beamId[14:0]      → 42 bytes, padded to the 60-byte Ethernet minimum
 *
 *  eCPRI one-way delay measurement (message type 5, §3.2.4.6):
 *  22 measurement ID  23 action type  24 timestamp: seconds (48) + nanoseconds (32)
 *  34 compensation value (64, ns · 2^16)   → 42 bytes, padded to 60
 */

export const ETH_MIN_FRAME = 60;
export const UPLANE_HEADER_LENGTH = 34;
export const CPLANE_FRAME_LENGTH = 42;
export const OWD_FRAME_LENGTH = 42;

export function parseMac(mac: string): Uint8Array {
  const parts = mac.split(/[:-]/).map((p) => Number.parseInt(p, 16));
  if (parts.length !== 6 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new RangeError(`bad MAC ${mac}`);
  return Uint8Array.from(parts);
}

export function formatMac(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':');
}

/** Bytes of IPv4 (20) + UDP (8) between the VLAN tag and eCPRI with the UDP transport. */
export const UDP_SHIFT = 28;

export function parseIpv4(ip: string): Uint8Array {
  const parts = ip.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255))
    throw new RangeError(`bad IPv4 ${ip}`);
  return Uint8Array.from(parts);
}

/**
 * Prefix of an eCPRI-over-UDP flow: Ethernet + VLAN (Ethertype 0x0800) + IPv4 (RFC 791, no options,
 * DF, TTL 64) + UDP (RFC 768, checksum 0 = none) + eCPRI common header + PC_ID (52 bytes). Lengths and
 * the IPv4 checksum are filled per packet by `finishIpUdp`.
 */
export function ecpriUdpFlowPrefix(
  dst: Uint8Array,
  src: Uint8Array,
  vlanId: number,
  pcp: number,
  srcIp: Uint8Array,
  dstIp: Uint8Array,
  port: number,
  messageType: number,
  pcId: number,
): Uint8Array {
  const eth = ecpriFlowPrefix(dst, src, vlanId, pcp, messageType, pcId);
  const h = new Uint8Array(24 + UDP_SHIFT);
  h.set(eth.subarray(0, 16), 0);
  h[16] = 0x08;
  h[17] = 0x00;
  h[18] = 0x45; // IPv4, IHL 5
  h[19] = 0xb8; // DSCP EF
  h[24] = 0x40; // DF
  h[26] = 64; // TTL
  h[27] = 17; // UDP
  h.set(srcIp, 30);
  h.set(dstIp, 34);
  h[38] = (port >> 8) & 0xff; // source port
  h[39] = port & 0xff;
  h[40] = (port >> 8) & 0xff;
  h[41] = port & 0xff;
  h.set(eth.subarray(18, 24), 46);
  return h;
}

/** Fills IPv4 total length + header checksum and UDP length for `contentLength` bytes of frame. */
export function finishIpUdp(buf: Uint8Array, o: number, contentLength: number): void {
  const ipLen = contentLength - 18;
  buf[o + 20] = (ipLen >> 8) & 0xff;
  buf[o + 21] = ipLen & 0xff;
  buf[o + 28] = 0;
  buf[o + 29] = 0;
  let sum = 0;
  for (let i = 18; i < 38; i += 2) sum += ((buf[o + i] ?? 0) << 8) | (buf[o + i + 1] ?? 0);
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  const ck = ~sum & 0xffff;
  buf[o + 28] = ck >> 8;
  buf[o + 29] = ck & 0xff;
  const udpLen = ipLen - 20;
  buf[o + 42] = (udpLen >> 8) & 0xff;
  buf[o + 43] = udpLen & 0xff;
  buf[o + 44] = 0;
  buf[o + 45] = 0;
}

/** Ethernet + VLAN + eCPRI common header + PC_ID prefix (24 bytes) of one flow. */
export function ecpriFlowPrefix(
  dst: Uint8Array,
  src: Uint8Array,
  vlanId: number,
  pcp: number,
  messageType: number,
  pcId: number,
): Uint8Array {
  const h = new Uint8Array(24);
  h.set(dst, 0);
  h.set(src, 6);
  h[12] = 0x81;
  h[13] = 0x00;
  const tci = ((pcp & 7) << 13) | (vlanId & 0x0fff);
  h[14] = tci >> 8;
  h[15] = tci & 0xff;
  h[16] = 0xae;
  h[17] = 0xfe;
  h[18] = 0x10; // revision 1, C = 0
  h[19] = messageType;
  h[22] = pcId >> 8;
  h[23] = pcId & 0xff;
  return h;
}

/** Writes bytes 24..29: ecpriSeqid (E = 1, subsequence 0) and the O-RAN radio header. */
export function writeRadioHeader(
  buf: Uint8Array,
  o: number,
  seq: number,
  dl: boolean,
  frameId: number,
  subframeId: number,
  slotId: number,
  symbolId: number,
): void {
  buf[o + 24] = seq & 0xff;
  buf[o + 25] = 0x80;
  buf[o + 26] = dl ? 0x90 : 0x10;
  buf[o + 27] = frameId & 0xff;
  const w = ((subframeId & 0xf) << 12) | ((slotId & 0x3f) << 6) | (symbolId & 0x3f);
  buf[o + 28] = w >> 8;
  buf[o + 29] = w & 0xff;
}

export function writeSectionHead(
  buf: Uint8Array,
  o: number,
  sectionId: number,
  startPrb: number,
  numPrbField: number,
): void {
  const w = ((sectionId & 0xfff) << 12) | (startPrb & 0x3ff);
  buf[o] = (w >> 16) & 0xff;
  buf[o + 1] = (w >> 8) & 0xff;
  buf[o + 2] = w & 0xff;
  buf[o + 3] = numPrbField & 0xff;
}

export function writePayloadSize(buf: Uint8Array, o: number, size: number): void {
  buf[o + 20] = (size >> 8) & 0xff;
  buf[o + 21] = size & 0xff;
}
