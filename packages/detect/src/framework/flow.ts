import { formatMac, type DecodedPacket, type OranMessage } from '@l1t/capture';
import type { FlowKey, RadioKey } from '@l1t/contracts';

/**
 * What a fronthaul flow is — the one definition every detector uses (anomalies.md: eAxC × plane ×
 * direction), on one Ethernet link: two O-RUs behind one capture point reuse the same eAxC ids, so the
 * link (outer VLAN + the unordered MAC pair, `link-table.ts`) is part of the identity.
 *
 * ```
 * FlowRef
 *   link     small id of VLAN + MAC pair (0 = the first link seen)         link-table.ts
 *   index    eaxc << 2 | C-plane << 1 | DL, unique within a link (< 2^18)   flowIndexOf()
 *   id       dense slot 0 … maxFlows−1 for array-indexed state; reused once the flow is evicted
 *   serial   unique over the file (never reused): tells a reused id from the flow it held before
 *   pairId   dense id of (link, eAxC, direction): C-plane and U-plane of one stream share it (coupling)
 *   name     `u|dl|eaxc=1` (+ `|vlan=…|macs=…` on links after the first): aggregation keys, counters
 *   linkSuffix  that link part alone (`''` on the first link), for keys of groups of flows
 *   label    `eAxC 1 U-plane DL` (+ link): descriptions
 *   key      the anomaly's `flow` object (eAxC split, plane, direction, MACs, outer VLAN)
 * ```
 * Flow refs come from the {@link FlowTable} of the fronthaul stage (`fronthaul-stage.ts`), resolved once per
 * O-RAN message; detectors never build flow identities themselves.
 */
export interface FlowRef {
  readonly id: number;
  readonly serial: number;
  readonly link: number;
  readonly index: number;
  readonly pairId: number;
  readonly pairSerial: number;
  readonly eaxc: number;
  readonly plane: 'c' | 'u';
  readonly dl: boolean;
  readonly name: string;
  readonly linkSuffix: string;
  readonly label: string;
  readonly key: FlowKey;
}

/** Distinct flow indexes within one link. */
export const FLOW_INDEX_COUNT = 1 << 18;

/** `eaxc << 2 | (C-plane ? 2 : 0) | (DL ? 1 : 0)` of an O-RAN message. */
export function flowIndexOf(m: OranMessage): number {
  return (m.eaxc << 2) | (m.plane === 'c' ? 2 : 0) | (m.dataDirection & 1);
}

/** `u|dl|eaxc=1` (+ the link's suffix) from a flow index. */
export function flowNameOfIndex(fi: number, linkSuffix = ''): string {
  return `${fi & 2 ? 'c' : 'u'}|${fi & 1 ? 'dl' : 'ul'}|eaxc=${fi >>> 2}${linkSuffix}`;
}

/** `eAxC 1 U-plane DL` (+ the link's suffix) from a flow index. */
export function flowLabelOfIndex(fi: number, linkSuffix = ''): string {
  return `eAxC ${fi >>> 2} ${fi & 2 ? 'C' : 'U'}-plane ${fi & 1 ? 'DL' : 'UL'}${linkSuffix}`;
}

/**
 * The anomaly `flow` object of an O-RAN message `m` of packet `p` (eAxC and its split, plane, direction,
 * MACs, outer VLAN); without a message, the packet's addresses only (e.g. an eCPRI PDU with no O-RAN
 * message). Allocates: for reporting and once per flow, not per packet.
 */
export function flowKeyOf(p: DecodedPacket, m?: OranMessage): FlowKey {
  const f: FlowKey = {};
  if (m !== undefined) {
    f.eaxc = m.eaxc;
    f.du_port = m.duPortId;
    f.band_sector = m.bandSectorId;
    f.cc = m.ccId;
    f.ru_port = m.ruPortId;
    f.plane = m.plane;
    f.direction = m.dataDirection === 1 ? 'dl' : 'ul';
  }
  const src = formatMac(p.data, p.link.srcMacOffset);
  const dst = formatMac(p.data, p.link.dstMacOffset);
  if (src !== undefined) f.src_mac = src;
  if (dst !== undefined) f.dst_mac = dst;
  const vlan = p.link.vlanIds[0];
  if (p.link.vlanIds.length > 0 && vlan !== undefined) f.vlan = vlan;
  return f;
}

/** The anomaly `radio` object of an O-RAN message (frame/subframe/slot/symbol; C-plane: start symbol). */
export function radioOf(m: OranMessage): RadioKey | undefined {
  if (!m.headerComplete) return undefined;
  return { frame_id: m.frameId, subframe_id: m.subframeId, slot_id: m.slotId, symbol_id: m.symbolId };
}

/**
 * The radio slot an O-RAN message belongs to, as one integer: `frameId << 10 | subframeId << 6 | slotId`
 * (O-RAN WG4 CUS §5.4.4.7–9: frameId 8 bits, subframeId 4 bits, slotId 6 bits). The one definition of
 * "same slot" for the stage and every detector.
 */
export function slotKeyOf(m: OranMessage): number {
  return (m.frameId << 10) | (m.subframeId << 6) | m.slotId;
}
