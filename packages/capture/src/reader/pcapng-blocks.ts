import { ByteCursor, type ByteOrder } from '../bytes/byte-cursor.js';
import { CaptureFormatError } from '../bytes/capture-errors.js';
import { decodeUtf8 } from '../bytes/utf8.js';
import type { InterfaceRecord, SectionRecord, TsResolution } from './capture-records.js';
import { bigintFromWide } from '../bytes/int64-halves.js';

/*
 * Options (pcapng §3.5): a list of TLVs, each padded to 32 bits, ended by opt_endofopt or by the
 * end of the block body:
 *   0 option code u16 | 2 option length u16 | 4 value[length] | pad to 4
 * Codes used here: 0 opt_endofopt, 1 opt_comment (all blocks); SHB 2 shb_hardware, 3 shb_os,
 * 4 shb_userappl; IDB 2 if_name, 3 if_description, 9 if_tsresol, 13 if_fcslen, 14 if_tsoffset.
 */

const OPT_END = 0;
const OPT_COMMENT = 1;

const cursor = new ByteCursor();

/** Calls `onOption(code, valueStart, valueLength)` for each option in `b[from, to)`. */
function forEachOption(
  b: Uint8Array,
  blockStart: number,
  from: number,
  to: number,
  le: boolean,
  at: number,
  what: string,
  onOption: (code: number, start: number, length: number) => void,
): void {
  const c = cursor.reset(b, blockStart + from, blockStart + to, le ? 'le' : 'be', at + from, what);
  while (c.remaining >= 4) {
    const optAt = c.absoluteOffset;
    const code = c.u16();
    const len = c.u16();
    if (code === OPT_END) return;
    const padded = (len + 3) & ~3;
    if (padded > c.remaining) {
      throw new CaptureFormatError(optAt, what, `option ${code} length ${len} overruns the block`);
    }
    const start = c.index;
    c.skip(padded);
    onOption(code, start, len);
  }
}

function appendText(prev: string | undefined, next: string): string {
  return prev === undefined ? next : `${prev}\n${next}`;
}

/** Options of a packet block the readers keep (reused between packets). */
export interface PacketOptions {
  comment: string | undefined;
  flags: number | undefined;
  dropCount: number | undefined;
}

/**
 * Reads EPB/OPB options into `out`: opt_comment (1, joined by newlines), epb_flags / pack_flags
 * (2, u32) and epb_dropcount (4, u64; saturates at Number.MAX_SAFE_INTEGER).
 */
export function readPacketOptions(
  b: Uint8Array,
  blockStart: number,
  from: number,
  to: number,
  le: boolean,
  at: number,
  what: string,
  out: PacketOptions,
): PacketOptions {
  out.comment = undefined;
  out.flags = undefined;
  out.dropCount = undefined;
  forEachOption(b, blockStart, from, to, le, at, what, (code, start, len) => {
    if (code === OPT_COMMENT) out.comment = appendText(out.comment, decodeUtf8(b, start, start + len));
    else if (code === 2 && len >= 4) out.flags = new ByteCursor(b, le ? 'le' : 'be').skipTo(start).u32();
    else if (code === 4 && len >= 8) {
      const v = new ByteCursor(b, le ? 'le' : 'be').skipTo(start).u64();
      out.dropCount = v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
    }
  });
  return out;
}

/*
 * Section Header Block (type 0x0A0D0D0A):
 *   8 byte-order magic u32 | 12 major u16 (1) | 14 minor u16 | 16 section length i64 (-1: unknown)
 *  24 options | trailing length
 */
export function parseSectionHeader(
  b: Uint8Array,
  o: number,
  length: number,
  order: ByteOrder,
  at: number,
  sectionIndex: number,
): SectionRecord {
  const what = 'pcapng section header block';
  if (length < 28) throw new CaptureFormatError(at, what, `length ${length} is less than 28`);
  const c = new ByteCursor().reset(b, o + 12, o + length, order, at + 12, what);
  const versionMajor = c.u16();
  const versionMinor = c.u16();
  const sectionLength = c.i64();
  if (versionMajor !== 1) {
    throw new CaptureFormatError(at + 12, what, `version ${versionMajor}.${versionMinor} is not supported`);
  }
  const section: SectionRecord = {
    kind: 'section',
    sectionIndex,
    byteOrder: order,
    versionMajor,
    versionMinor,
    sectionLength,
    byteOffset: at,
  };
  forEachOption(b, o, 24, length - 4, order === 'le', at, what, (code, start, len) => {
    const text = decodeUtf8(b, start, start + len);
    if (code === OPT_COMMENT) section.comment = appendText(section.comment, text);
    else if (code === 2) section.hardware = text;
    else if (code === 3) section.os = text;
    else if (code === 4) section.userApplication = text;
  });
  return section;
}

/**
 * Converts an interface's 64-bit timestamps to epoch ns: units of base^-exponent seconds
 * (if_tsresol) plus if_tsoffset seconds. Exact for every resolution of 1 ns or coarser; finer
 * resolutions (10^-k, k > 9, or 2^-k) are truncated toward zero, as Wireshark does.
 */
export class InterfaceClock {
  readonly linkType: number;
  readonly snapLen: number;
  private readonly mulNum: number;
  private readonly mul: bigint;
  private readonly div: bigint;
  private readonly pow2: bigint;
  private readonly offsetNs: bigint;
  /** {@link mulNum} when it is at most 10^6 (ms to ns resolution) and there is no offset, else 0. */
  private readonly fastMul: number;

  constructor(linkType: number, snapLen: number, res: TsResolution, offsetSec: bigint) {
    this.linkType = linkType;
    this.snapLen = snapLen;
    this.offsetNs = offsetSec * 1_000_000_000n;
    this.mulNum = 0;
    this.mul = 0n;
    this.div = 1n;
    this.pow2 = -1n;
    if (res.base === 2) {
      this.pow2 = BigInt(res.exponent);
    } else if (res.exponent <= 9) {
      this.mulNum = 10 ** (9 - res.exponent);
      this.mul = BigInt(this.mulNum);
    } else {
      this.div = 10n ** BigInt(res.exponent - 9);
    }
    this.fastMul = this.mulNum !== 0 && this.mulNum <= 1_000_000 && this.offsetNs === 0n ? this.mulNum : 0;
  }

  /** `hi`/`lo`: the two 32-bit halves of the block's timestamp. */
  toNs(hi: number, lo: number): bigint {
    if (this.fastMul !== 0) {
      // µs and ns (and ms…ns) with no if_tsoffset: the product's halves in doubles, one bigint made where
      // BigInt(v) · mul + offset made three. lo · m and hi · m < 2^52 are exact; lo · m's carry into the high
      // half is below m, so a product that may reach 2^63 − m takes the bigint path below.
      const m = this.fastMul;
      if (hi * m < 0x80000000 - m) return bigintFromWide(hi * m, lo * m);
    }
    if (this.mulNum !== 0 && hi < 0x200000) {
      // hi·2^32 + lo < 2^53: one exact double, one BigInt conversion.
      const v = BigInt(hi * 4294967296 + lo);
      return (this.mulNum === 1 ? v : v * this.mul) + this.offsetNs;
    }
    const ts = (BigInt(hi) << 32n) | BigInt(lo);
    if (this.mulNum !== 0) return ts * this.mul + this.offsetNs;
    if (this.pow2 >= 0n) return ((ts * 1_000_000_000n) >> this.pow2) + this.offsetNs;
    return ts / this.div + this.offsetNs;
  }
}

/*
 * Interface Description Block (type 1):
 *   8 LinkType u16 | 10 reserved u16 | 12 SnapLen u32 | 16 options | trailing length
 * if_tsresol: bit 7 clear → 10^-bits, set → 2^-bits (default 10^-6); if_tsoffset: i64 seconds.
 */
export function parseInterfaceBlock(
  b: Uint8Array,
  o: number,
  length: number,
  order: ByteOrder,
  at: number,
  sectionIndex: number,
  interfaceId: number,
): [InterfaceRecord, InterfaceClock] {
  const what = 'pcapng interface description block';
  if (length < 20) throw new CaptureFormatError(at, what, `length ${length} is less than 20`);
  const c = new ByteCursor().reset(b, o + 8, o + length, order, at + 8, what);
  const linkType = c.u16();
  c.skip(2);
  const snapLen = c.u32();
  const iface: InterfaceRecord = {
    kind: 'interface',
    interfaceId,
    sectionIndex,
    linkType,
    linkTypeSupported: false,
    snapLen,
    tsResolution: { base: 10, exponent: 6 },
    tsOffsetSec: 0n,
    byteOffset: at,
  };
  forEachOption(b, o, 16, length - 4, order === 'le', at, what, (code, start, len) => {
    const oc = new ByteCursor().reset(b, start, start + len, order, at + (start - o), `${what} option ${code}`);
    switch (code) {
      case OPT_COMMENT:
        iface.comment = appendText(iface.comment, decodeUtf8(b, start, start + len));
        break;
      case 2:
        iface.name = decodeUtf8(b, start, start + len);
        break;
      case 3:
        iface.description = decodeUtf8(b, start, start + len);
        break;
      case 9: {
        const v = oc.u8();
        iface.tsResolution = v & 0x80 ? { base: 2, exponent: v & 0x7f } : { base: 10, exponent: v };
        break;
      }
      case 13:
        iface.fcsLen = oc.u8();
        break;
      case 14:
        iface.tsOffsetSec = oc.i64();
        break;
    }
  });
  return [iface, new InterfaceClock(linkType, snapLen, iface.tsResolution, iface.tsOffsetSec)];
}
