import { concatBytes, createPcapngWriter } from '@l1t/capture';
import type { Anomaly } from '@l1t/contracts';
import { anomalyPacketRange, DEFAULT_SLICE_MAX_PACKETS, readPacketSlice, type SlicePacket } from './packet-slice.js';

/** Text of the pcapng section comment naming the anomaly (what Wireshark shows under Capture File Properties). */
export function anomalySectionComment(a: Anomaly, first: number, last: number): string {
  return [
    `l1t anomaly ${a.id}`,
    `${a.type} (${a.severity}, confidence ${a.confidence}) at ${a.timestamp}`,
    a.description,
    `file ${a.file}, frames ${first}-${last} of the original capture (anomaly at frame ${a.packet_index}, ${a.packet_count} packet${a.packet_count === 1 ? '' : 's'})`,
  ].join('\n');
}

/**
 * The pcapng bytes of the packets around an anomaly (`l1t export pcap`, `GET /api/anomalies/:id/pcap`):
 * one section whose comment names the anomaly, one interface, and per packet a comment with its frame
 * number in the original capture (marking the anomaly's own packet).
 */
export function anomalyPcapng(a: Anomaly, packets: readonly SlicePacket[], first: number, last: number): Uint8Array {
  const writer = createPcapngWriter({
    linkType: packets[0]?.linkType ?? 1,
    comment: anomalySectionComment(a, first, last),
    interfaceName: 'l1t export',
  });
  const end = typeof a.evidence.end_packet_index === 'number' ? a.evidence.end_packet_index : a.packet_index;
  const chunks = [writer.header()];
  for (const p of packets) {
    const mark =
      p.index === a.packet_index
        ? ` <- ${a.type}`
        : p.index > a.packet_index && p.index <= end
          ? ` (inside ${a.type})`
          : '';
    chunks.push(
      writer.record({
        timestampNs: p.tsNs,
        data: p.data,
        originalLength: p.origLen,
        comment: `original frame ${p.index}${mark}`,
      }),
    );
  }
  return concatBytes(chunks);
}

/** What {@link anomalyPcapFromFile} produced. */
export interface AnomalyPcap {
  bytes: Uint8Array;
  /** Frame numbers of the original capture written (first … last) and how many. */
  first: number;
  last: number;
  packets: number;
  /** The range was cut to `maxPackets`. */
  clipped: boolean;
}

/**
 * Re-reads the packets of an anomaly ± `margin` (default 5) from its capture at `path` and returns them as
 * pcapng. Throws `InputError` when the file changed size since analysis (`expectedSize`) or is not a
 * capture; returns `undefined` when none of the frames is in the file.
 */
export async function anomalyPcapFromFile(
  a: Anomaly,
  path: string,
  options: { margin?: number; maxPackets?: number; expectedSize?: number; signal?: AbortSignal } = {},
): Promise<AnomalyPcap | undefined> {
  const range = anomalyPacketRange(a, options.margin ?? 5, options.maxPackets ?? DEFAULT_SLICE_MAX_PACKETS);
  const packets = await readPacketSlice(path, range, {
    ...(options.expectedSize !== undefined ? { expectedSize: options.expectedSize } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (packets.length === 0) return undefined;
  const last = packets[packets.length - 1]!.index;
  return {
    bytes: anomalyPcapng(a, packets, range.first, last),
    first: range.first,
    last,
    packets: packets.length,
    clipped: range.clipped,
  };
}
