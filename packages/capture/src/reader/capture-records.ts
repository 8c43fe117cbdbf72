import type { ByteOrder } from '../bytes/byte-cursor.js';

/** Container formats the readers decode. */
export type CaptureFormat = 'pcap' | 'pcapng';

/**
 * One captured frame. `index` is 1-based and counts frames as Wireshark does (all packet blocks of
 * all sections in file order).
 *
 * Unless the reader was created with `copyData: true`, the reader reuses this object and `data` is
 * a view into the input (or a scratch buffer): both are valid only until the next call on the
 * reader. Copy what you keep (`new Uint8Array(record.data)`).
 */
export interface PacketRecord {
  kind: 'packet';
  index: number;
  /** pcapng interface id inside its section; 0 for pcap. */
  interfaceId: number;
  /** 0-based pcapng section the packet belongs to; 0 for pcap. */
  sectionIndex: number;
  linkType: number;
  /** Capture time, ns since 1970-01-01T00:00:00Z (if_tsoffset applied). 0n for a pcapng SPB. */
  tsNs: bigint;
  /** Bytes captured (= data.length). */
  capLen: number;
  /** Length of the frame on the wire. */
  origLen: number;
  /** capLen < origLen: the capture's snaplen cut this frame (flagged, still delivered). */
  truncated: boolean;
  data: Uint8Array;
  /** Absolute input offset of the record (pcap record header / pcapng block). */
  byteOffset: number;
  /** pcapng `opt_comment` values, joined with a newline when several. */
  comment?: string | undefined;
  /**
   * Packets the capturer lost between the previous packet of this interface and this one
   * (pcapng `epb_dropcount`, or the OPB drops count). Tells capture-side loss from real gaps.
   */
  dropCount?: number | undefined;
  /** pcapng `epb_flags` / OPB `pack_flags`: direction [1:0], reception type [4:2], FCS length [8:5], … */
  flags?: number | undefined;
}

/** Timestamp resolution of an interface: one unit is base^-exponent seconds (pcapng if_tsresol). */
export interface TsResolution {
  base: 2 | 10;
  exponent: number;
}

/** A capture interface: the pcap file header, or a pcapng Interface Description Block. */
export interface InterfaceRecord {
  kind: 'interface';
  interfaceId: number;
  sectionIndex: number;
  linkType: number;
  /** False when {@link parseLinkLayers} does not decode this link type (frames still delivered). */
  linkTypeSupported: boolean;
  /** 0 means "no limit" (pcapng). */
  snapLen: number;
  tsResolution: TsResolution;
  /** pcapng if_tsoffset, seconds added to every timestamp. */
  tsOffsetSec: bigint;
  /** Frame check sequence length in bytes when known (pcap FCS bits / if_fcslen). */
  fcsLen?: number | undefined;
  name?: string | undefined;
  description?: string | undefined;
  comment?: string | undefined;
  byteOffset: number;
}

/** A pcapng Section Header Block (the pcap file header counts as one section). */
export interface SectionRecord {
  kind: 'section';
  sectionIndex: number;
  byteOrder: ByteOrder;
  versionMajor: number;
  versionMinor: number;
  /** Declared section length, -1n when not given. */
  sectionLength: bigint;
  hardware?: string | undefined;
  os?: string | undefined;
  userApplication?: string | undefined;
  comment?: string | undefined;
  byteOffset: number;
}

/** A pcapng block the readers do not decode (NRB, ISB, DSB, custom, systemd journal, unknown). */
export interface UnknownBlockRecord {
  kind: 'unknown';
  blockType: number;
  /** `name_resolution`, `interface_statistics`, `decryption_secrets`, `custom`, … or `unknown`. */
  blockName: string;
  byteOffset: number;
  /** Total block length in bytes. */
  length: number;
}

export type CaptureRecord = PacketRecord | InterfaceRecord | SectionRecord | UnknownBlockRecord;

/** What is known about the file so far (grows as sections and interfaces are read). */
export interface CaptureFileInfo {
  format: CaptureFormat;
  /** Byte order of the first section. */
  byteOrder: ByteOrder;
  /** pcap only: µs or ns timestamps (magic a1b2c3d4 / a1b23c4d). pcapng: per interface. */
  tsPrecision?: 'us' | 'ns' | undefined;
  versionMajor: number;
  versionMinor: number;
  /** pcap file header snaplen; pcapng: snaplen of the first interface (0 = none). */
  snapLen: number;
  /** Distinct link types in order of appearance. */
  linkTypes: number[];
  /** False when any interface has a link type {@link parseLinkLayers} does not decode. */
  linkTypeSupported: boolean;
  /** The first {@link MAX_INFO_ENTRIES} sections (memory stays bounded on hostile files). */
  sections: SectionRecord[];
  /** The first {@link MAX_INFO_ENTRIES} interfaces over all sections. */
  interfaces: InterfaceRecord[];
  /** All sections seen so far (may exceed `sections.length`). */
  sectionCount: number;
  /** All interfaces seen so far (may exceed `interfaces.length`). */
  interfaceCount: number;
  /** Packets delivered so far. */
  packetCount: number;
}

/** Options of {@link createCaptureReader}. */
export interface CaptureReaderOptions {
  /**
   * When true every packet record is a fresh object whose `data` is a copy, safe to keep.
   * Default false: one reused record whose `data` is a view valid until the next call.
   */
  copyData?: boolean;
  /** Largest record (pcapng block / pcap record) accepted, default {@link MAX_RECORD_BYTES}. */
  maxRecordBytes?: number;
}

/** How many sections and interfaces {@link CaptureFileInfo} lists; later ones are only counted. */
export const MAX_INFO_ENTRIES = 1024;

/** Interfaces accepted in one pcapng section; more is treated as corrupt (each costs a clock). */
export const MAX_INTERFACES_PER_SECTION = 65536;

/** Default cap on one record: larger claimed lengths are corrupt, never allocated. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

/**
 * A streaming capture reader, push and pull:
 * `append(chunk)` any number of times, `end()` once; `next()` returns the next record, or
 * `undefined` meaning "need more bytes" before `end()` and "end of input" after it.
 * Corrupt input throws {@link CaptureFormatError}; input that ends inside a record throws
 * {@link CaptureTruncatedError} after every complete record was returned. Errors are sticky.
 */
export interface CaptureReader {
  readonly format: CaptureFormat;
  /** Takes a reference to `chunk`; do not modify it afterwards. */
  append(chunk: Uint8Array): void;
  /** No more input will come. */
  end(): void;
  next(): CaptureRecord | undefined;
  /** Undefined until the file header (pcap) / first SHB (pcapng) has been read. */
  fileInfo(): CaptureFileInfo | undefined;
}
