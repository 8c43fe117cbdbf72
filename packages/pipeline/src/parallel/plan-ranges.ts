import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { sniffFormat } from '@l1t/capture';
import { InputError } from '../analysis-types.js';
import { PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_SHB, readU32 } from './record-boundaries.js';

/** How a capture file is cut into ranges, and the context every range after the first starts with. */
export interface RangePlan {
  format: 'pcap' | 'pcapng';
  size: number;
  /** Range boundaries: range i is [bounds[i], bounds[i + 1]). */
  bounds: number[];
  /** Context of ranges after the first (see RangeTask.context): a guess, verified by the merge. */
  context: number[];
  interfaceCount: number;
}

/** pcapng blocks read from the start of the file to find the first section's interfaces. */
const MAX_HEAD_BLOCKS = 1024;

function readHead(fd: number, at: number, n: number): Uint8Array {
  const b = new Uint8Array(n);
  const got = readSync(fd, b, 0, n, at);
  return b.subarray(0, got);
}

/**
 * The first SHB and the IDBs that follow it before the first packet block: the context of every
 * range of a single-section file (the common case). Later sections or interfaces are found by the
 * ranges that contain them and the merge re-decodes what was decoded with a stale context.
 */
function pcapngHeadContext(fd: number, size: number): number[] {
  const shb = readHead(fd, 0, 12);
  if (shb.length < 12 || readU32(shb, 0, true) !== PCAPNG_SHB) return [];
  const le = readU32(shb, 8, true) === PCAPNG_BYTE_ORDER_MAGIC;
  const context = [0];
  let at = 0;
  for (let i = 0; i < MAX_HEAD_BLOCKS && at + 12 <= size; i++) {
    const h = readHead(fd, at, 8);
    if (h.length < 8) break;
    const type = readU32(h, 0, le);
    const length = readU32(h, 4, le);
    if (length < 12 || length % 4 !== 0) break;
    if (i > 0 && type === PCAPNG_SHB) break;
    if (type === 1) context.push(at);
    else if (type === 2 || type === 3 || type === 6) break;
    at += length;
  }
  return context;
}

/**
 * Cuts `path` into ranges of about `rangeBytes` (at least one range). Reads only the file's first
 * blocks: record boundaries inside the file are found by the workers.
 */
export function planRanges(path: string, rangeBytes: number): RangePlan {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const head = readHead(fd, 0, Math.min(size, 64 * 1024));
    const sniffed = sniffFormat(head);
    if (sniffed.format !== 'pcap' && sniffed.format !== 'pcapng') {
      throw new InputError(path, 0, `not a pcap or pcapng capture (${sniffed.detail})`);
    }
    const format = sniffed.format;
    const context = format === 'pcap' ? [0] : pcapngHeadContext(fd, size);
    const n = Math.max(1, Math.ceil(size / Math.max(rangeBytes, 1)));
    const bounds: number[] = [];
    for (let i = 0; i < n; i++) bounds.push(Math.floor((size * i) / n));
    bounds.push(size);
    return { format, size, bounds, context, interfaceCount: Math.max(0, context.length - 1) };
  } finally {
    closeSync(fd);
  }
}
