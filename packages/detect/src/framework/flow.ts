import { formatMac, type DecodedPacket } from '@l1t/capture';
import type { FlowKey, RadioKey } from '@l1t/contracts';

/**
 * Flow identity of an O-RAN message (anomalies.md: eAxC × plane × direction). `flowIndex` is a small
 * integer (0 … 2^18 − 1) for typed-array or Map state on the hot path; the object forms below allocate and
 * are meant for reporting only.
 */
export const FLOW_INDEX_COUNT = 1 << 18;

/** `eaxc << 2 | (C-plane ? 2 : 0) | (DL ? 1 : 0)` of the packet's O-RAN message (check `p.hasOran` first). */
export function flowIndex(p: DecodedPacket): number {
  const o = p.oran;
  return (o.eaxc << 2) | (o.plane === 'c' ? 2 : 0) | (o.dataDirection & 1);
}

/** `u|dl|eaxc=1` — the text form used in aggregation keys and counter names. */
export function flowName(p: DecodedPacket): string {
  const o = p.oran;
  return `${o.plane}|${o.dataDirection === 1 ? 'dl' : 'ul'}|eaxc=${o.eaxc}`;
}

/** Same as {@link flowName} from a {@link flowIndex}. */
export function flowNameOfIndex(fi: number): string {
  return `${fi & 2 ? 'c' : 'u'}|${fi & 1 ? 'dl' : 'ul'}|eaxc=${fi >>> 2}`;
}

/** `eAxC 1 U-plane DL` for descriptions. */
export function flowLabel(p: DecodedPacket): string {
  const o = p.oran;
  return `eAxC ${o.eaxc} ${o.plane === 'c' ? 'C' : 'U'}-plane ${o.dataDirection === 1 ? 'DL' : 'UL'}`;
}

/** The anomaly `flow` object of an O-RAN packet: eAxC and its split, plane, direction, MACs, outer VLAN. */
export function flowKeyOf(p: DecodedPacket): FlowKey {
  const f: FlowKey = {};
  if (p.hasOran) {
    const o = p.oran;
    f.eaxc = o.eaxc;
    f.du_port = o.duPortId;
    f.band_sector = o.bandSectorId;
    f.cc = o.ccId;
    f.ru_port = o.ruPortId;
    f.plane = o.plane;
    f.direction = o.dataDirection === 1 ? 'dl' : 'ul';
  }
  const src = formatMac(p.data, p.link.srcMacOffset);
  const dst = formatMac(p.data, p.link.dstMacOffset);
  if (src !== undefined) f.src_mac = src;
  if (dst !== undefined) f.dst_mac = dst;
  const vlan = p.link.vlanIds[0];
  if (p.link.vlanIds.length > 0 && vlan !== undefined) f.vlan = vlan;
  return f;
}

/** The anomaly `radio` object of an O-RAN packet (frame/subframe/slot/symbol; C-plane: start symbol). */
export function radioOf(p: DecodedPacket): RadioKey | undefined {
  if (!p.hasOran || !p.oran.headerComplete) return undefined;
  const o = p.oran;
  return { frame_id: o.frameId, subframe_id: o.subframeId, slot_id: o.slotId, symbol_id: o.symbolId };
}
