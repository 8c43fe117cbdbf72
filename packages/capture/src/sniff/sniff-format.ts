import { dlfShapedItemAt } from '../diag/isf-scanner.js';
import { readU16, readU32 } from '../bytes/byte-cursor.js';
import { linkTypeName } from '../layers/link-types.js';
import { HDLC_FLAG, hdlcFrameVerifies } from './crc16-x25.js';

export type SniffedFormat = 'pcap' | 'pcapng' | 'diag_hdlc' | 'qmdl2' | 'dlf' | 'isf' | 'text' | 'unknown';

export interface SniffResult {
  format: SniffedFormat;
  /** One human line saying why, e.g. `pcap, little-endian, µs timestamps, link type 1 (ETHERNET)`. */
  detail: string;
}

/** How much of the file head {@link sniffFormat} wants to see (it works with less). */
export const SNIFF_HEAD_BYTES = 64 * 1024;

const HDLC_FRAMES_CHECKED = 8;

/**
 * Recognises a capture or log format from the first bytes of a file (content, not name):
 * pcap (µs a1b2c3d4 / ns a1b23c4d, either byte order), pcapng (SHB 0a0d0d0a + byte-order magic),
 * a Qualcomm DIAG HDLC stream (.qmdl/.mi2log: 0x7E-terminated frames whose CRC-16/X.25 verifies),
 * .qmdl2 (QShrink header then the DIAG stream), .dlf (bare DIAG log records tiling the head),
 * text (printable UTF-8), else unknown. Pass about {@link SNIFF_HEAD_BYTES}; less works for small files.
 */
export function sniffFormat(head: Uint8Array): SniffResult {
  if (head.length === 0) return { format: 'unknown', detail: 'empty input' };
  return (
    sniffPcap(head) ??
    sniffPcapng(head) ??
    sniffQmdl2(head) ??
    sniffHdlc(head) ??
    sniffText(head) ??
    sniffDlf(head) ??
    sniffIsf(head) ?? {
      format: 'unknown',
      detail: `no known signature; first bytes ${hexHead(head)}`,
    }
  );
}

function hexHead(head: Uint8Array): string {
  return Array.from(head.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
}

/* pcap file header: magic, version, thiszone, sigfigs, snaplen, linktype (see reader/pcap-reader.ts) */
function sniffPcap(h: Uint8Array): SniffResult | undefined {
  if (h.length < 4) return undefined;
  for (const le of [true, false]) {
    const m = readU32(h, 0, le);
    if (m !== 0xa1b2c3d4 && m !== 0xa1b23c4d) continue;
    let detail = `pcap, ${le ? 'little' : 'big'}-endian, ${m === 0xa1b23c4d ? 'ns' : 'µs'} timestamps`;
    if (h.length >= 24) {
      const lt = readU32(h, 20, le) & 0xffff;
      detail += `, version ${readU16(h, 4, le)}.${readU16(h, 6, le)}, snaplen ${readU32(h, 16, le)}, link type ${lt} (${linkTypeName(lt)})`;
    }
    return { format: 'pcap', detail };
  }
  return undefined;
}

/* pcapng: Section Header Block type 0x0A0D0D0A, byte-order magic 0x1A2B3C4D at offset 8 */
function sniffPcapng(h: Uint8Array): SniffResult | undefined {
  if (h.length < 12 || readU32(h, 0, true) !== 0x0a0d0d0a) return undefined;
  const bom = readU32(h, 8, true);
  if (bom !== 0x1a2b3c4d && bom !== 0x4d3c2b1a) return undefined;
  const le = bom === 0x1a2b3c4d;
  const version = h.length >= 16 ? `, version ${readU16(h, 12, le)}.${readU16(h, 14, le)}` : '';
  return { format: 'pcapng', detail: `pcapng, ${le ? 'little' : 'big'}-endian first section${version}` };
}

/** Counts complete 0x7E-terminated frames in `h[from..]` and how many verify. */
function checkHdlc(h: Uint8Array, from: number, maxFrames: number): { frames: number; valid: number } {
  let frames = 0;
  let valid = 0;
  let start = from;
  for (let i = from; i < h.length && frames < maxFrames; i++) {
    if (h[i] !== HDLC_FLAG) continue;
    if (i > start) {
      frames++;
      if (hdlcFrameVerifies(h, start, i)) valid++;
    }
    start = i + 1;
  }
  return { frames, valid };
}

/*
 * Qualcomm DIAG HDLC stream: each frame is escape(payload · CRC16 LE) · 0x7E. A file may start in
 * the middle of a frame, so a bad first frame is tolerated: at least half the checked frames (and
 * at least 2, or the only one of a tiny file) must verify.
 */
function sniffHdlc(h: Uint8Array): SniffResult | undefined {
  const unframed = countUnframedDiag(h);
  if (unframed > 0) {
    return {
      format: 'diag_hdlc',
      detail: `Qualcomm DIAG stream, non-HDLC framing (0x7E 0x01 length): ${unframed} frames`,
    };
  }
  const { frames, valid } = checkHdlc(h, 0, HDLC_FRAMES_CHECKED);
  if (frames === 0 || valid === 0 || valid * 2 < frames || (valid < 2 && frames > 1)) return undefined;
  return {
    format: 'diag_hdlc',
    detail: `Qualcomm DIAG HDLC stream: ${valid} of ${frames} frames verify (CRC-16/X.25)`,
  };
}

/*
 * The non-HDLC DIAG variant some devices emit: 0x7E | 0x01 | length u16 LE | payload | 0x7E, no
 * escaping and no CRC. Returns how many frames chain from offset 0 (the closing 0x7E may also open
 * the next frame), or 0 unless at least 2 chain (or 1 exactly fills a small head).
 */
function countUnframedDiag(h: Uint8Array): number {
  let off = 0;
  let frames = 0;
  while (frames < HDLC_FRAMES_CHECKED && off + 4 <= h.length && h[off] === HDLC_FLAG && h[off + 1] === 0x01) {
    const len = readU16(h, off + 2, true);
    const close = off + 4 + len;
    if (len === 0 || close >= h.length || h[close] !== HDLC_FLAG) break;
    frames++;
    off = h[close + 1] === 0x01 ? close : close + 1;
  }
  return frames >= 2 || (frames === 1 && off >= h.length - 1) ? frames : 0;
}

/*
 * .qmdl2 (QShrink4 container, little-endian): 0 header_length u32 | 4 version u8 | 5 hdlc_data_type u8
 * (1: HDLC-framed, 0: not) | 6 guid_count u32 | 10 guid_count × 16-byte GUIDs | (v2: per-GUID data)
 * then the DIAG stream from header_length on.
 */
function sniffQmdl2(h: Uint8Array): SniffResult | undefined {
  if (h.length < 10) return undefined;
  const headerLength = readU32(h, 0, true);
  const version = h[4]!;
  const hdlcType = h[5]!;
  const guids = readU32(h, 6, true);
  if (headerLength < 10 || headerLength > 1 << 20 || version < 1 || version > 4 || hdlcType > 1) return undefined;
  if (guids > 4096 || 10 + guids * 16 > headerLength) return undefined;
  let stream = 'stream not in the sniffed head';
  if (h.length > headerLength + 3) {
    if (hdlcType === 1) {
      const { frames, valid } = checkHdlc(h, headerLength, HDLC_FRAMES_CHECKED);
      if (frames > 0 && valid * 2 < frames) return undefined;
      stream = frames > 0 ? `${valid} of ${frames} HDLC frames verify` : 'no complete HDLC frame in the sniffed head';
    } else {
      stream = 'unframed DIAG stream';
    }
  }
  return {
    format: 'qmdl2',
    detail: `qmdl2 version ${version}, header ${headerLength} bytes, ${guids} GUIDs, ${hdlcType === 1 ? 'HDLC' : 'no HDLC'}; ${stream}`,
  };
}

/*
 * .dlf: back-to-back DIAG log records, little-endian: 0 length u16 (= 12 + body) | 2 log code u16 |
 * 4 timestamp u64 (upper 48 bits: 1.25 ms ticks since 1980-01-06) | 12 body. Recognised when the
 * lengths tile the head exactly for at least 3 records (2 when the whole small file is seen) and
 * every timestamp is below 2^42 ticks (before ~2150).
 */
function sniffDlf(h: Uint8Array): SniffResult | undefined {
  let off = 0;
  let records = 0;
  let first = -1;
  while (off + 12 <= h.length) {
    const len = readU16(h, off, true);
    if (len < 12) return undefined;
    // ticks = ts >> 16 must stay below 2^42 (~174 years of 1.25 ms ticks): bits 58..63 clear.
    const tsHigh = readU32(h, off + 8, true); // bits 32..63 of the timestamp
    if (tsHigh >= 1 << 26) return undefined;
    if (first < 0) first = readU16(h, off + 2, true);
    if (off + len > h.length) break; // last record continues past the head
    off += len;
    records++;
  }
  const tiled = off === h.length;
  if (records < 3 && !(tiled && records >= 2)) return undefined;
  return {
    format: 'dlf',
    detail: `DLF log records: ${records} records tile the head, first log code 0x${first.toString(16).padStart(4, '0')}`,
  };
}

/*
 * .isf (QXDM Item Store Format, closed): DLF items with extra per-item data between them (diag/isf-scanner.ts).
 * Recognised when a scan of the head takes at least 3 plausible DLF-shaped items covering half of the bytes
 * scanned — wrappers are small beside the items; random bytes give none.
 */
function sniffIsf(h: Uint8Array): SniffResult | undefined {
  let off = 0;
  let items = 0;
  let covered = 0;
  while (off + 12 <= h.length) {
    const len = dlfShapedItemAt(h, off, h.length - off);
    if (len > 0) {
      items++;
      covered += len;
      off += len;
    } else off++;
  }
  if (items < 3 || covered * 2 < off) return undefined;
  return {
    format: 'isf',
    detail: `QXDM .isf (closed format): ${items} DLF-shaped log items found by scanning the head (${Math.round((100 * covered) / Math.max(1, off))} % of its bytes)`,
  };
}

/* Text: valid UTF-8 (a sequence cut by the head's end is fine), no NUL, ≥ 95 % printable. */
function sniffText(h: Uint8Array): SniffResult | undefined {
  let printable = 0;
  let chars = 0;
  let i = h[0] === 0xef && h[1] === 0xbb && h[2] === 0xbf ? 3 : 0;
  while (i < h.length) {
    const b = h[i]!;
    let n = 1;
    if (b === 0) return undefined;
    if (b < 0x80) {
      if (b >= 0x20 || b === 0x09 || b === 0x0a || b === 0x0d || b === 0x0c) printable++;
      if (b === 0x7f) printable--;
    } else {
      n = b >= 0xf0 && b < 0xf5 ? 4 : b >= 0xe0 ? 3 : b >= 0xc2 && b < 0xe0 ? 2 : 0;
      if (n === 0 || b >= 0xf5) return undefined;
      for (let k = 1; k < n; k++) {
        if (i + k >= h.length) break; // cut by the head's end
        if ((h[i + k]! & 0xc0) !== 0x80) return undefined;
      }
      printable++;
    }
    chars++;
    i += n;
  }
  if (chars === 0 || printable < chars * 0.95) return undefined;
  return { format: 'text', detail: `text (UTF-8), ${chars} characters sniffed` };
}
