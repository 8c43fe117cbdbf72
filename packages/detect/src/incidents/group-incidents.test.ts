import { describe, expect, it } from 'vitest';
import type { Severity } from '@l1t/contracts';
import { groupIncidents } from './group-incidents.js';
import type { IncidentFinding } from './incident-types.js';

const LINK = { src_mac: '00:11:22:33:44:55', dst_mac: '66:77:88:99:aa:bb', vlan: 3 };
const at = (ms: number): string => new Date(Date.UTC(2026, 10, 26, 3, 0, 0) + ms).toISOString().replace('Z', '000000Z');

let n = 0;
function finding(type: string, ms: number, over: Partial<IncidentFinding> = {}): IncidentFinding {
  n++;
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    type,
    source: type.startsWith('ptp_') ? 'timing' : 'fronthaul',
    severity: 'major' as Severity,
    timestamp: at(ms),
    evidence: {},
    ...over,
  };
}

describe('incident grouping', () => {
  it('groups a traffic gap with the seq_gap and C-plane without U-plane it causes on one eAxC (both directions, both planes)', () => {
    const gap = finding('traffic_gap', 1_000, {
      severity: 'critical',
      flow: { eaxc: 1, plane: 'u', direction: 'dl', ...LINK },
      evidence: { last_timestamp: at(900) },
    });
    const seq = finding('seq_gap', 1_001, { flow: { eaxc: 1, plane: 'u', direction: 'dl', ...LINK } });
    // UL: the MAC pair is swapped, still the same link
    const cpl = finding('cplane_without_uplane', 950, {
      flow: { eaxc: 1, plane: 'c', direction: 'ul', src_mac: LINK.dst_mac, dst_mac: LINK.src_mac, vlan: 3 },
    });
    const other = finding('seq_gap', 1_000, { flow: { eaxc: 2, plane: 'u', direction: 'dl', ...LINK } });
    const later = finding('seq_gap', 5_000, { flow: { eaxc: 1, plane: 'u', direction: 'dl', ...LINK } });
    const groups = groupIncidents([later, other, seq, cpl, gap]);
    expect(groups.map((g) => g.finding_ids)).toEqual([[gap.id, cpl.id, seq.id], [other.id], [later.id]]);
    const [main] = groups;
    expect(main).toMatchObject({
      severity: 'critical',
      title: 'Traffic interruption on eAxC 1 on 00:11:22:33:44:55 ↔ 66:77:88:99:aa:bb VLAN 3',
      types: { traffic_gap: 1, seq_gap: 1, cplane_without_uplane: 1 },
      start: at(900).replace(/\.(\d{3})0+Z/, '.$1000000Z'),
    });
    expect(main!.hypothesis).toMatch(/consequences/);
    expect(groups[1]!.title).toBe('Sequence IDs missing on eAxC 2 on 00:11:22:33:44:55 ↔ 66:77:88:99:aa:bb VLAN 3');
  });

  it('groups a grandmaster change with its announce timeouts and sync gaps on one PTP domain, across ports', () => {
    const ev = (o: Record<string, unknown>) => ({ domain: 24, ...o });
    const members = [
      finding('ptp_gm_change', 0, {
        evidence: ev({ from_grandmaster: 'A', to_grandmaster: 'B' }),
        flow: { plane: 's', ptp_port: 'B:1' },
      }),
      finding('ptp_announce_timeout', 600, {
        evidence: ev({ last_timestamp: at(100) }),
        flow: { plane: 's', ptp_port: 'A:1' },
      }),
      finding('ptp_sync_gap', 600, {
        evidence: ev({ last_timestamp: at(120) }),
        flow: { plane: 's', ptp_port: 'A:1' },
      }),
      finding('ptp_gm_change', 8_000, {
        evidence: ev({ from_grandmaster: 'B', to_grandmaster: 'A' }),
        flow: { plane: 's', ptp_port: 'A:1' },
      }),
    ];
    const otherDomain = finding('ptp_sync_gap', 500, { evidence: { domain: 0 } });
    const minuteLater = finding('ptp_clock_degraded', 80_000, { severity: 'critical', evidence: ev({}) });
    const groups = groupIncidents([...members, otherDomain, minuteLater]);
    expect(groups).toHaveLength(3);
    const gm = groups.find((g) => g.scope === 'PTP domain 24' && g.finding_ids.length === 4)!;
    expect(gm.finding_ids).toEqual(members.map((m) => m.id));
    expect(gm.title).toBe('Grandmaster flapping on PTP domain 24: 2 changes between 2 grandmasters');
    expect(gm.hypothesis).toMatch(/Announce attack/);
    expect(groups.find((g) => g.scope === 'PTP domain 0')!.finding_ids).toEqual([otherDomain.id]);
    expect(groups.at(-1)).toMatchObject({ title: 'Grandmaster clock degraded on PTP domain 24', severity: 'critical' });
  });

  it('names injected or replayed PTP messages (a Sync attack) as such', () => {
    const ev = { domain: 24 };
    const groups = groupIncidents([
      finding('ptp_message_rate', 0, { evidence: ev }),
      finding('ptp_malformed', 100, { evidence: ev }),
      finding('ptp_stale_timestamp', 200, { evidence: ev }),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.title).toBe('Abnormal PTP message flow on PTP domain 24');
    expect(groups[0]!.hypothesis).toMatch(/Sync attack/);
  });

  it('is deterministic whatever the order, and puts every finding in exactly one incident', () => {
    const fs = Array.from({ length: 40 }, (_, i) =>
      finding(i % 3 ? 'seq_gap' : 'rx_window_late', (i * 397) % 4_000, { flow: { eaxc: i % 4, ...LINK } }),
    );
    const a = groupIncidents(fs);
    const b = groupIncidents([...fs].reverse());
    expect(b).toEqual(a);
    const ids = a.flatMap((g) => g.finding_ids);
    expect(new Set(ids).size).toBe(fs.length);
    expect(ids.sort()).toEqual(fs.map((f) => f.id).sort());
  });

  it('keeps findings of different cells and of an unreadable time apart', () => {
    const ue = (pci: number) => finding('rsrp_drop', 0, { source: 'ue', radio: { pci, earfcn: 1300 } });
    const groups = groupIncidents([ue(1), ue(2), finding('seq_gap', 0, { timestamp: 'not a time' })]);
    expect(groups.map((g) => g.scope).sort()).toEqual(['cell PCI 1 EARFCN 1300', 'cell PCI 2 EARFCN 1300']);
  });
});
