import type { CaptureRecordInput, CaptureWriter } from './capture-writer.js';
import { splitEpochNs } from './timestamp.js';

/*
 * libpcap file format (draft-ietf-opsawg-pcap §4, §5), written little-endian:
 *
 *  global header (24 bytes)                      record header (16 bytes)
 *  +----------------------------------+          +----------------------------------+
 *  | magic a1b2c3d4 (µs) / a1b23c4d (ns)|        | ts seconds                       |
 *  | major 2 | minor 4                |          | ts µs or ns                      |
 *  | reserved1 (thiszone) = 0         |          | captured length                  |
 *  | reserved2 (sigfigs) = 0          |          | original length                  |
 *  | snaplen                          |          +----------------------------------+
 *  | linktype (1 = Ethernet)          |          then the frame bytes
 *  +----------------------------------+
 */

export interface PcapWriterOptions {
  /** Nanosecond timestamps (magic a1b23c4d). Default true; false writes microseconds (a1b2c3d4). */
  nanosecond?: boolean;
  /** LINKTYPE_* value. Default 1 (Ethernet). */
  linkType?: number;
  /** Snap length. Default 262144. */
  snaplen?: number;
}

/** pcap magic numbers (as read little-endian from the file). */
export const PCAP_MAGIC_US = 0xa1b2c3d4;
export const PCAP_MAGIC_NS = 0xa1b23c4d;

/** A streaming libpcap writer (nanosecond timestamps by default). */
export function createPcapWriter(options: PcapWriterOptions = {}): CaptureWriter {
  const nanosecond = options.nanosecond ?? true;
  const linkType = options.linkType ?? 1;
  const snaplen = options.snaplen ?? 262144;

  const finishRecord = (
    _buf: Uint8Array,
    view: DataView,
    offset: number,
    frameLength: number,
    sec: number,
    nsec: number,
    _comment?: Uint8Array,
    originalLength?: number,
  ): number => {
    view.setUint32(offset, sec, true);
    view.setUint32(offset + 4, nanosecond ? nsec : Math.floor(nsec / 1000), true);
    view.setUint32(offset + 8, frameLength, true);
    view.setUint32(offset + 12, originalLength ?? frameLength, true);
    return 16 + frameLength;
  };

  return {
    format: 'pcap',
    recordHeaderLength: 16,
    header(): Uint8Array {
      const out = new Uint8Array(24);
      const v = new DataView(out.buffer);
      v.setUint32(0, nanosecond ? PCAP_MAGIC_NS : PCAP_MAGIC_US, true);
      v.setUint16(4, 2, true);
      v.setUint16(6, 4, true);
      v.setUint32(16, snaplen, true);
      v.setUint32(20, linkType, true);
      return out;
    },
    maxRecordLength(frameLength: number): number {
      return 16 + frameLength;
    },
    finishRecord,
    record(rec: CaptureRecordInput): Uint8Array {
      const out = new Uint8Array(16 + rec.data.length);
      out.set(rec.data, 16);
      const { sec, nsec } = splitEpochNs(rec.timestampNs);
      finishRecord(out, new DataView(out.buffer), 0, rec.data.length, sec, nsec, undefined, rec.originalLength);
      return out;
    },
  };
}
