import { ByteWriter } from './byte-writer.js';

/** One record of a fixture pcap. */
export interface PcapPacketSpec {
  /** Seconds since the epoch (record header offset 0). */
  tsSec: number;
  /** µs, or ns when the file is `nanos` (record header offset 4). */
  tsFrac: number;
  /** The captured bytes (their length is written as caplen unless `capLen` overrides). */
  data: Uint8Array;
  /** Original length on the wire; default data.length. */
  origLen?: number;
  /** Hostile fixtures: caplen field value regardless of `data`. */
  capLen?: number;
}

export interface PcapFileSpec {
  byteOrder?: 'le' | 'be';
  /** Nanosecond magic a1b23c4d instead of a1b2c3d4. */
  nanos?: boolean;
  snapLen?: number;
  /** LINKTYPE_* value (1 Ethernet, 113 Linux SLL, 276 SLL2, …). */
  linkType?: number;
  versionMajor?: number;
  versionMinor?: number;
  packets: PcapPacketSpec[];
}

/** Builds a classic pcap file (draft-ietf-opsawg-pcap §4/§5) in the chosen byte order. */
export function buildPcap(spec: PcapFileSpec): Uint8Array {
  const w = new ByteWriter(spec.byteOrder !== 'be');
  w.u32(spec.nanos ? 0xa1b23c4d : 0xa1b2c3d4); // magic: written in file byte order
  w.u16(spec.versionMajor ?? 2); // major version
  w.u16(spec.versionMinor ?? 4); // minor version
  w.u32(0); // thiszone (reserved, 0)
  w.u32(0); // sigfigs (reserved, 0)
  w.u32(spec.snapLen ?? 262144); // snaplen
  w.u32(spec.linkType ?? 1); // LinkType (+ FCS bits, 0 here)
  for (const p of spec.packets) {
    w.u32(p.tsSec); // ts seconds
    w.u32(p.tsFrac); // ts µs or ns
    w.u32(p.capLen ?? p.data.length); // captured length
    w.u32(p.origLen ?? p.data.length); // original length
    w.bytes(p.data); // packet bytes (no padding in pcap)
  }
  return w.toBytes();
}
