/**
 * Common shape of the streaming capture writers (pcap and pcapng). A writer produces bytes only: the
 * caller writes `header()` once, then record bytes, to any sink, in bounded memory.
 *
 * Two ways to write records:
 * - `record({ timestampNs, data })` returns the bytes of one record (convenient, allocates);
 * - the fast path writes a frame directly into a caller-owned buffer at `offset + recordHeaderLength` and
 *   then calls `finishRecord()` to fill in the record header/trailer around it (no allocation).
 */
export interface CaptureRecordInput {
  /** Capture time, Unix epoch nanoseconds (UTC). */
  timestampNs: bigint;
  /** Frame bytes from the link layer on. */
  data: Uint8Array;
  /** Length of the frame on the wire, when the capture was truncated (default `data.length`). */
  originalLength?: number;
  /** Per-packet comment (pcapng opt_comment; ignored by pcap). */
  comment?: string;
  /** pcapng interface (IDB index) of the record, default 0; ignored by pcap. */
  interfaceId?: number;
}

export interface CaptureWriter {
  readonly format: 'pcap' | 'pcapng';
  /** Bytes written once at the start of the file. */
  header(): Uint8Array;
  /** One record. */
  record(rec: CaptureRecordInput): Uint8Array;
  /** Bytes of record header before the frame data in the fast path. */
  readonly recordHeaderLength: number;
  /** Upper bound of a record's size for a frame of `frameLength` bytes and an encoded comment. */
  maxRecordLength(frameLength: number, commentBytes?: number): number;
  /**
   * Completes a record whose frame (`frameLength` bytes) is already at `offset + recordHeaderLength` in
   * `buf`; returns the record's total length. `interfaceId` (pcapng) selects the IDB and so the
   * timestamp resolution.
   */
  finishRecord(
    buf: Uint8Array,
    view: DataView,
    offset: number,
    frameLength: number,
    sec: number,
    nsec: number,
    comment?: Uint8Array,
    originalLength?: number,
    interfaceId?: number,
  ): number;
}

/** UTF-8 encoding without depending on TextEncoder typings (the package builds with `types: []`). */
export function utf8Encode(text: string): Uint8Array {
  const out: number[] = [];
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    if (cp < 0x80) out.push(cp);
    else if (cp < 0x800) out.push(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
    else if (cp < 0x10000) out.push(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
    else out.push(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  }
  return Uint8Array.from(out);
}

/** Concatenates chunks (for small outputs such as an exported slice). */
export function concatBytes(chunks: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
