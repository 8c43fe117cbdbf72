import { readU16, readU32, type ByteOrder } from '../bytes/byte-cursor.js';
import { CaptureFormatError, CaptureTruncatedError, hex32 } from '../bytes/capture-errors.js';
import { isLinkTypeSupported } from '../layers/link-types.js';
import { BaseCaptureReader } from './base-reader.js';
import {
  MAX_INFO_ENTRIES,
  MAX_INTERFACES_PER_SECTION,
  type CaptureReaderOptions,
  type CaptureRecord,
  type InterfaceRecord,
  type SectionRecord,
} from './capture-records.js';
import {
  parseInterfaceBlock,
  parseSectionHeader,
  readPacketOptions,
  type InterfaceClock,
  type PacketOptions,
} from './pcapng-blocks.js';

/*
 * pcapng (draft-ietf-opsawg-pcapng §3.1): every block is
 *
 *   0 block type u32 | 4 block total length u32 | 8 body … | total-4 block total length u32
 *
 * in the byte order of its section. The length counts the whole block, is a multiple of 4 and at
 * least 12. A Section Header Block (type 0x0A0D0D0A, a palindrome) starts each section; its
 * Byte-Order Magic 0x1A2B3C4D at offset 8 gives the section's byte order, which may differ from the
 * previous section's.
 */

export const PCAPNG_SHB = 0x0a0d0d0a;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const SHB_BYTES = [0x0a, 0x0d, 0x0d, 0x0a];
const IDB = 0x00000001;
const OPB = 0x00000002;
const SPB = 0x00000003;
const EPB = 0x00000006;

const BLOCK_NAMES: Record<number, string> = {
  0x00000004: 'name_resolution',
  0x00000005: 'interface_statistics',
  0x00000007: 'irig_timestamp',
  0x00000008: 'arinc_429',
  0x00000009: 'systemd_journal_export',
  0x0000000a: 'decryption_secrets',
  0x00000bad: 'custom',
  0x40000bad: 'custom',
};

/** Names a block in error messages (built only when an error is thrown). */
function blockWhat(type: number): string {
  return `pcapng block ${hex32(type)}`;
}

/** Streaming pcapng reader: sections in either byte order, IDB, EPB, SPB, OPB; others as unknown. */
export class PcapngReader extends BaseCaptureReader {
  readonly format = 'pcapng' as const;
  private le = true;
  private sectionIndex = -1;
  private clocks: InterfaceClock[] = [];
  private readonly options: PacketOptions = { comment: undefined, flags: undefined, dropCount: undefined };

  constructor(options?: CaptureReaderOptions) {
    super(options);
  }

  protected step(): CaptureRecord | undefined {
    const q = this.queue;
    if (this.info === undefined) {
      // The file must open with a Section Header Block: check the bytes present so far.
      const n = Math.min(4, q.available);
      if (n > 0 && q.ensure(n)) {
        for (let i = 0; i < n; i++) {
          if (q.buf[q.off + i] !== SHB_BYTES[i]) {
            throw new CaptureFormatError(0, 'pcapng file', 'does not start with a section header block');
          }
        }
      }
    }
    if (!q.ensure(8)) return undefined;
    const at = q.offset;
    const type = readU32(q.buf, q.off, this.le);
    let le = this.le;
    if (type === PCAPNG_SHB) {
      if (!q.ensure(12)) return undefined;
      const bom = readU32(q.buf, q.off + 8, true);
      if (bom === PCAPNG_BYTE_ORDER_MAGIC) le = true;
      else if (bom === 0x4d3c2b1a) le = false;
      else {
        throw new CaptureFormatError(at + 8, 'pcapng section header block', `byte-order magic ${hex32(bom)} is wrong`);
      }
    }
    const length = readU32(q.buf, q.off + 4, le);
    if (length < 12) throw new CaptureFormatError(at, blockWhat(type), `length ${length} is less than 12`);
    if (length % 4 !== 0) throw new CaptureFormatError(at, blockWhat(type), `length ${length} is not a multiple of 4`);
    if (length > this.maxRecordBytes) {
      throw new CaptureFormatError(at, blockWhat(type), `length ${length} exceeds the maximum ${this.maxRecordBytes}`);
    }
    if (!q.ensure(length)) return undefined;
    const b = q.buf;
    const o = q.off;
    const trailing = readU32(b, o + length - 4, le);
    if (trailing !== length) {
      throw new CaptureFormatError(at, blockWhat(type), `trailing length ${trailing} does not match length ${length}`);
    }
    let rec: CaptureRecord;
    switch (type) {
      case PCAPNG_SHB:
        rec = this.onSection(b, o, length, le, at);
        break;
      case EPB:
      case OPB:
        rec = this.onPacket(type, b, o, length, at);
        break;
      case SPB:
        rec = this.onSimplePacket(b, o, length, at);
        break;
      case IDB:
        rec = this.onInterface(b, o, length, at);
        break;
      default:
        rec = { kind: 'unknown', blockType: type, blockName: BLOCK_NAMES[type] ?? 'unknown', byteOffset: at, length };
    }
    q.skip(length);
    return rec;
  }

  protected truncation(): CaptureFormatError {
    const q = this.queue;
    if (q.available < 12) {
      return new CaptureTruncatedError(
        q.offset,
        this.info ? 'pcapng block' : 'pcapng section header block',
        q.available,
      );
    }
    q.ensure(12);
    const type = readU32(q.buf, q.off, this.le);
    let le = this.le;
    if (type === PCAPNG_SHB) le = readU32(q.buf, q.off + 8, true) === PCAPNG_BYTE_ORDER_MAGIC;
    const length = readU32(q.buf, q.off + 4, le);
    return new CaptureTruncatedError(q.offset, blockWhat(type), q.available, length);
  }

  private onSection(b: Uint8Array, o: number, length: number, le: boolean, at: number): SectionRecord {
    const order: ByteOrder = le ? 'le' : 'be';
    const section = parseSectionHeader(b, o, length, order, at, this.sectionIndex + 1);
    this.le = le;
    this.sectionIndex++;
    this.clocks = [];
    if (this.info === undefined) {
      this.info = {
        format: 'pcapng',
        byteOrder: order,
        versionMajor: section.versionMajor,
        versionMinor: section.versionMinor,
        snapLen: 0,
        linkTypes: [],
        linkTypeSupported: true,
        sections: [],
        interfaces: [],
        sectionCount: 0,
        interfaceCount: 0,
        packetCount: 0,
      };
    }
    if (this.info.sections.length < MAX_INFO_ENTRIES) this.info.sections.push(section);
    this.info.sectionCount++;
    return section;
  }

  private onInterface(b: Uint8Array, o: number, length: number, at: number): InterfaceRecord {
    if (this.clocks.length >= MAX_INTERFACES_PER_SECTION) {
      throw new CaptureFormatError(
        at,
        'pcapng interface description block',
        `is interface ${this.clocks.length + 1} of one section (limit ${MAX_INTERFACES_PER_SECTION})`,
      );
    }
    const [iface, clock] = parseInterfaceBlock(
      b,
      o,
      length,
      this.le ? 'le' : 'be',
      at,
      this.sectionIndex,
      this.clocks.length,
    );
    iface.linkTypeSupported = isLinkTypeSupported(iface.linkType);
    this.clocks.push(clock);
    const info = this.info!;
    if (info.interfaceCount === 0) info.snapLen = iface.snapLen;
    if (info.interfaces.length < MAX_INFO_ENTRIES) info.interfaces.push(iface);
    info.interfaceCount++;
    if (!info.linkTypes.includes(iface.linkType)) info.linkTypes.push(iface.linkType);
    if (!iface.linkTypeSupported) info.linkTypeSupported = false;
    return iface;
  }

  /*
   * EPB (type 6)                          OPB (type 2, obsolete)
   *  8 interface id u32                    8 interface id u16 | 10 drops count u16
   * 12 timestamp high u32 | 16 low u32    (same)
   * 20 captured length | 24 original length, 28 data padded to 4, options, trailing length
   */
  private onPacket(type: number, b: Uint8Array, o: number, length: number, at: number): CaptureRecord {
    const le = this.le;
    const what = type === EPB ? 'pcapng enhanced packet block' : 'pcapng packet block';
    if (length < 32) throw new CaptureFormatError(at, what, `length ${length} is less than 32`);
    const ifId = type === EPB ? readU32(b, o + 8, le) : readU16(b, o + 8, le);
    const clock = this.clocks[ifId];
    if (clock === undefined) {
      throw new CaptureFormatError(at, what, `interface id ${ifId} has no interface description block`);
    }
    const hi = readU32(b, o + 12, le);
    const lo = readU32(b, o + 16, le);
    const capLen = readU32(b, o + 20, le);
    const origLen = readU32(b, o + 24, le);
    if (capLen > length - 32) {
      throw new CaptureFormatError(at, what, `captured length ${capLen} does not fit in block length ${length}`);
    }
    const data = b.subarray(o + 28, o + 28 + capLen);
    const optStart = 28 + ((capLen + 3) & ~3);
    if (optStart >= length - 4) {
      const rec = this.packet(
        ifId,
        this.sectionIndex,
        clock.linkType,
        clock.toNs(hi, lo),
        origLen,
        data,
        at,
        undefined,
      );
      if (type === OPB) rec.dropCount = readU16(b, o + 10, le);
      return rec;
    }
    const opts = readPacketOptions(b, o, optStart, length - 4, le, at, what, this.options);
    const rec = this.packet(
      ifId,
      this.sectionIndex,
      clock.linkType,
      clock.toNs(hi, lo),
      origLen,
      data,
      at,
      opts.comment,
    );
    rec.flags = opts.flags;
    rec.dropCount = type === OPB ? readU16(b, o + 10, le) : opts.dropCount;
    return rec;
  }

  /* SPB (type 3): 8 original length u32, 12 data (snaplen of interface 0 applies), trailing length */
  private onSimplePacket(b: Uint8Array, o: number, length: number, at: number): CaptureRecord {
    const what = 'pcapng simple packet block';
    if (length < 16) throw new CaptureFormatError(at, what, `length ${length} is less than 16`);
    const clock = this.clocks[0];
    if (clock === undefined) throw new CaptureFormatError(at, what, 'comes before any interface description block');
    const origLen = readU32(b, o + 8, this.le);
    let capLen = Math.min(origLen, length - 16);
    if (clock.snapLen > 0) capLen = Math.min(capLen, clock.snapLen);
    const data = b.subarray(o + 12, o + 12 + capLen);
    return this.packet(0, this.sectionIndex, clock.linkType, 0n, origLen, data, at, undefined);
  }
}
