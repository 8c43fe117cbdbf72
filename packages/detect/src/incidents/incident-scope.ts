import type { IncidentFinding } from './incident-types.js';

/**
 * The "related flows" of reference/anomalies.md §Incidents: findings can only share an incident when they
 * share a scope —
 *  - PTP: one PTP domain (IEEE 1588-2019 §7.1: the BMCA, grandmaster and every port's Announce/Sync live in
 *    a domain), whatever port announced;
 *  - fronthaul: one eAxC on one Ethernet link across planes and directions (O-RAN WG4 CUS §3.1.3: C- and
 *    U-plane of an eAxC are one antenna-carrier; DL and UL run between the same MAC pair, swapped);
 *  - UE: one cell (PCI/EARFCN or the decoder's cell name).
 */
export function incidentScope(f: IncidentFinding): string {
  if (f.type.startsWith('ptp_') || f.flow?.plane === 's') {
    const domain = f.evidence?.domain;
    return typeof domain === 'number' ? `PTP domain ${domain}` : 'PTP';
  }
  if (f.source === 'ue') {
    const r = f.radio ?? {};
    if (r.cell !== undefined) return `cell ${r.cell}`;
    if (r.pci !== undefined) return `cell PCI ${r.pci}${r.earfcn !== undefined ? ` EARFCN ${r.earfcn}` : ''}`;
    return 'UE';
  }
  const link = linkOf(f);
  if (f.flow?.eaxc !== undefined) return `eAxC ${f.flow.eaxc}${link ? ` on ${link}` : ''}`;
  return link ? `link ${link}` : f.source;
}

/** The MAC pair (ordered, so DL and UL name one link) and outer VLAN of a fronthaul flow. */
function linkOf(f: IncidentFinding): string {
  const macs = [f.flow?.src_mac, f.flow?.dst_mac].filter((m): m is string => typeof m === 'string').sort();
  const vlan = f.flow?.vlan !== undefined ? `VLAN ${f.flow.vlan}` : '';
  return [macs.join(' ↔ '), vlan].filter(Boolean).join(' ');
}
