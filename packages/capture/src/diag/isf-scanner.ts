import { readU16, readU32 } from '../bytes/byte-cursor.js';
import { ByteQueue } from '../reader/byte-queue.js';
import type { DlfRecordView } from './dlf-reader.js';

/*
 * QXDM `.isf` ("Item Store Format") is closed: reference/diag.md says it holds DLF items wrapped with extra
 * per-item data, and no public decoder documents the wrapper. So we do not parse it: we scan for DLF-shaped
 * items (length u16 ≥ 12 | log code u16 | timestamp u64 | body) that are plausible on three counts at once,
 * take each one whole, and count every byte between them as not understood. A file where nothing
 * DLF-shaped is found says so plainly instead of pretending.
 *
 * Plausibility of an item at an offset (all must hold):
 * - length between 16 bytes (header + a version byte or more) and 16 KiB — DIAG log packets of the codes we
 *   decode are far below that, and a short bound keeps the scan's look-ahead (memory) small;
 * - the log code's equipment id (top nibble, reference/diag.md §Log packet) is one a modem logs:
 *   0x1 (CDMA/1x, common), 0x4 (WCDMA), 0x5 (GSM), 0x7 (UMTS NAS/RRC), 0xB (LTE/NR);
 * - the timestamp's 1.25 ms ticks fall between GPS 1990 and GPS 2100;
 * - and it is confirmed by its neighbours, since the three tests above still pass ~1 random offset in 1,000:
 *   its timestamp is within an hour of the item taken before it, or a plausible item header follows it
 *   within {@link ISF_MAX_WRAPPER} bytes with a timestamp within an hour of its own (a log is a time series;
 *   random bytes agree on an hour about once in a million), or it ends the input exactly.
 */

/** Shortest item accepted: 12-byte header + at least a version word. */
export const ISF_MIN_ITEM = 16;
/** Longest item accepted (also the scan's look-ahead). */
export const ISF_MAX_ITEM = 16 * 1024;
/** Longest run of wrapper bytes looked across for a confirming neighbour. */
export const ISF_MAX_WRAPPER = 256;
/** Neighbouring items of one log are within this many 1.25 ms ticks (one hour). */
const NEIGHBOUR_TICKS = 3_600 / 0.00125;
const EQUIPMENT_IDS = new Set([0x1, 0x4, 0x5, 0x7, 0xb]);
/** GPS epoch 1980-01-06: 10 years ≈ 252.4 M ticks of 1.25 ms; 120 years ≈ 3.03 G ticks. */
const TICKS_PER_YEAR = (365.2425 * 86_400) / 0.00125;
const MIN_TICKS = 10 * TICKS_PER_YEAR;
const MAX_TICKS = 120 * TICKS_PER_YEAR;

/** Length of a plausible DLF-shaped item whose header is at `buf[off]`, if it fits in `avail` bytes; else 0. */
export function dlfShapedItemAt(buf: Uint8Array, off: number, avail: number): number {
  if (avail < 12) return 0;
  const length = readU16(buf, off, true);
  if (length < ISF_MIN_ITEM || length > ISF_MAX_ITEM || length > avail) return 0;
  const code = readU16(buf, off + 2, true);
  if (!EQUIPMENT_IDS.has(code >>> 12)) return 0;
  // ticks = timestamp >> 16: bits 16..63 of the u64 (little-endian at off + 4).
  const ticks = ticksAt(buf, off);
  if (ticks < MIN_TICKS || ticks > MAX_TICKS) return 0;
  return length;
}

/** The 1.25 ms ticks of the DLF-shaped header at `buf[off]`: bits 16..63 of its little-endian u64 timestamp. */
function ticksAt(buf: Uint8Array, off: number): number {
  return readU16(buf, off + 6, true) + readU32(buf, off + 8, true) * 65_536;
}

/** Whether a plausible header within `ISF_MAX_WRAPPER` bytes after `buf[end]` is an hour or less from `ticks`. */
function confirmedByNext(buf: Uint8Array, end: number, limit: number, ticks: number): boolean {
  for (let pos = end; pos + 12 <= limit && pos <= end + ISF_MAX_WRAPPER; pos++) {
    if (dlfShapedItemAt(buf, pos, ISF_MAX_ITEM) > 0 && Math.abs(ticksAt(buf, pos) - ticks) <= NEIGHBOUR_TICKS)
      return true;
  }
  return false;
}

/** What a scan found: items taken, bytes between them that were not understood. */
export interface IsfScanCounts {
  items: number;
  bytesNotUnderstood: number;
  /** Runs of not-understood bytes (the wrappers between items, or damage). */
  gaps: number;
}

/**
 * Streaming `.isf` scan with the DLF reader's interface: push with {@link append}, pull DLF-shaped items
 * with {@link next}. Memory: at most one item ({@link ISF_MAX_ITEM} bytes) held beyond the input's chunks.
 */
export class IsfScanner {
  private readonly queue = new ByteQueue();
  private ended = false;
  private pendingSkip = 0;
  private inGap = false;
  /** Ticks of the last item taken (-1: none yet). */
  private lastTicks = -1;
  readonly counts: IsfScanCounts = { items: 0, bytesNotUnderstood: 0, gaps: 0 };
  private readonly view: DlfRecordView = { bytes: new Uint8Array(0), start: 0, length: 0, byteOffset: 0 };

  append(chunk: Uint8Array): void {
    if (this.ended) throw new Error('append() after end()');
    this.queue.push(chunk);
  }

  end(): void {
    this.ended = true;
  }

  next(): DlfRecordView | undefined {
    const q = this.queue;
    if (this.pendingSkip > 0) {
      q.skip(this.pendingSkip);
      this.pendingSkip = 0;
    }
    for (;;) {
      if (q.available < 12) {
        if (this.ended && q.available > 0) this.notUnderstood(q.available);
        return undefined;
      }
      q.ensure(12); // the header only: a 16 KiB look-ahead per byte of a gap would copy it each time
      const length = dlfShapedItemAt(q.buf, q.off, ISF_MAX_ITEM);
      if (length > 0) {
        const ticks = ticksAt(q.buf, q.off);
        let taken = this.lastTicks >= 0 && Math.abs(ticks - this.lastTicks) <= NEIGHBOUR_TICKS && length <= q.available;
        if (!taken) {
          const look = length + ISF_MAX_WRAPPER + 12;
          if (q.available < look && !this.ended) return undefined; // wait for the item and its neighbour
          if (length <= q.available) {
            const have = Math.min(look, q.available);
            q.ensure(have);
            taken = confirmedByNext(q.buf, q.off + length, q.off + have, ticks) || length === q.available;
          }
        }
        if (taken) {
          q.ensure(length);
          this.lastTicks = ticks;
          this.inGap = false;
          this.counts.items++;
          const v = this.view;
          v.bytes = q.buf;
          v.start = q.off;
          v.length = length;
          v.byteOffset = q.offset;
          this.pendingSkip = length; // consumed on the next call: the view stays valid until then
          return v;
        }
      }
      this.notUnderstood(1);
    }
  }

  private notUnderstood(n: number): void {
    if (!this.inGap) this.counts.gaps++;
    this.inGap = true;
    this.counts.bytesNotUnderstood += n;
    this.queue.skip(n);
  }
}
