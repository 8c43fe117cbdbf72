import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import {
  CaptureFormatError,
  createCaptureReader,
  createPacketDecoder,
  DecodedPacket,
  type CaptureReader,
  type PacketDecoder,
} from '@l1t/capture';
import { FlowStatsCollector } from './flow-stats.js';
import { emptyCounts, type DecodeCounts, type RangeFailure, type RangeResult, type RangeTask } from './range-types.js';
import {
  findPcapngBlockStart,
  findPcapRecordStart,
  parsePcapLayout,
  PCAP_FILE_HEADER_BYTES,
  PCAPNG_BYTE_ORDER_MAGIC,
  readU32,
} from './record-boundaries.js';

/*
 * Decodes one byte range of a capture file (runs on a worker thread or inline):
 *
 *   context blocks ─┐  (pcap file header, or pcapng SHB + IDBs of the section, read with pread)
 *                   ▼
 *   reader  ◀── [prefix][ range bytes from `start`, 1 MiB chunks … past `end` until a record starts ≥ end ]
 *      │
 *      ▼ one reused PacketRecord → createPacketDecoder().decode(…, one reused DecodedPacket)
 *      ▼ FlowStatsCollector.add (typed arrays)       → RangeResult (small: counts + per-flow state)
 *
 * Memory is bounded by a ring of chunk buffers and the reader's scratch for one record, whatever the
 * file size. Offsets seen by the reader are "stream" offsets (prefix first); the absolute file
 * offset of a stream offset s ≥ prefix.length is s − prefix.length + start.
 */

/** Lookahead read beyond a resynchronisation window so that a chain of records can be checked. */
const RESYNC_LOOKAHEAD = 256 * 1024;
/** First resynchronisation window (grows ×8 up to a chunk while nothing is found). */
const RESYNC_FIRST_WINDOW = 64 * 1024;
/** Read size past the end of the range, where only the record straddling the end is still needed. */
const TAIL_READ = 64 * 1024;
/** Chunk buffers in rotation (a buffer is reused only once the reader has consumed it). */
const RING = 3;

interface Worker {
  decoder: PacketDecoder;
  optionsJson: string;
  out: DecodedPacket;
  flows: FlowStatsCollector;
}

let cached: Worker | undefined;

/** One decoder, packet object and flow table per thread, reused by every range it decodes. */
function workerState(task: RangeTask): Worker {
  const json = JSON.stringify(task.decode);
  if (cached === undefined || cached.optionsJson !== json) {
    cached = {
      decoder: createPacketDecoder(task.decode),
      optionsJson: json,
      out: new DecodedPacket(),
      flows: new FlowStatsCollector(),
    };
  }
  cached.flows.reset();
  return cached;
}

function readAt(fd: number, position: number, length: number): Uint8Array {
  const b = new Uint8Array(length);
  let got = 0;
  while (got < length) {
    const n = readSync(fd, b, got, length - got, position + got);
    if (n === 0) break;
    got += n;
  }
  return got === length ? b : b.subarray(0, got);
}

/** The raw bytes of the context blocks, concatenated (what a reader must see before the range). */
export function readContext(fd: number, format: 'pcap' | 'pcapng', context: readonly number[]): Uint8Array {
  if (context.length === 0) return new Uint8Array(0);
  if (format === 'pcap') return readAt(fd, 0, PCAP_FILE_HEADER_BYTES);
  const parts: Uint8Array[] = [];
  let le = true;
  for (const at of context) {
    const head = readAt(fd, at, 12);
    if (head.length < 12) throw new Error(`context block at ${at} is cut short`);
    if (readU32(head, 0, true) === 0x0a0d0d0a) le = readU32(head, 8, true) === PCAPNG_BYTE_ORDER_MAGIC;
    const length = readU32(head, 4, le);
    if (length < 12 || length > 16 * 1024 * 1024) throw new Error(`context block at ${at} has length ${length}`);
    parts.push(readAt(fd, at, length));
  }
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** First record start in [task.start, task.end), or -1. */
function resynchronise(fd: number, size: number, task: RangeTask, prefix: Uint8Array): number {
  let window = RESYNC_FIRST_WINDOW;
  const maxWindow = Math.max(task.chunkBytes, 1 << 20);
  const pcap = task.format === 'pcap' ? parsePcapLayout(prefix) : undefined;
  if (task.format === 'pcap' && pcap === undefined) throw new Error('range context is not a pcap file header');
  const le = task.format === 'pcapng' ? readU32(prefix, 8, true) === PCAPNG_BYTE_ORDER_MAGIC : true;
  const align = (task.context[0] ?? 0) % 4;
  for (let p = task.start; p < task.end; p += window, window = Math.min(window * 8, maxWindow)) {
    const b = readAt(fd, p, Math.min(window + RESYNC_LOOKAHEAD, size - p));
    const atEnd = p + b.length >= size;
    const to = Math.min(window, task.end - p);
    const found = pcap
      ? findPcapRecordStart(b, 0, to, pcap, atEnd)
      : findPcapngBlockStart(b, 0, to, (align - (p % 4) + 4) % 4, { littleEndian: le, interfaceCount: task.interfaceCount }, atEnd);
    if (found >= 0) return p + found;
  }
  return -1;
}

/** Decodes the records that start in [task.start, task.end) (see {@link RangeTask}). */
export function decodeRange(task: RangeTask): RangeResult {
  const fd = openSync(task.path, 'r');
  try {
    return decodeOpenRange(fd, task);
  } finally {
    closeSync(fd);
  }
}

function decodeOpenRange(fd: number, task: RangeTask): RangeResult {
  const size = fstatSync(fd).size;
  const prefix = readContext(fd, task.format, task.context);
  const state = workerState(task);
  const counts: DecodeCounts = emptyCounts();
  const result: RangeResult = {
    index: task.index,
    firstRecord: -1,
    stopOffset: -1,
    endContext: [...task.context],
    counts,
    flows: [],
    firstTsNs: -1n,
    lastTsNs: -1n,
    bytesRead: 0,
  };
  const start = task.exactStart ? task.start : resynchronise(fd, size, task, prefix);
  if (start < 0) return result;

  const reader: CaptureReader = createCaptureReader(task.format);
  const prefixLen = prefix.length;
  const delta = start - prefixLen; // absolute = stream + delta
  const end = task.end;
  const d = new RangeDrain(reader, result, state, prefixLen, delta, end, task.format === 'pcapng');

  const onError = (err: unknown): void => {
    if (!(err instanceof CaptureFormatError)) throw err;
    const abs = err.byteOffset < prefixLen ? start : err.byteOffset + delta;
    if (abs >= end) {
      // The record at or after `end` belongs to the next range, which meets the same fault.
      result.stopOffset = abs;
      return;
    }
    const failure: RangeFailure = {
      byteOffset: abs,
      message: `offset ${abs}: ${err.recordType} ${err.reason}`,
      truncated: err.truncated,
    };
    result.error = failure;
    result.stopOffset = abs;
  };

  const ring: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(RING);
  const ringEnd = new Array<number>(RING).fill(0);
  let slot = 0;
  let pos = start;
  let streamPos = prefixLen;
  try {
    if (prefixLen > 0) reader.append(prefix);
    for (;;) {
      let buf = ring[slot];
      // Reuse a buffer only when every byte of it lies before the last record returned (consumed).
      if (buf === undefined || ringEnd[slot]! > d.lastRecordStream) {
        buf = new Uint8Array(task.chunkBytes);
        ring[slot] = buf;
      }
      // Up to the end of the range plus a little; past it, small reads until the straddling record is whole.
      const want = pos < end ? Math.min(buf.length, end - pos + TAIL_READ) : Math.min(buf.length, TAIL_READ);
      const n = readSync(fd, buf, 0, want, pos);
      if (n === 0) {
        reader.end();
        d.drain();
        if (!d.stopped) result.stopOffset = pos;
        break;
      }
      pos += n;
      streamPos += n;
      ringEnd[slot] = streamPos;
      slot = (slot + 1) % RING;
      result.bytesRead += n;
      // A buffer holds one read; the reader keeps a view of it until consumed (see the reuse check above).
      reader.append(n === buf.length ? buf : buf.subarray(0, n));
      d.drain();
      if (d.stopped) break;
    }
  } catch (err) {
    onError(err);
  }
  result.flows = state.flows.toFlowStats();
  return result;
}

/** Decodes the records the reader has ready: the hot loop, one per range, no allocation per packet. */
class RangeDrain {
  /** Stream offset of the last record returned (everything before it is consumed). */
  lastRecordStream = -1;
  /** A record starting at or after the range end was reached. */
  stopped = false;

  constructor(
    private readonly reader: CaptureReader,
    private readonly result: RangeResult,
    private readonly state: Worker,
    private readonly prefixLen: number,
    private readonly delta: number,
    private readonly end: number,
    private readonly pcapng: boolean,
  ) {}

  drain(): void {
    const { reader, result, prefixLen, delta, end, pcapng } = this;
    const { decoder, out, flows } = this.state;
    const counts = result.counts;
    for (let rec = reader.next(); rec !== undefined; rec = reader.next()) {
      const s = rec.byteOffset;
      this.lastRecordStream = s;
      if (s < prefixLen) continue; // a context block: it belongs to the range that contains it
      const abs = s + delta;
      if (abs >= end) {
        result.stopOffset = abs;
        this.stopped = true;
        return;
      }
      if (result.firstRecord < 0) result.firstRecord = abs;
      if (rec.kind !== 'packet') {
        counts.otherRecords++;
        if (pcapng && rec.kind === 'section') result.endContext = [abs];
        else if (pcapng && rec.kind === 'interface') result.endContext.push(abs);
        else if (rec.kind === 'interface') result.endContext = [0];
        continue;
      }
      counts.packets++;
      counts.packetBytes += rec.capLen;
      if (rec.truncated) counts.truncatedFrames++;
      if (counts.packets === 1) result.firstTsNs = rec.tsNs;
      result.lastTsNs = rec.tsNs;
      decoder.decode(rec.linkType, rec.data, rec.tsNs, rec.index, out);
      if (out.kind === 'ecpri') {
        counts.ecpri++;
        if (out.hasOran) {
          if (out.oran.plane === 'u') counts.uplane++;
          else counts.cplane++;
          flows.add(out, rec.capLen);
        }
      } else if (out.kind === 'ptp') counts.ptp++;
      else counts.other++;
      if (out.findings.count > 0) counts.malformed++;
    }
  }
}
