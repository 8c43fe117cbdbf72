import { readU32 } from '../bytes/byte-cursor.js';
import { CaptureFormatError, CaptureTruncatedError } from '../bytes/capture-errors.js';
import { newDiagPacket, parseDiagPayloadAt, parseDlfRecord, type DiagPacket } from './diag-packet.js';
import { DiagStreamReader, type DiagByteSearch, type DiagFraming } from './diag-stream-reader.js';
import { DlfReader } from './dlf-reader.js';
import { IsfScanner } from './isf-scanner.js';

/** The DIAG containers {@link DiagLogReader} reads (sniffFormat's names). */
export type DiagContainer = 'diag_hdlc' | 'qmdl2' | 'dlf' | 'isf';

/**
 * One record of a DIAG log (the object is reused: valid until the next call).
 * - `log`: a log packet (`packet.logCode`, timestamp, `packet.body`);
 * - `command`: a frame carrying another DIAG command (`packet.command`: responses, events, messages);
 * - `malformed`: a log packet whose lengths do not fit its frame (`packet.reason`);
 * - `bad_frame`: a frame whose CRC failed, too short, oversize or with broken framing (`badReason`).
 */
export interface DiagRecord {
  kind: 'log' | 'command' | 'malformed' | 'bad_frame';
  /** 1-based record (frame) number. */
  index: number;
  /** Absolute input offset of the frame or DLF record. */
  byteOffset: number;
  packet: DiagPacket;
  badReason: string | undefined;
}

/** Largest .qmdl2 header accepted (bytes); sniffFormat uses the same bound. */
const QMDL2_MAX_HEADER = 1 << 20;

/**
 * Reads `.qmdl`/`.mi2log` HDLC streams (and the non-HDLC `0x7E 0x01 len` variant), `.qmdl2` (QShrink
 * header, then the HDLC stream) and `.dlf` records into {@link DiagRecord}s. Push with {@link append},
 * pull with {@link next}; memory is bounded by one frame (plus a .qmdl2 header of ≤ 1 MiB).
 */
export class DiagLogReader {
  private readonly stream: DiagStreamReader | undefined;
  /** .dlf records, or the DLF-shaped items an .isf scan finds (same view). */
  private readonly dlf: DlfReader | IsfScanner | undefined;
  private readonly packet = newDiagPacket();
  private readonly rec: DiagRecord = {
    kind: 'log',
    index: 0,
    byteOffset: 0,
    packet: this.packet,
    badReason: undefined,
  };
  private index = 0;
  /** .qmdl2 header phase: chunks held until the header is complete. */
  private header: Uint8Array[] | undefined;
  private headerBytes = 0;
  private ended = false;
  /** .qmdl2 header facts once read. */
  qmdl2: { headerLength: number; version: number; hdlc: boolean; guids: number } | undefined;

  constructor(
    readonly container: DiagContainer,
    private readonly options: { framing?: DiagFraming; indexOf?: DiagByteSearch } = {},
  ) {
    if (container === 'dlf') this.dlf = new DlfReader();
    else if (container === 'isf') this.dlf = new IsfScanner();
    else if (container === 'qmdl2') this.header = [];
    else
      this.stream = new DiagStreamReader({
        framing: options.framing ?? 'auto',
        ...(options.indexOf ? { indexOf: options.indexOf } : {}),
      });
  }

  private qmdl2Stream: DiagStreamReader | undefined;

  /** Frame counters of the HDLC stream (frames, good, crc, short, oversize, framing). */
  get frameCounts(): DiagStreamReader['counts'] | undefined {
    return (this.stream ?? this.qmdl2Stream)?.counts;
  }

  /** What an .isf scan found (items, bytes not understood), undefined for other containers. */
  get isfCounts(): IsfScanner['counts'] | undefined {
    return this.dlf instanceof IsfScanner ? this.dlf.counts : undefined;
  }

  /** Absolute offset of the next input byte not yet consumed by the HDLC stream (0 for other containers). */
  get consumedOffset(): number {
    return this.stream?.offset ?? 0;
  }

  /** `hdlc`, `unframed`, or `dlf` once known. */
  get framing(): string {
    if (this.dlf) return this.container === 'isf' ? 'isf_scan' : 'dlf';
    return (this.stream ?? this.qmdl2Stream)?.framingInUse ?? 'auto';
  }

  append(chunk: Uint8Array): void {
    if (this.header) {
      this.header.push(chunk);
      this.headerBytes += chunk.length;
      this.tryHeader();
      return;
    }
    (this.dlf ?? this.stream ?? this.qmdl2Stream)!.append(chunk);
  }

  end(): void {
    this.ended = true;
    if (this.header) this.tryHeader();
    (this.dlf ?? this.stream ?? this.qmdl2Stream)?.end();
  }

  next(): DiagRecord | undefined {
    if (this.header) return undefined;
    const rec = this.rec;
    if (this.dlf) {
      const v = this.dlf.next();
      if (!v) return undefined;
      rec.index = ++this.index;
      rec.byteOffset = v.byteOffset;
      rec.badReason = undefined;
      parseDlfRecord(v.bytes, v.start, v.length, this.packet);
      rec.kind = 'log';
      return rec;
    }
    const s = (this.stream ?? this.qmdl2Stream)!;
    const f = s.next();
    if (!f) return undefined;
    rec.index = f.index;
    rec.byteOffset = f.byteOffset;
    if (f.kind === 'bad') {
      rec.kind = 'bad_frame';
      rec.badReason = f.reason;
      return rec;
    }
    rec.badReason = undefined;
    rec.kind = parseDiagPayloadAt(f.bytes, f.start, f.end, this.packet).kind;
    return rec;
  }

  /*
   * .qmdl2 (QShrink4, little-endian): 0 header_length u32 | 4 version u8 | 5 hdlc_data_type u8 (1: HDLC)
   * | 6 guid_count u32 | 10 guid_count × 16-byte GUID | (newer versions: per-GUID data) — the DIAG stream
   * starts at header_length.
   */
  private tryHeader(): void {
    const chunks = this.header!;
    const have = this.headerBytes;
    if (have < 10 && !this.ended) return;
    const head = concat(chunks, Math.min(have, 10));
    if (head.length < 10) throw new CaptureTruncatedError(0, 'qmdl2 header', head.length, 10);
    const headerLength = readU32(head, 0, true);
    const version = head[4]!;
    const hdlc = head[5]!;
    const guids = readU32(head, 6, true);
    if (headerLength < 10 || headerLength > QMDL2_MAX_HEADER)
      throw new CaptureFormatError(0, 'qmdl2 header', `length ${headerLength} is outside 10…${QMDL2_MAX_HEADER}`);
    if (hdlc > 1) throw new CaptureFormatError(5, 'qmdl2 header', `hdlc_data_type ${hdlc} is neither 0 nor 1`);
    if (10 + guids * 16 > headerLength)
      throw new CaptureFormatError(6, 'qmdl2 header', `${guids} GUIDs do not fit in a ${headerLength}-byte header`);
    if (have < headerLength) {
      if (this.ended) throw new CaptureTruncatedError(0, 'qmdl2 header', have, headerLength);
      return;
    }
    if (hdlc === 0) {
      throw new CaptureFormatError(
        5,
        'qmdl2 header',
        'hdlc_data_type 0: the stream is not HDLC-framed (QShrink-compressed, needs the .qdb database) and is not decoded',
      );
    }
    this.qmdl2 = { headerLength, version, hdlc: hdlc === 1, guids };
    this.header = undefined;
    this.qmdl2Stream = new DiagStreamReader({
      framing: 'hdlc',
      baseOffset: headerLength,
      ...(this.options.indexOf ? { indexOf: this.options.indexOf } : {}),
    });
    let skip = headerLength;
    for (const c of chunks) {
      if (skip >= c.length) {
        skip -= c.length;
        continue;
      }
      this.qmdl2Stream.append(skip > 0 ? c.subarray(skip) : c);
      skip = 0;
    }
  }
}

function concat(chunks: readonly Uint8Array[], n: number): Uint8Array {
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    if (o >= n) break;
    const take = Math.min(c.length, n - o);
    out.set(c.subarray(0, take), o);
    o += take;
  }
  return out;
}
