import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import {
  CaptureFormatError,
  createCaptureReader,
  sniffFormat,
  SNIFF_HEAD_BYTES,
  type CaptureReader,
} from '@l1t/capture';
import type { Anomaly } from '@l1t/contracts';
import { InputError } from './analysis-types.js';

/** One frame copied out of a capture. */
export interface SlicePacket {
  /** 1-based frame number in the original capture. */
  index: number;
  tsNs: bigint;
  linkType: number;
  data: Uint8Array;
  origLen: number;
}

/** Frames `first … last` (inclusive, 1-based) of the original capture. */
export interface PacketRange {
  first: number;
  last: number;
}

/** At most this many packets are exported around one anomaly unless asked otherwise. */
export const DEFAULT_SLICE_MAX_PACKETS = 10_000;

/**
 * The frames an anomaly covers, ± `margin` packets: from the earliest frame it names (its `packet_index`,
 * or for an absence the last packet before the gap, `evidence.last_packet_index`) to the last one
 * (`evidence.end_packet_index` of a burst), clipped to `maxPackets`.
 */
export function anomalyPacketRange(
  a: Pick<Anomaly, 'packet_index' | 'packet_count' | 'evidence'>,
  margin = 5,
  maxPackets = DEFAULT_SLICE_MAX_PACKETS,
): PacketRange & { clipped: boolean } {
  const ev = a.evidence;
  const num = (v: unknown): number | undefined =>
    typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
  const before = num(ev.last_packet_index);
  const end = num(ev.end_packet_index);
  const from = Math.min(a.packet_index, before ?? a.packet_index);
  const to = Math.max(a.packet_index, end ?? a.packet_index);
  const first = Math.max(1, from - margin);
  let last = to + margin;
  const clipped = last - first + 1 > maxPackets;
  if (clipped) last = first + maxPackets - 1;
  return { first, last, clipped };
}

/**
 * Streams the capture at `path` and copies frames `range.first … range.last`; stops reading after the
 * last one. `expectedSize` (the size recorded at analysis) guards against a file replaced since.
 */
export async function readPacketSlice(
  path: string,
  range: PacketRange,
  options: { expectedSize?: number; signal?: AbortSignal } = {},
): Promise<SlicePacket[]> {
  const st = await stat(path);
  if (options.expectedSize !== undefined && st.size !== options.expectedSize) {
    throw new InputError(
      path,
      0,
      `the file changed since it was analysed (${st.size} bytes, ${options.expectedSize} recorded)`,
    );
  }
  const out: SlicePacket[] = [];
  let reader: CaptureReader | undefined;
  let head: Buffer[] = [];
  let headBytes = 0;
  let done = false;
  const pull = (): void => {
    try {
      pullRecords();
    } catch (err) {
      // A capture cut short or damaged after the wanted frames still yields them (as analysis did).
      if (!(err instanceof CaptureFormatError)) throw err;
      done = true;
    }
  };
  const pullRecords = (): void => {
    for (let rec = reader!.next(); rec !== undefined; rec = reader!.next()) {
      if (rec.kind !== 'packet') continue;
      if (rec.index > range.last) {
        done = true;
        return;
      }
      if (rec.index >= range.first) {
        out.push({
          index: rec.index,
          tsNs: rec.tsNs,
          linkType: rec.linkType,
          data: rec.data.slice(),
          origLen: rec.origLen,
        });
      }
    }
  };
  const start = (): void => {
    const all = Buffer.concat(head);
    head = [];
    const guess = sniffFormat(all);
    if (guess.format !== 'pcap' && guess.format !== 'pcapng')
      throw new InputError(path, 0, `not a capture (${guess.detail})`);
    reader = createCaptureReader(guess.format);
    reader.append(all);
    pull();
  };
  const stream = createReadStream(path, {
    highWaterMark: 1 << 20,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      if (reader === undefined) {
        head.push(chunk);
        headBytes += chunk.length;
        if (headBytes >= SNIFF_HEAD_BYTES) start();
      } else {
        reader.append(chunk);
        pull();
      }
      if (done) break;
    }
    if (!done) {
      if (reader === undefined) start();
      reader!.end();
      pull();
    }
  } finally {
    stream.destroy();
  }
  return out;
}
