import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { detectFile } from '../timing/test-support/detect-helpers.js';
import { ecpriDelayBudgetDetector } from '../timing/ecpri-delay-budget.js';
import { ptpAnnounceTimeoutDetector } from '../timing/ptp-announce-timeout.js';
import { ptpClockDegradedDetector } from '../timing/ptp-clock-degraded.js';
import { ptpGmChangeDetector } from '../timing/ptp-gm-change.js';
import { ptpSyncGapDetector } from '../timing/ptp-sync-gap.js';
import { ptpSyncSequenceDetector } from '../timing/ptp-sync-sequence.js';
import { iqHealthDetector } from './iq-health.js';
import { iqPowerDropDetector } from './iq-power-drop.js';
import { iqSaturationDetector } from './iq-saturation.js';
import { iqZeroDetector } from './iq-zero.js';
import { trafficGapDetector } from './traffic-gap.js';

/**
 * Real DL captures (shared/samples/Utilities, MANIFEST.md: NRB 106, BFP 9-bit static, eAxC 4/4/4/4) are
 * clean for the IQ, traffic and timing detectors. What the bytes show, checked here:
 *  - fh_1x1 / fh_1x1_non0: every non-zero PRB uses exponent 7 (= 16 − 9, the top of the range), mean
 *    active-PRB power ≈ −3 dBFS, no mantissa at an extreme: no clipping;
 *  - nv_offset0_ref0_2sym: exponents 8–10, beyond 16 − udIqWidth, so samples exceed the 16-bit scale
 *    (active-PRB power ≈ +9 dBFS in the metric). That is over-range, not clipping under the Annex A.1 rule
 *    (exponent at 16 − w and a mantissa at an extreme), so no iq_saturation; eAxC 1 carries only zero PRBs
 *    from its first slot while its C-plane schedules 106 PRBs × 14 symbols in every slot: one iq_zero
 *    (`scheduled_never_energy`), the only finding.
 * Skipped when the samples are absent; a failure under L1T_REQUIRE_ALL_SUITES=1.
 */
const samples = requireSharedDir('samples/Utilities');

const DEFS = [
  iqHealthDetector,
  iqSaturationDetector,
  iqZeroDetector,
  iqPowerDropDetector,
  trafficGapDetector,
  ptpSyncGapDetector,
  ptpAnnounceTimeoutDetector,
  ptpSyncSequenceDetector,
  ptpGmChangeDetector,
  ptpClockDegradedDetector,
  ecpriDelayBudgetDetector,
];
const DECODE = {
  nrb: 106,
  compMethod: 'bfp',
  iqWidth: 9,
  compHdr: 'static',
  eaxcBits: { duPort: 4, bandSector: 4, cc: 4, ruPort: 4 },
} as const;

describe.runIf(samples.available)('clean DL captures (Utilities)', () => {
  it.each(['fh_1x1.pcap', 'fh_1x1_non0.pcap'])('%s gives none of the IQ, traffic or timing types', (file) => {
    const r = detectFile(`${samples.path}/${file}`, DEFS, { decode: DECODE });
    expect(r.anomalies).toEqual([]);
    expect(r.metrics.length).toBeGreaterThan(0);
  });

  it('nv_offset0_ref0_2sym.pcap: only eAxC 1, scheduled by its C-plane and all zeros from frame 4 on', () => {
    const r = detectFile(`${samples.path}/nv_offset0_ref0_2sym.pcap`, DEFS, { decode: DECODE });
    expect(r.anomalies.map((a) => [a.type, a.packet_index, a.flow?.eaxc, a.packet_count])).toEqual([
      ['iq_zero', 4, 1, 336],
    ]);
    expect(r.anomalies[0]!.evidence).toMatchObject({ reason: 'scheduled_never_energy', energetic_slots_before: 0 });
  });

  it('fh_1x1.pcap: IQ metrics per 10 ms show a steady −3 dBFS and no clipping', () => {
    const r = detectFile(`${samples.path}/fh_1x1.pcap`, DEFS, { decode: DECODE });
    const power = r.metrics.filter((m) => m.name === 'iq_mean_prb_power_dbfs');
    expect(power.length).toBeGreaterThanOrEqual(2);
    for (const m of power) expect(m.value).toBeCloseTo(-3, 0);
    for (const m of r.metrics.filter((x) => x.name === 'iq_clipped_prb_ratio')) expect(m.value).toBe(0);
  });

  it('nv_offset0_ref0_2sym.pcap: the over-range power shows in the metric', () => {
    const r = detectFile(`${samples.path}/nv_offset0_ref0_2sym.pcap`, DEFS, { decode: DECODE });
    const power = r.metrics.filter((m) => m.name === 'iq_mean_prb_power_dbfs' && m.labels.eaxc === '0');
    expect(Math.max(...power.map((m) => m.value))).toBeGreaterThan(0);
  });
});
