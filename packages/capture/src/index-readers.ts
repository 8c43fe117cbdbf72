/**
 * The readers part of `@l1t/capture` (re-exported by `index.ts`): format sniffing, streaming
 * pcap/pcapng readers, link-layer decoding and the typed input errors. Listed by name so the
 * public surface is deliberate; byte helpers stay internal to the package.
 */
export { ByteCursor, type ByteOrder } from './bytes/byte-cursor.js';
export { CaptureFormatError, CaptureTruncatedError } from './bytes/capture-errors.js';
export { FIRST_PART_BYTES, firstChunkSplit } from './bytes/first-chunk-split.js';

export { SNIFF_HEAD_BYTES, sniffFormat, type SniffResult, type SniffedFormat } from './sniff/sniff-format.js';
export { crc16X25, hdlcFrameVerifies } from './sniff/crc16-x25.js';

export {
  MAX_INFO_ENTRIES,
  MAX_INTERFACES_PER_SECTION,
  MAX_RECORD_BYTES,
  type CaptureFileInfo,
  type CaptureFormat,
  type CaptureReader,
  type CaptureReaderOptions,
  type CaptureRecord,
  type InterfaceRecord,
  type PacketRecord,
  type SectionRecord,
  type TsResolution,
  type UnknownBlockRecord,
} from './reader/capture-records.js';
export { createCaptureReader, readCaptureRecords } from './reader/create-capture-reader.js';
export { PCAP_MAX_STANDARD_CAPLEN, PcapReader } from './reader/pcap-reader.js';
export { PcapngReader } from './reader/pcapng-reader.js';

export {
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
  createLinkLayers,
  type L3Kind,
  type L4Kind,
  type LinkLayerOptions,
  type LinkLayers,
  type PayloadKind,
} from './layers/link-layers.js';
export {
  LINKTYPE_ETHERNET,
  LINKTYPE_IPV4,
  LINKTYPE_IPV6,
  LINKTYPE_LINUX_SLL,
  LINKTYPE_LINUX_SLL2,
  LINKTYPE_NULL,
  LINKTYPE_RAW,
  isLinkTypeSupported,
  linkTypeName,
} from './layers/link-types.js';
export { parseLinkLayers } from './layers/parse-link-layers.js';
export { formatIp, formatIpv4, formatIpv6, formatMac } from './layers/format-address.js';
