import { describe, expect, it } from 'vitest';
import { iqHealthDetector } from '../fronthaul/iq-health.js';
import { iqPowerDropDetector } from '../fronthaul/iq-power-drop.js';
import { iqSaturationDetector } from '../fronthaul/iq-saturation.js';
import { iqZeroDetector } from '../fronthaul/iq-zero.js';
import { trafficGapDetector } from '../fronthaul/traffic-gap.js';
import { ecpriDelayBudgetDetector } from './ecpri-delay-budget.js';
import { ptpAnnounceTimeoutDetector } from './ptp-announce-timeout.js';
import { ptpClockDegradedDetector } from './ptp-clock-degraded.js';
import { ptpFollowUpMissingDetector } from './ptp-follow-up-missing.js';
import { ptpGmChangeDetector } from './ptp-gm-change.js';
import { ptpSyncGapDetector } from './ptp-sync-gap.js';
import { ptpSyncSequenceDetector } from './ptp-sync-sequence.js';
import { ptpTimeErrorDetector } from './ptp-time-error.js';
import { ptpCompetingMastersDetector } from './ptp-competing-masters.js';
import { ptpMalformedDetector } from './ptp-malformed.js';
import { ptpMessageRateDetector } from './ptp-message-rate.js';
import { ptpStaleTimestampDetector } from './ptp-stale-timestamp.js';
import { synthDetect } from './test-support/detect-helpers.js';

const ALL = [
  iqHealthDetector,
  iqSaturationDetector,
  iqZeroDetector,
  iqPowerDropDetector,
  trafficGapDetector,
  ptpSyncGapDetector,
  ptpAnnounceTimeoutDetector,
  ptpSyncSequenceDetector,
  ptpFollowUpMissingDetector,
  ptpGmChangeDetector,
  ptpClockDegradedDetector,
  ptpTimeErrorDetector,
  ptpCompetingMastersDetector,
  ptpMalformedDetector,
  ptpMessageRateDetector,
  ptpStaleTimestampDetector,
  ecpriDelayBudgetDetector,
];

describe('IQ, traffic and timing detectors on synthetic captures', () => {
  const config = { durationS: 1, eaxc: { dl: [0, 1], ul: [0] }, ecpriDelay: { ratePerS: 10 } };

  it('clean traffic (PTP, eCPRI delay measurements, absolute timing mode) gives none of their types', () => {
    const run = synthDetect('', ALL, { config, profile: { timing: { mode: 'absolute' } } });
    expect(run.result.anomalies).toEqual([]);
    expect(run.result.warnings).toBeUndefined();
    const names = new Set(run.result.metrics.map((m) => m.name));
    expect([...names].sort()).toEqual([
      'ecpri_one_way_delay_us',
      'iq_clipped_prb_ratio',
      'iq_mean_prb_power_dbfs',
      'iq_zero_prb_ratio',
      'ptp_mean_path_delay_ns',
      'ptp_offset_ns_max_abs',
      'ptp_offset_ns_mean',
    ]);
    for (const m of run.result.metrics.filter((x) => x.name === 'ptp_offset_ns_max_abs'))
      expect(m.value).toBeLessThan(50);
  }, 120_000);

  it('finds several injected faults of one capture, each at its labelled packet', () => {
    const spec =
      'iq_saturation@0.2:eaxc=1;ptp_sync_gap@0.3;ptp_clock_degraded@0.5:class=7;ecpri_delay_budget@0.6;traffic_gap@0.7:dir=ul';
    const run = synthDetect(spec, ALL, { config, profile: { timing: { mode: 'absolute' } } });
    expect(run.labels).toHaveLength(5);
    for (const label of run.labels) {
      const found = run.result.anomalies.filter((a) => a.type === label.type);
      expect(
        found.map((a) => a.packet_index),
        label.type,
      ).toEqual([label.packet_index]);
    }
    expect(run.result.anomalies).toHaveLength(5);
  }, 120_000);
});
