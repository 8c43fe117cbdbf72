import { MAX_RECORD_BYTES, PCAP_MAX_STANDARD_CAPLEN } from '@l1t/capture';

/*
 * Record boundaries inside a capture, for splitting one file into byte ranges that are decoded in
 * parallel. Pure: bytes in, offsets out (no node: imports; it could live in @l1t/capture's reader/).
 *
 * A range that starts at an arbitrary byte offset must find the first record that starts in it
 * ("resynchronise"). Neither container marks record starts, so a candidate offset is accepted when
 * the records it implies chain: `chain` consecutive headers, each plausible on its own, each starting
 * where the previous one ends. This is a heuristic (IQ samples can look like anything): callers that
 * need the exact sequential parse must verify the result — the parallel decoder checks that every
 * range starts exactly where the previous range's sequential parse stopped, and re-decodes a range
 * whose guess was wrong, so a false match costs time, never correctness.
 *
 *  pcap record header (draft-ietf-opsawg-pcap §5):  ts sec u32 | ts frac u32 | caplen u32 | origlen u32
 *  pcapng block (draft-ietf-opsawg-pcapng §3.1):    type u32 | total length u32 | body | total length u32
 */

/** What resynchronisation needs to know about a pcap file (from its 24-byte header). */
export interface PcapLayout {
  littleEndian: boolean;
  nanosecond: boolean;
  snapLen: number;
  /** Largest caplen the reader accepts (max(snaplen, 262144), as `PcapReader`). */
  maxCapLen: number;
}

export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;
export const PCAPNG_SHB = 0x0a0d0d0a;
export const PCAPNG_BYTE_ORDER_MAGIC = 0x1a2b3c4d;
export const PCAP_FILE_HEADER_BYTES = 24;
export const PCAP_RECORD_HEADER_BYTES = 16;

/** Parses the pcap file header at `b[0..24)`; undefined when it is not one. */
export function parsePcapLayout(b: Uint8Array): PcapLayout | undefined {
  if (b.length < PCAP_FILE_HEADER_BYTES) return undefined;
  let le: boolean;
  const m = readU32(b, 0, true);
  if (m === PCAP_MAGIC_US || m === PCAP_MAGIC_NS) le = true;
  else {
    const mb = readU32(b, 0, false);
    if (mb !== PCAP_MAGIC_US && mb !== PCAP_MAGIC_NS) return undefined;
    le = false;
  }
  const snapLen = readU32(b, 16, le);
  return {
    littleEndian: le,
    nanosecond: readU32(b, 0, le) === PCAP_MAGIC_NS,
    snapLen,
    maxCapLen: Math.min(Math.max(snapLen, PCAP_MAX_STANDARD_CAPLEN), MAX_RECORD_BYTES - PCAP_RECORD_HEADER_BYTES),
  };
}

/** A frame on the wire is never longer than this (checked on origlen while resynchronising). */
const MAX_PLAUSIBLE_ORIGLEN = 1 << 18;
/** Neighbouring records of one capture are not more than a day apart (resynchronisation only). */
const MAX_PLAUSIBLE_STEP_S = 86_400;

/**
 * Total length (header + caplen) of the pcap record whose header is at `b[o]`, or -1 when the header
 * is not plausible: caplen ≤ the reader's maximum, caplen ≤ origlen ≤ 256 KiB, sub-second field
 * below 10^9 (ns) or 10^6 (µs). Needs 16 bytes at `o`.
 */
export function pcapRecordLengthAt(b: Uint8Array, o: number, layout: PcapLayout): number {
  const le = layout.littleEndian;
  const frac = readU32(b, o + 4, le);
  const capLen = readU32(b, o + 8, le);
  const origLen = readU32(b, o + 12, le);
  if (frac >= (layout.nanosecond ? 1_000_000_000 : 1_000_000)) return -1;
  if (capLen > layout.maxCapLen || capLen > origLen || origLen > MAX_PLAUSIBLE_ORIGLEN) return -1;
  return PCAP_RECORD_HEADER_BYTES + capLen;
}

/**
 * First offset `p` in `[from, to)` where a chain of `chain` plausible pcap records starts in
 * `b[0 .. b.length)`, or -1. `atEnd` says that `b` ends where the input ends: a chain that ends exactly
 * there is complete. A chain that runs past the end of `b` (not the input) is accepted when at least
 * one whole record was checked.
 */
export function findPcapRecordStart(
  b: Uint8Array,
  from: number,
  to: number,
  layout: PcapLayout,
  atEnd: boolean,
  chain = 4,
): number {
  const le = layout.littleEndian;
  const last = Math.min(to, b.length - PCAP_RECORD_HEADER_BYTES + 1);
  for (let p = from; p < last; p++) {
    let q = p;
    let ok = 0;
    let prevSec = readU32(b, p, le);
    for (;;) {
      const n = pcapRecordLengthAt(b, q, layout);
      if (n < 0) break;
      const sec = readU32(b, q, le);
      if (Math.abs(sec - prevSec) > MAX_PLAUSIBLE_STEP_S) break;
      prevSec = sec;
      q += n;
      ok++;
      if (ok >= chain || (atEnd && q === b.length)) return p;
      if (q + PCAP_RECORD_HEADER_BYTES > b.length) {
        if (atEnd && q < b.length) break; // a partial header at the very end: not a boundary chain
        if (atEnd && q > b.length) break; // the record claims bytes past the end of the input
        return p; // ran out of lookahead: accept (the caller verifies)
      }
    }
  }
  return -1;
}

/** Block types the pcapng readers know (pcapng §4, §11.1). Resynchronisation accepts only these. */
function knownBlockType(t: number): boolean {
  return (t >= 1 && t <= 10) || t === PCAPNG_SHB || t === 0x00000bad || t === 0x40000bad;
}

/** What resynchronisation needs to know about the pcapng section a range lies in. */
export interface PcapngLayout {
  littleEndian: boolean;
  /** Interfaces described so far in the section (an EPB must name one of them). */
  interfaceCount: number;
  maxBlockBytes?: number;
}

/**
 * Total length of the pcapng block at `b[o]` when its header and trailer are plausible and present in
 * `b`, -1 when implausible, 0 when the block runs past the end of `b` (undetermined).
 */
export function pcapngBlockLengthAt(b: Uint8Array, o: number, layout: PcapngLayout): number {
  if (o + 12 > b.length) return 0;
  const type = readU32(b, o, layout.littleEndian);
  if (!knownBlockType(type)) return -1;
  let le = layout.littleEndian;
  if (type === PCAPNG_SHB) {
    const bom = readU32(b, o + 8, true);
    if (bom === PCAPNG_BYTE_ORDER_MAGIC) le = true;
    else if (bom === 0x4d3c2b1a) le = false;
    else return -1;
  }
  const length = readU32(b, o + 4, le);
  if (length < 12 || length % 4 !== 0 || length > (layout.maxBlockBytes ?? MAX_RECORD_BYTES)) return -1;
  if (type === 6 && length < 32) return -1;
  if (type === 6 || type === 2) {
    const ifId = type === 6 ? readU32(b, o + 8, le) : readU16(b, o + 8, le);
    // Interfaces described later in this range are fine: accept ids up to a small margin above.
    if (ifId >= layout.interfaceCount + 16) return -1;
    if (o + 24 <= b.length && readU32(b, o + 20, le) > length - 32) return -1;
  }
  if (o + length > b.length) return 0;
  return readU32(b, o + length - 4, le) === length ? length : -1;
}

/**
 * pcapng block lengths are multiples of 4, so every block of a file starts at `align` (the first
 * SHB's offset, normally 0) modulo 4: candidates are those offsets in `[from, to)`. Returns the first offset where `chain` blocks chain (see {@link findPcapRecordStart}), or -1.
 */
export function findPcapngBlockStart(
  b: Uint8Array,
  from: number,
  to: number,
  align: number,
  layout: PcapngLayout,
  atEnd: boolean,
  chain = 4,
): number {
  let p = from + ((((align - from) % 4) + 4) % 4);
  const last = Math.min(to, b.length - 11);
  for (; p < last; p += 4) {
    let q = p;
    let ok = 0;
    for (;;) {
      const n = pcapngBlockLengthAt(b, q, layout);
      if (n < 0) break;
      if (n === 0) {
        if (ok > 0 && !atEnd) return p; // ran out of lookahead after a whole block: accept
        if (ok === 0 && !atEnd && q + 12 <= b.length) return p; // a block larger than the lookahead
        break;
      }
      q += n;
      ok++;
      if (ok >= chain || (atEnd && q === b.length)) return p;
      if (q + 12 > b.length && !atEnd) return p;
    }
  }
  return -1;
}

/** Unsigned 32-bit read in either byte order (bounds are the caller's). */
export function readU32(b: Uint8Array, o: number, le: boolean): number {
  return le
    ? (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0
    : ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}

function readU16(b: Uint8Array, o: number, le: boolean): number {
  return le ? b[o]! | (b[o + 1]! << 8) : (b[o]! << 8) | b[o + 1]!;
}
