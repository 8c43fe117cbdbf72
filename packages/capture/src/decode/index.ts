export { createPacketDecoder, looksLikeEcpri, type PacketDecoder } from './packet-decoder.js';
export { DecodedPacket, type PacketKind } from './decoded-packet.js';
export { toWiresharkFields, timeEpochString, DECODE_CONTRACT_FIELDS } from './wireshark-fields.js';
export { PACKET_FIELD_NAMES, unknownDecodeFields } from './field-names.js';
export {
  resolveDecodeOptions,
  DEFAULT_EAXC_BITS,
  COMP_METHOD_CODE,
  type DecodeOptions,
  type EaxcBits,
  type CompMethodName,
} from './options.js';
export { FindingList, type Finding, type FindingCode, type FindingType } from './findings.js';
