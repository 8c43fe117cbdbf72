import type { AnomalySource, Severity } from './anomaly.js';

export interface AnomalyTypeInfo {
  readonly type: string;
  readonly source: AnomalySource;
  /** Default severity by the policy of anomalies.md §Severity (a detector may raise or lower it). */
  readonly severity: Severity;
  readonly title: string;
}

function t(type: string, source: AnomalySource, severity: Severity, title: string): AnomalyTypeInfo {
  return { type, source, severity, title };
}

/** The anomaly catalogue of reference/anomalies.md: stable names that tests, dashboards and rows depend on. */
export const ANOMALY_CATALOGUE: readonly AnomalyTypeInfo[] = [
  t('ecpri_malformed', 'fronthaul', 'major', 'Malformed eCPRI header'),
  t('oran_malformed', 'fronthaul', 'major', 'Malformed O-RAN CUS message'),
  t('seq_gap', 'fronthaul', 'critical', 'Sequence IDs missing'),
  t('seq_duplicate', 'fronthaul', 'minor', 'Duplicate sequence ID'),
  t('seq_reorder', 'fronthaul', 'minor', 'Out-of-order sequence ID'),
  t('rx_window_late', 'fronthaul', 'critical', 'Packet after its reception window'),
  t('rx_window_early', 'fronthaul', 'minor', 'Packet before its reception window'),
  t('uplane_without_cplane', 'fronthaul', 'major', 'U-plane without matching C-plane'),
  t('cplane_without_uplane', 'fronthaul', 'major', 'C-plane section without U-plane data'),
  t('prb_out_of_range', 'fronthaul', 'major', 'PRBs beyond the carrier'),
  t('compression_mismatch', 'fronthaul', 'major', 'Compression differs from what was announced'),
  t('iq_saturation', 'fronthaul', 'major', 'IQ saturation (BFP clipping)'),
  t('iq_zero', 'fronthaul', 'major', 'All-zero PRBs on an active flow'),
  t('iq_power_drop', 'fronthaul', 'major', 'IQ power drop'),
  t('traffic_gap', 'fronthaul', 'critical', 'Flow stopped sending'),
  t('ul_symbol_burst_slow', 'fronthaul', 'minor', 'UL symbol burst spread too long'),
  t('window_stat_outlier', 'fronthaul', 'minor', 'Statistical outlier window'),
  t('ptp_sync_gap', 'timing', 'major', 'PTP Sync interval exceeded'),
  t('ptp_announce_timeout', 'timing', 'major', 'PTP Announce timeout'),
  t('ptp_gm_change', 'timing', 'major', 'PTP grandmaster change'),
  t('ptp_clock_degraded', 'timing', 'critical', 'PTP clock class degraded'),
  t('ptp_time_error', 'timing', 'major', 'PTP time error beyond budget'),
  t('ecpri_delay_budget', 'timing', 'major', 'eCPRI one-way delay beyond budget'),
  // Added by our detectors beyond anomalies.md (a detector may add types, never rename the catalogue's).
  t('ptp_sync_sequence_error', 'timing', 'major', 'PTP Sync sequenceId repeated or going backwards'),
  t('ptp_follow_up_missing', 'timing', 'major', 'PTP two-step Sync without its Follow_Up'),
  t('ptp_competing_masters', 'timing', 'major', 'More than one PTP grandmaster qualified in one domain'),
  t('ptp_malformed', 'timing', 'major', 'Malformed PTP message'),
  t('ptp_message_rate', 'timing', 'major', 'PTP message rate far above the announced interval'),
  t('ptp_stale_timestamp', 'timing', 'major', 'PTP origin timestamp inconsistent with the capture clock'),
  t('ptp_servo_unlocked', 'timing', 'major', 'PTP servo lost or never reached lock (linuxptp log)'),
  t('ptp_port_fault', 'timing', 'major', 'PTP port fault (linuxptp log)'),
  t('ptp_path_delay_jump', 'timing', 'minor', 'PTP mean path delay changed level'),
  t('rsrp_drop', 'ue', 'major', 'Serving-cell RSRP drop'),
  t('sinr_drop', 'ue', 'major', 'Serving-cell SINR drop'),
  t('rsrp_low', 'ue', 'major', 'Serving-cell RSRP low'),
  t('rx_imbalance', 'ue', 'minor', 'Receive-chain imbalance'),
  t('bler_high', 'ue', 'major', 'BLER above target'),
  t('harq_failure', 'ue', 'major', 'HARQ failure'),
  t('out_of_sync', 'ue', 'major', 'Radio link out-of-sync'),
  t('radio_link_failure', 'ue', 'critical', 'Radio link failure'),
  t('beam_failure', 'ue', 'major', 'Beam failure'),
  t('rach_failure', 'ue', 'major', 'Random access failure'),
  t('ul_power_limited', 'ue', 'major', 'UL power limited'),
  t('timing_advance_jump', 'ue', 'minor', 'Timing advance jump'),
  t('attach_failure', 'ue', 'major', 'Attach failure'),
  t('abnormal_detach', 'ue', 'major', 'Abnormal detach'),
  t('attach_storm', 'ue', 'major', 'Attach storm'),
  t('ue_behaviour_outlier', 'ue', 'minor', 'UE behaviour outlier'),
];

const BY_TYPE = new Map(ANOMALY_CATALOGUE.map((i) => [i.type, i]));

/** Catalogue entry of a type, or undefined for a detector-added type. */
export function anomalyTypeInfo(type: string): AnomalyTypeInfo | undefined {
  return BY_TYPE.get(type);
}
