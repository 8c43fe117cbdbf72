/**
 * Link-layer header types (tcpdump.org LINKTYPE_* registry; pcap file header `LinkType`, pcapng IDB
 * `LinkType`). Only the ones {@link parseLinkLayers} decodes are "supported"; any other type is read
 * and delivered as raw bytes and reported, never a crash.
 */
export const LINKTYPE_NULL = 0;
export const LINKTYPE_ETHERNET = 1;
/** Raw IP, no link header (LINKTYPE_RAW; some platforms write DLT 12 or 14 for it). */
export const LINKTYPE_RAW = 101;
export const LINKTYPE_LINUX_SLL = 113;
export const LINKTYPE_IPV4 = 228;
export const LINKTYPE_IPV6 = 229;
export const LINKTYPE_LINUX_SLL2 = 276;

const SUPPORTED = new Set([
  LINKTYPE_ETHERNET,
  LINKTYPE_RAW,
  12,
  14,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL2,
]);

/** True when {@link parseLinkLayers} understands frames of this link type. */
export function isLinkTypeSupported(linkType: number): boolean {
  return SUPPORTED.has(linkType);
}

const NAMES: Record<number, string> = {
  0: 'NULL',
  1: 'ETHERNET',
  12: 'RAW',
  14: 'RAW',
  101: 'RAW',
  113: 'LINUX_SLL',
  147: 'USER0',
  228: 'IPV4',
  229: 'IPV6',
  276: 'LINUX_SLL2',
};

/** Short registry name, e.g. `ETHERNET`, or `LINKTYPE_<n>` when unknown. */
export function linkTypeName(linkType: number): string {
  return NAMES[linkType] ?? `LINKTYPE_${linkType}`;
}
