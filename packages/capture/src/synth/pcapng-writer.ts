import type { CaptureRecordInput, CaptureWriter } from './capture-writer.js';
import { utf8Encode } from './capture-writer.js';
import { nsHalves, splitEpochNs } from './timestamp.js';

/*
 * pcapng (draft-ietf-opsawg-pcapng §4), written little-endian. Every block:
 *   block type (4) | block total length (4) | body (padded to 32 bits) | block total length (4)
 * Options: code (2) | length (2) | value padded to 32 bits; list ends with opt_endofopt (0, 0).
 *
 *  SHB  0x0A0D0D0A  byte-order magic 1A2B3C4D | major 1 | minor 0 | section length −1 | options
 *       (opt_comment 1, shb_hardware 2, shb_os 3, shb_userappl 4)
 *  IDB  0x00000001  linktype (2) | reserved (2) | snaplen (4) | options (if_name 2, if_tsresol 9 = 9 → ns)
 *  EPB  0x00000006  interface id (4) | ts high (4) | ts low (4) | captured len (4) | original len (4) |
 *                   packet data (padded) | options (opt_comment 1)
 */

export interface PcapngWriterOptions {
  /** LINKTYPE_* of the single interface. Default 1 (Ethernet). */
  linkType?: number;
  snaplen?: number;
  /** SHB comment (e.g. what generated the file). */
  comment?: string;
  /** shb_userappl. Default "l1t". */
  application?: string;
  /** shb_hardware / shb_os, omitted when undefined. */
  hardware?: string;
  os?: string;
  /** if_name of the interface. */
  interfaceName?: string;
  /**
   * Several interfaces (one IDB each, same link type), in interface-id order: name and if_tsresol as a
   * decimal exponent (9 = ns, 6 = µs). Replaces `interfaceName`; records pick one by `interfaceId`.
   */
  interfaces?: readonly { name: string; tsresol: number }[];
}

const EPB_HEADER = 28;

/**
 * The 64-bit count of units of `div` ns (an interface coarser than 1 ns, e.g. 1000 for µs) since the
 * epoch as two 32-bit halves, truncated; exact with doubles while sec·10^9/div < 2^53.
 */
function unitHalves(sec: number, nsec: number, div: number, out: { high: number; low: number }): void {
  const units = sec * (1e9 / div) + Math.floor(nsec / div);
  out.high = Math.floor(units / 4294967296);
  out.low = units - out.high * 4294967296;
}

function optionsLength(values: readonly (Uint8Array | undefined)[]): number {
  let n = 0;
  for (const v of values) if (v) n += 4 + ((v.length + 3) & ~3);
  return n > 0 ? n + 4 : 0;
}

function writeOption(buf: Uint8Array, view: DataView, off: number, code: number, value: Uint8Array): number {
  view.setUint16(off, code, true);
  view.setUint16(off + 2, value.length, true);
  buf.set(value, off + 4);
  const padded = (value.length + 3) & ~3;
  buf.fill(0, off + 4 + value.length, off + 4 + padded);
  return off + 4 + padded;
}

function writeEndOfOptions(view: DataView, off: number): number {
  view.setUint32(off, 0, true);
  return off + 4;
}

/**
 * A streaming pcapng writer: one section, one interface with nanosecond resolution (if_tsresol = 9) or
 * several (`interfaces`, each with its own decimal if_tsresol), Enhanced Packet Blocks with optional
 * per-packet comments. An EPB timestamp counts units of its interface's resolution (§4.3).
 */
export function createPcapngWriter(options: PcapngWriterOptions = {}): CaptureWriter {
  const linkType = options.linkType ?? 1;
  const snaplen = options.snaplen ?? 262144;
  const halves = { high: 0, low: 0 };
  const ifaces = options.interfaces ?? [{ name: options.interfaceName, tsresol: 9 }];
  for (const i of ifaces)
    if (!Number.isInteger(i.tsresol) || i.tsresol < 0 || i.tsresol > 9)
      throw new RangeError('pcapng if_tsresol must be a decimal exponent 0..9');
  const divisors = ifaces.map((i) => 10 ** (9 - i.tsresol));

  const header = (): Uint8Array => {
    const enc = (s: string | undefined): Uint8Array | undefined => (s === undefined ? undefined : utf8Encode(s));
    const shbOpts: [number, Uint8Array | undefined][] = [
      [1, enc(options.comment)],
      [2, enc(options.hardware)],
      [3, enc(options.os)],
      [4, enc(options.application ?? 'l1t')],
    ];
    const shbLen = 28 + optionsLength(shbOpts.map((o) => o[1]));
    const idbs = ifaces.map((iface) => {
      const opts: [number, Uint8Array | undefined][] = [
        [2, enc(iface.name)],
        [9, Uint8Array.of(iface.tsresol)],
      ];
      return { opts, len: 20 + optionsLength(opts.map((o) => o[1])) };
    });
    const idbLen = idbs.reduce((n, b) => n + b.len, 0);
    const out = new Uint8Array(shbLen + idbLen);
    const v = new DataView(out.buffer);
    v.setUint32(0, 0x0a0d0d0a, true);
    v.setUint32(4, shbLen, true);
    v.setUint32(8, 0x1a2b3c4d, true);
    v.setUint16(12, 1, true);
    v.setUint16(14, 0, true);
    v.setInt32(16, -1, true);
    v.setInt32(20, -1, true);
    let o = 24;
    for (const [code, val] of shbOpts) if (val) o = writeOption(out, v, o, code, val);
    if (o > 24) o = writeEndOfOptions(v, o);
    v.setUint32(o, shbLen, true);
    o += 4;
    for (const { opts, len } of idbs) {
      const idb = o;
      v.setUint32(idb, 1, true);
      v.setUint32(idb + 4, len, true);
      v.setUint16(idb + 8, linkType, true);
      v.setUint16(idb + 10, 0, true);
      v.setUint32(idb + 12, snaplen, true);
      o = idb + 16;
      for (const [code, val] of opts) if (val) o = writeOption(out, v, o, code, val);
      o = writeEndOfOptions(v, o);
      v.setUint32(o, len, true);
      o += 4;
    }
    return out;
  };

  const finishRecord = (
    buf: Uint8Array,
    view: DataView,
    offset: number,
    frameLength: number,
    sec: number,
    nsec: number,
    comment?: Uint8Array,
    originalLength?: number,
    interfaceId = 0,
  ): number => {
    const padded = (frameLength + 3) & ~3;
    let o = offset + EPB_HEADER + frameLength;
    buf.fill(0, o, offset + EPB_HEADER + padded);
    o = offset + EPB_HEADER + padded;
    if (comment && comment.length > 0) {
      o = writeOption(buf, view, o, 1, comment);
      o = writeEndOfOptions(view, o);
    }
    const total = o + 4 - offset;
    const div = divisors[interfaceId] ?? 1;
    if (div === 1) nsHalves(sec, nsec, halves);
    else unitHalves(sec, nsec, div, halves);
    view.setUint32(offset, 6, true);
    view.setUint32(offset + 4, total, true);
    view.setUint32(offset + 8, interfaceId, true);
    view.setUint32(offset + 12, halves.high, true);
    view.setUint32(offset + 16, halves.low, true);
    view.setUint32(offset + 20, frameLength, true);
    view.setUint32(offset + 24, originalLength ?? frameLength, true);
    view.setUint32(o, total, true);
    return total;
  };

  return {
    format: 'pcapng',
    recordHeaderLength: EPB_HEADER,
    header,
    maxRecordLength(frameLength: number, commentBytes = 0): number {
      return EPB_HEADER + ((frameLength + 3) & ~3) + (commentBytes > 0 ? 8 + ((commentBytes + 3) & ~3) : 0) + 4;
    },
    finishRecord,
    record(rec: CaptureRecordInput): Uint8Array {
      const comment = rec.comment === undefined ? undefined : utf8Encode(rec.comment);
      const out = new Uint8Array(
        EPB_HEADER + ((rec.data.length + 3) & ~3) + (comment ? 8 + ((comment.length + 3) & ~3) : 0) + 4,
      );
      out.set(rec.data, EPB_HEADER);
      const { sec, nsec } = splitEpochNs(rec.timestampNs);
      const n = finishRecord(
        out,
        new DataView(out.buffer),
        0,
        rec.data.length,
        sec,
        nsec,
        comment,
        rec.originalLength,
        rec.interfaceId,
      );
      return n === out.length ? out : out.subarray(0, n);
    },
  };
}
