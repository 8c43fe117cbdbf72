import { DecodedPacket } from '@l1t/capture';

/** Fields of a hand-made O-RAN packet (everything else keeps the DecodedPacket defaults). */
export interface OranPacketSpec {
  index: number;
  /** Capture time in ns (default: index × 10 µs after 2026-11-26T00:00:00Z). */
  tsNs?: bigint;
  eaxc?: number;
  plane?: 'c' | 'u';
  direction?: 'dl' | 'ul';
  seq: number;
  eBit?: number;
  subseq?: number;
  frameId?: number;
  subframeId?: number;
  slotId?: number;
  symbolId?: number;
}

export const T0_NS = 1_795_651_200_000_000_000n; // 2026-11-26T00:00:00Z

/**
 * A fresh DecodedPacket that looks like the decoder's output for one O-RAN message (no bytes behind
 * it beyond a 64-byte zero frame): for detector unit tests that need exact sequence ids and flows.
 */
export function oranPacket(s: OranPacketSpec): DecodedPacket {
  const p = new DecodedPacket();
  fillOranPacket(p, s);
  return p;
}

/** Same as {@link oranPacket} into an existing (reused) packet. */
export function fillOranPacket(p: DecodedPacket, s: OranPacketSpec): DecodedPacket {
  p.index = s.index;
  p.tsNs = s.tsNs ?? T0_NS + BigInt(s.index) * 10_000n;
  p.linkType = 1;
  if (p.data.length !== 64) p.data = new Uint8Array(64);
  p.kind = 'ecpri';
  p.findings.reset();
  p.hasOran = true;
  p.oranCount = 1;
  const o = p.oran;
  o.plane = s.plane ?? 'u';
  o.eaxc = s.eaxc ?? 0;
  o.duPortId = o.eaxc >> 14;
  o.bandSectorId = (o.eaxc >> 8) & 0x3f;
  o.ccId = (o.eaxc >> 4) & 0xf;
  o.ruPortId = o.eaxc & 0xf;
  o.dataDirection = (s.direction ?? 'dl') === 'dl' ? 1 : 0;
  o.sequenceId = s.seq & 0xff;
  o.eBit = s.eBit ?? 1;
  o.subsequenceId = s.subseq ?? 0;
  o.frameId = s.frameId ?? 0;
  o.subframeId = s.subframeId ?? 0;
  o.slotId = s.slotId ?? 0;
  o.symbolId = s.symbolId ?? 0;
  o.headerComplete = true;
  o.payloadVersion = 1;
  return p;
}

/** Packets 1 … n with the given sequence ids on one flow, 10 µs apart. */
export function seqPackets(
  ids: readonly number[],
  flow: Omit<OranPacketSpec, 'index' | 'seq'> = {},
  firstIndex = 1,
): DecodedPacket[] {
  return ids.map((seq, i) => oranPacket({ ...flow, index: firstIndex + i, seq }));
}
