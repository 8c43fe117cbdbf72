import { readU16, readU32 } from '../bytes/byte-cursor.js';
import { bigintFromWide } from '../bytes/int64-halves.js';
import { CaptureFormatError, CaptureTruncatedError, hex32 } from '../bytes/capture-errors.js';
import { isLinkTypeSupported } from '../layers/link-types.js';
import { BaseCaptureReader } from './base-reader.js';
import type { CaptureReaderOptions, CaptureRecord, InterfaceRecord, SectionRecord } from './capture-records.js';

/*
 * pcap (draft-ietf-opsawg-pcap §4, §5), all fields in the writer's byte order:
 *
 *  file header (24 bytes)
 *   0 magic      a1b2c3d4 (µs) | a1b23c4d (ns); read swapped → other byte order
 *   4 major u16 (2) | 6 minor u16 (4)
 *   8 thiszone i32 (ignored, as Wireshark) | 12 sigfigs u32
 *  16 snaplen u32
 *  20 linktype: bits 0-15 LinkType, bit 28 f (FCS length present), bits 29-31 FCS length (16-bit words)
 *
 *  record (16-byte header + caplen bytes)
 *   0 ts seconds u32 | 4 ts µs or ns u32 | 8 caplen u32 | 12 origlen u32 | 16 data[caplen]
 */

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
const MAGIC_BYTES = [
  [0xd4, 0xc3, 0xb2, 0xa1],
  [0xa1, 0xb2, 0xc3, 0xd4],
  [0x4d, 0x3c, 0xb2, 0xa1],
  [0xa1, 0xb2, 0x3c, 0x4d],
];
const FILE_HEADER = 24;
const RECORD_HEADER = 16;
/**
 * Wireshark's largest "standard" packet (WTAP_MAX_PACKET_SIZE_STANDARD). Wireshark rejects a caplen
 * above its per-encapsulation maximum (262144 for Ethernet) whatever the snaplen; we accept up to
 * max(snaplen, 262144), capped by `maxRecordBytes`, so captures that declare a larger snaplen
 * (jumbo frames, USB) still read, and treat anything larger as corrupt without allocating for it.
 * A caplen above the snaplen but within the limit is accepted (some writers set snaplen too small).
 */
export const PCAP_MAX_STANDARD_CAPLEN = 262144;

/**
 * A record's capture time, `BigInt(sec) * 10^9n + BigInt(subNs)`, made as one bigint from its two 32-bit
 * halves ({@link bigintFromWide}) computed in doubles: the bigint arithmetic it replaces made two per record.
 *
 * Exact for 0 ≤ sec < 2^32 (the u32 field) and 0 ≤ subNs < 2^42 (a ns field, or a µs field × 1000, either
 * up to 2^32 − 1 even when malformed): with 10^9 = 1953125 · 2^9, a = sec · 1953125 < 2^53 is an exact
 * double, split as a = aHi · 2^23 + aLo; then v = aHi · 2^32 + (aLo · 2^9 + subNs), whose second term
 * (< 2^43) carries into the high half by an exact division by 2^32. v < 2^63, so the signed read is v.
 */
export function pcapTimeNs(sec: number, subNs: number): bigint {
  const a = sec * 1953125;
  const aHi = Math.floor(a / 8388608);
  return bigintFromWide(aHi, (a - aHi * 8388608) * 512 + subNs);
}

/** Streaming pcap reader (both magics, both byte orders). */
export class PcapReader extends BaseCaptureReader {
  readonly format = 'pcap' as const;
  private le = true;
  private nanos = false;
  private linkType = 0;
  private maxCapLen = PCAP_MAX_STANDARD_CAPLEN;

  constructor(options?: CaptureReaderOptions) {
    super(options);
  }

  protected step(): CaptureRecord | undefined {
    if (this.info === undefined) return this.readFileHeader();
    const q = this.queue;
    if (!q.ensure(RECORD_HEADER)) return undefined;
    const at = q.offset;
    let b = q.buf;
    let o = q.off;
    const le = this.le;
    const sec = readU32(b, o, le);
    const frac = readU32(b, o + 4, le);
    const capLen = readU32(b, o + 8, le);
    const origLen = readU32(b, o + 12, le);
    if (capLen > this.maxCapLen) {
      throw new CaptureFormatError(
        at,
        'pcap record',
        `caplen ${capLen} exceeds the maximum ${this.maxCapLen} (snaplen ${this.info.snapLen})`,
      );
    }
    const total = RECORD_HEADER + capLen;
    if (!q.ensure(total)) return undefined;
    b = q.buf;
    o = q.off;
    const tsNs = pcapTimeNs(sec, this.nanos ? frac : frac * 1000);
    const data = b.subarray(o + RECORD_HEADER, o + total);
    q.skip(total);
    return this.packet(0, 0, this.linkType, tsNs, origLen, data, at, undefined);
  }

  protected truncation(): CaptureFormatError {
    const q = this.queue;
    if (this.info === undefined) return new CaptureTruncatedError(0, 'pcap file header', q.available, FILE_HEADER);
    if (q.available < RECORD_HEADER) {
      return new CaptureTruncatedError(q.offset, 'pcap record', q.available, undefined);
    }
    q.ensure(RECORD_HEADER);
    const capLen = readU32(q.buf, q.off + 8, this.le);
    return new CaptureTruncatedError(q.offset, 'pcap record', q.available, RECORD_HEADER + capLen);
  }

  private readFileHeader(): CaptureRecord | undefined {
    const q = this.queue;
    if (!q.ensure(4)) {
      // Fewer than 4 bytes so far: reject at once unless they can still start a pcap magic.
      const n = q.available;
      if (n > 0 && q.ensure(n) && !MAGIC_BYTES.some((m) => m.every((v, i) => i >= n || q.buf[q.off + i] === v))) {
        throw new CaptureFormatError(0, 'pcap file header', 'does not start with a pcap magic');
      }
      return undefined;
    }
    const magicLE = readU32(q.buf, q.off, true);
    if (magicLE === PCAP_MAGIC_US || magicLE === PCAP_MAGIC_NS) {
      this.le = true;
    } else {
      const magicBE = readU32(q.buf, q.off, false);
      if (magicBE !== PCAP_MAGIC_US && magicBE !== PCAP_MAGIC_NS) {
        throw new CaptureFormatError(0, 'pcap file header', `magic ${hex32(magicBE)} is not a pcap magic`);
      }
      this.le = false;
    }
    if (!q.ensure(FILE_HEADER)) return undefined;
    const b = q.buf;
    const o = q.off;
    const le = this.le;
    this.nanos = readU32(b, o, le) === PCAP_MAGIC_NS;
    const versionMajor = readU16(b, o + 4, le);
    const versionMinor = readU16(b, o + 6, le);
    const snapLen = readU32(b, o + 16, le);
    const linkField = readU32(b, o + 20, le);
    this.linkType = linkField & 0xffff;
    this.maxCapLen = Math.min(Math.max(snapLen, PCAP_MAX_STANDARD_CAPLEN), this.maxRecordBytes - RECORD_HEADER);
    q.skip(FILE_HEADER);
    const section: SectionRecord = {
      kind: 'section',
      sectionIndex: 0,
      byteOrder: le ? 'le' : 'be',
      versionMajor,
      versionMinor,
      sectionLength: -1n,
      byteOffset: 0,
    };
    const iface: InterfaceRecord = {
      kind: 'interface',
      interfaceId: 0,
      sectionIndex: 0,
      linkType: this.linkType,
      linkTypeSupported: isLinkTypeSupported(this.linkType),
      snapLen,
      tsResolution: { base: 10, exponent: this.nanos ? 9 : 6 },
      tsOffsetSec: 0n,
      fcsLen: linkField & 0x10000000 ? ((linkField >>> 29) & 7) * 2 : undefined,
      byteOffset: 0,
    };
    this.info = {
      format: 'pcap',
      byteOrder: section.byteOrder,
      tsPrecision: this.nanos ? 'ns' : 'us',
      versionMajor,
      versionMinor,
      snapLen,
      linkTypes: [this.linkType],
      linkTypeSupported: iface.linkTypeSupported,
      sections: [section],
      interfaces: [iface],
      sectionCount: 1,
      interfaceCount: 1,
      packetCount: 0,
    };
    return iface;
  }
}
