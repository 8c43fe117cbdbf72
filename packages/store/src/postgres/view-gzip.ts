import { constants, crc32, deflateRawSync, gunzipSync } from 'node:zlib';

/**
 * The file views' stored form (PostgreSQL migration 0005): one gzip member (RFC 1952) per document, made by
 * Node's native zlib instead of PostgreSQL's JSON lexer and pglz running in PGlite's WebAssembly — and laid out
 * so that a route can splice the stored bytes, as they are, into a gzip response around them (gzipJoin).
 *
 * Layout, every member written here: a 10-byte header without optional fields, then raw deflate (RFC 1951)
 * segments each ended by a sync flush (an empty stored block: the stream is byte-aligned and no block is the
 * last), then an empty final fixed-Huffman block (`03 00`), then CRC-32 and length. A deflate stream may be cut
 * at a sync flush and followed by another compressor's blocks (back-references never reach before the data a
 * compressor saw, and the decoder needs no more), so a member's segments can sit between other segments inside
 * ONE member — browsers decode one member only (Chromium ignores bytes after the first member's trailer).
 *
 * Level 1: on the views of bench:analyze's 300 MB synth_bfp9 capture (5.4 MB of JSON, six 815 kB heatmaps)
 * level 1 took 22 ms for 745 kB (7.2×), level 3 46 ms for 639 kB, level 6 142 ms for 545 kB (min of 7, load
 * ~2.5): the higher levels cost the CLI run 25–120 ms more to save at most 200 kB of disk.
 */
export const VIEW_GZIP_LEVEL = 1;

const HEADER = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff]); // deflate, no flags, no mtime, OS unknown
const SYNC_FLUSH_END = Buffer.from([0, 0, 0xff, 0xff]); // the empty stored block a sync flush ends with
const FINAL_BLOCK = Buffer.from([0x03, 0x00]); // BFINAL=1, fixed Huffman, end-of-block code only
const ZEROS = Buffer.alloc(64 * 1024);

/** A stored view body is gzip when it starts with gzip's magic bytes; JSON text never starts with 0x1f. */
export function isGzip(body: Uint8Array): boolean {
  return body.length >= 2 && body[0] === 0x1f && body[1] === 0x8b;
}

/** A JSON document's text as a stored view body (gzip member of the layout above). */
export function gzipView(text: string): Buffer {
  return gzipJoin([text]);
}

/** The JSON text of a stored view body: gzip (written since migration 0005) or UTF-8 text (rows from before). */
export function viewText(body: Uint8Array): string {
  return isGzip(body) ? gunzipSync(body).toString('utf8') : Buffer.from(body).toString('utf8');
}

/** The member's deflate segments, CRC-32 and length when it has the layout of gzipView; else undefined. */
function spliceable(m: Uint8Array): { segments: Uint8Array; crc: number; length: number } | undefined {
  const b = Buffer.from(m.buffer, m.byteOffset, m.byteLength);
  const end = b.length - 10; // final block (2) + CRC-32 (4) + ISIZE (4)
  if (end < HEADER.length + SYNC_FLUSH_END.length || !isGzip(b) || b[2] !== 8 || b[3] !== 0) return undefined;
  if (!b.subarray(end, end + 2).equals(FINAL_BLOCK)) return undefined;
  if (!b.subarray(end - 4, end).equals(SYNC_FLUSH_END)) return undefined;
  return { segments: b.subarray(HEADER.length, end), crc: b.readUInt32LE(end + 2), length: b.readUInt32LE(end + 6) };
}

/** CRC-32 of n zero bytes continuing from `crc` (zlib's crc32(data, value) continues a CRC). */
function crc32OfZeros(n: number, crc: number): number {
  for (let left = n; left > 0; left -= ZEROS.length) crc = crc32(ZEROS.subarray(0, Math.min(left, ZEROS.length)), crc);
  return crc;
}

/**
 * CRC-32 of A followed by B from CRC-32(A), CRC-32(B) and B's length. CRC-32 is affine in its starting value:
 * crc32(B, c) = crc32(Z, c) ^ crc32(Z, 0) ^ crc32(B, 0) for Z the same number of zero bytes as B.
 */
function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  return (crc32OfZeros(lengthB, crcA) ^ crc32OfZeros(lengthB, 0) ^ crcB) >>> 0;
}

/**
 * One gzip member whose content is the parts in order: text is compressed here, a stored view body of
 * gzipView's layout is spliced in as it is (its deflate segments, its CRC-32 combined). A body of another form
 * (a row stored as text before migration 0005, a member from elsewhere) is read and compressed as text.
 */
export function gzipJoin(parts: readonly (string | Uint8Array)[]): Buffer {
  const chunks: Uint8Array[] = [HEADER];
  let crc = 0;
  let length = 0;
  const addText = (text: string | Buffer) => {
    const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    if (bytes.length === 0) return;
    chunks.push(deflateRawSync(bytes, { level: VIEW_GZIP_LEVEL, finishFlush: constants.Z_SYNC_FLUSH }));
    crc = crc32(bytes, crc);
    length += bytes.length;
  };
  for (const part of parts) {
    if (typeof part === 'string') {
      addText(part);
      continue;
    }
    const m = spliceable(part);
    if (!m) {
      addText(isGzip(part) ? gunzipSync(part) : Buffer.from(part.buffer, part.byteOffset, part.byteLength));
      continue;
    }
    chunks.push(m.segments);
    crc = length === 0 ? m.crc : crc32Combine(crc, m.crc, m.length);
    length += m.length;
  }
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(crc >>> 0, 0);
  trailer.writeUInt32LE(length % 2 ** 32, 4); // ISIZE: the length modulo 2^32 (RFC 1952)
  chunks.push(FINAL_BLOCK, trailer);
  return Buffer.concat(chunks);
}
