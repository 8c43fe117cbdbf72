import type { Severity } from '@l1t/contracts';
import { isoNs } from '../time-format.js';
import { worseSeverity } from '../framework/severity.js';
import { incidentScope } from './incident-scope.js';
import { findingSpan } from './incident-span.js';
import { incidentStory } from './incident-story.js';
import type { IncidentFinding, IncidentGroup } from './incident-types.js';

/**
 * How far apart two findings of one scope may be and still be one incident ("the same time span",
 * reference/anomalies.md §Incidents), in ms. PTP reacts in seconds: an Announce timeout is 3 × the
 * Announce interval (G.8275.1 §6.2: 3 × 125 ms … 3 × 8 s over the profiles in use) and a BMCA switch takes
 * a few Announce intervals more, so 10 s keeps one grandmaster episode together while the next one a minute
 * later is its own. A fronthaul fault shows within a few slots on every plane of an eAxC: 1 s.
 */
export const INCIDENT_JOIN_MS: Readonly<Record<'timing' | 'fronthaul' | 'ue', number>> = {
  timing: 10_000,
  fronthaul: 1_000,
  ue: 10_000,
};

interface Open {
  scope: string;
  startNs: bigint;
  endNs: bigint;
  members: IncidentFinding[];
}

/**
 * Groups a file's findings into incidents: findings of one scope (incident-scope.ts) whose spans overlap
 * or lie within INCIDENT_JOIN_MS of each other form one incident (transitively, in time order). Every finding
 * with a readable timestamp belongs to exactly one incident (a lone finding is an incident of one), so the
 * incident list accounts for every finding. Deterministic: the same findings in any order give the same
 * incidents, earliest first.
 */
export function groupIncidents(findings: readonly IncidentFinding[]): IncidentGroup[] {
  const byScope = new Map<string, { f: IncidentFinding; start: bigint; end: bigint }[]>();
  for (const f of findings) {
    const span = findingSpan(f);
    if (!span) continue;
    const scope = incidentScope(f);
    let list = byScope.get(scope);
    if (!list) byScope.set(scope, (list = []));
    list.push({ f, ...span });
  }
  const groups: Open[] = [];
  for (const [scope, list] of byScope) {
    list.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.f.id < b.f.id ? -1 : 1));
    let open: Open | undefined;
    for (const { f, start, end } of list) {
      const joinNs = BigInt(INCIDENT_JOIN_MS[f.source] ?? 1_000) * 1_000_000n;
      if (open && start <= open.endNs + joinNs) {
        open.members.push(f);
        if (end > open.endNs) open.endNs = end;
      } else {
        open = { scope, startNs: start, endNs: end, members: [f] };
        groups.push(open);
      }
    }
  }
  groups.sort((a, b) => (a.startNs < b.startNs ? -1 : a.startNs > b.startNs ? 1 : a.scope.localeCompare(b.scope)));
  return groups.map(toGroup);
}

function toGroup(g: Open): IncidentGroup {
  const types: Record<string, number> = {};
  let severity: Severity = 'info';
  const grandmasters = new Set<string>();
  for (const f of g.members) {
    types[f.type] = (types[f.type] ?? 0) + 1;
    severity = worseSeverity(severity, f.severity);
    if (f.type === 'ptp_gm_change')
      for (const k of ['from_grandmaster', 'to_grandmaster'])
        if (typeof f.evidence?.[k] === 'string') grandmasters.add(f.evidence[k] as string);
  }
  const story = incidentStory({
    scope: g.scope,
    types,
    firstType: g.members[0]!.type,
    grandmasters: grandmasters.size,
  });
  return {
    scope: g.scope,
    ...story,
    severity,
    start: isoNs(g.startNs),
    end: isoNs(g.endNs),
    finding_ids: g.members.map((f) => f.id),
    types,
  };
}
