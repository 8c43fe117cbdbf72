import { anomalyTypeInfo } from '@l1t/contracts';

/** Title and one-line hypothesis of a group of related findings (reference/anomalies.md §Incidents). */
export interface IncidentStory {
  title: string;
  hypothesis: string;
}

interface StoryInput {
  scope: string;
  /** Member count per type. */
  types: Readonly<Record<string, number>>;
  /** The earliest member's type: the likely cause when no causal rule applies. */
  firstType: string;
  /** Distinct grandmaster identities the members name (ptp_gm_change from/to). */
  grandmasters: number;
}

const has = (types: Readonly<Record<string, number>>, ...names: string[]): boolean =>
  names.some((n) => (types[n] ?? 0) > 0);

function counted(types: Readonly<Record<string, number>>): string {
  return Object.entries(types)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([t, n]) => `${n} ${t}`)
    .join(', ');
}

/**
 * The causal rules, first match wins. Each names the cause and says the other members are its consequences:
 *  - a grandmaster change makes every slave lose Announce/Sync from the old master while the BMCA settles
 *    (IEEE 1588-2019 §9.3); changes back and forth between two grandmasters are two clocks competing;
 *  - PTP messages at an unannounced rate or with stale timestamps are injected or replayed (a Sync attack)
 *    or come from a misconfigured master (IEEE 1588-2019 §7.7.2: the rate follows logMessageInterval);
 *  - Announce and Sync both stopping on a domain is the master (or the path to it) going silent;
 *  - a `traffic_gap` on an eAxC is the sender stopping; the `seq_gap` after it and the C-plane sections left
 *    without U-plane are what it leaves behind (O-RAN CUS §5.4: U-plane follows its C-plane per eAxC);
 *  - `seq_gap` with `cplane_without_uplane` and no traffic gap: U-plane frames lost on the way.
 */
export function incidentStory(s: StoryInput): IncidentStory {
  const t = s.types;
  const total = Object.values(t).reduce((a, b) => a + b, 0);
  const changes = t.ptp_gm_change ?? 0;
  if (changes > 0) {
    const flapping = changes > 1 && s.grandmasters >= 2;
    return {
      title: flapping
        ? `Grandmaster flapping on ${s.scope}: ${changes} changes between ${s.grandmasters} grandmasters`
        : `Grandmaster change on ${s.scope}`,
      hypothesis: flapping
        ? `Two clocks claim the best-master role (a rogue or misconfigured grandmaster, e.g. an Announce attack): the BMCA keeps switching, and each switch brings the Announce timeouts and Sync gaps (${counted(t)}).`
        : `The grandmaster changed (failover or a new best master); the other findings (${counted(t)}) are the switch-over.`,
    };
  }
  if (has(t, 'ptp_message_rate', 'ptp_stale_timestamp'))
    return {
      title: `Abnormal PTP message flow on ${s.scope}`,
      hypothesis: `PTP messages at a rate the port's logMessageInterval does not announce, or carrying stale timestamps: a device injecting or replaying PTP messages (a Sync attack) or a misconfigured master (${counted(t)}).`,
    };
  if (has(t, 'ptp_announce_timeout') && has(t, 'ptp_sync_gap'))
    return {
      title: `PTP master silent on ${s.scope}`,
      hypothesis: `Announce and Sync stopped together: the master port, or the path to it, went silent (${counted(t)}); slaves fall back to holdover.`,
    };
  if (has(t, 'ptp_clock_degraded') && total === (t.ptp_clock_degraded ?? 0))
    return {
      title: `Grandmaster clock degraded on ${s.scope}`,
      hypothesis:
        'The grandmaster lost its time reference (e.g. GNSS) and announces a holdover clockClass: phase drifts until it recovers.',
    };
  if (has(t, 'traffic_gap'))
    return {
      title: `Traffic interruption on ${s.scope}`,
      hypothesis: `The sender stopped for a while (traffic_gap); ${total > (t.traffic_gap ?? 0) ? `the other findings (${counted(t)}) are its consequences, not separate faults` : 'no other finding on this eAxC around it'}.`,
    };
  if (has(t, 'seq_gap') && has(t, 'cplane_without_uplane'))
    return {
      title: `U-plane packets lost on ${s.scope}`,
      hypothesis: `U-plane frames were dropped between the sender and the capture point: the missing sequence ids and the C-plane sections left without U-plane are one loss (${counted(t)}).`,
    };
  const info = anomalyTypeInfo(s.firstType);
  if (total === 1)
    return {
      title: `${info?.title ?? s.firstType} on ${s.scope}`,
      hypothesis: 'A single finding: its evidence says what happened.',
    };
  return {
    title: `${total} related findings on ${s.scope}`,
    hypothesis: `Close in time on ${s.scope}: the earliest, ${s.firstType}, is the likely cause of the others (${counted(t)}).`,
  };
}
