/**
 * ClickHouse migration 0004: the dashboard's top flows are keyed by radio link and eAxC (issue 16: eAxC 0 of
 * unrelated O-RUs was pooled into one row). `p_link_flows` is `p_flows` (0002) with the Ethernet link
 * (MAC pair, VLAN) among its keys, so the top-flows and recurring-issues aggregates still read
 * pre-aggregated rows at 10 M anomalies; it replaces `p_flows`, whose keys it contains.
 */
export const VERSION = 4;
export const NAME = 'link_flows';

export const STATEMENTS: readonly string[] = [
  `ALTER TABLE __DB__.anomalies ADD PROJECTION IF NOT EXISTS p_link_flows
  (
    SELECT session_id, file_id, type, severity, source, eaxc, plane, direction, src_mac, dst_mac, vlan,
           count(), min(timestamp), max(timestamp)
    GROUP BY session_id, file_id, type, severity, source, eaxc, plane, direction, src_mac, dst_mac, vlan
  )`,
  `ALTER TABLE __DB__.anomalies MATERIALIZE PROJECTION p_link_flows`,
  `ALTER TABLE __DB__.anomalies DROP PROJECTION IF EXISTS p_flows`,
];
