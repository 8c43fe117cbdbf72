import { describe, expect, it } from 'vitest';
import { detectedRows, type DetectedValues } from './detected-rows';

/** fh_ks.pcap's detected values, as packages/pipeline/src/detected-values.samples.test.ts pins them. */
const FH_KS: DetectedValues = {
  scs_khz: 30,
  scs_source: 'inferred from slotId range 0..1 (no scs_khz in profile)',
  max_slot_id: 1,
  max_prb: 50,
  comp_methods: ['none'],
  iq_widths: [16],
  eaxc: { 'c|dl': [1, 2], 'u|dl': [1, 2] },
  timing_mode: 'absolute',
  timing_reference_us: {},
};
const profile = (over: object) => ({
  name: 'p',
  scs_khz: null,
  nrb: null,
  comp_method: null,
  iq_width: null,
  timing_mode: null,
  ...over,
});

describe('detected values beside the profile', () => {
  it('no profile: every setting shown as inferred, nothing flagged', () => {
    const rows = detectedRows(FH_KS, undefined);
    expect(rows.map((r) => [r.setting, r.detected, r.profile, r.differs])).toEqual([
      ['Subcarrier spacing (kHz)', '30', 'not set (inferred)', false],
      ['NRB (PRBs)', '≥ 51', 'not set (inferred)', false],
      ['U-plane compression', 'none', 'not set (inferred)', false],
      ['IQ width (bits)', '16', 'not set (inferred)', false],
      ['Timing mode', 'absolute', 'not set (inferred)', false],
      ['eAxC ids, C-plane DL', '1, 2', '—', false],
      ['eAxC ids, U-plane DL', '1, 2', '—', false],
    ]);
  });

  it('a matching profile (MANIFEST: 51 PRBs, none, 16) flags nothing', () => {
    const rows = detectedRows(FH_KS, profile({ scs_khz: 30, nrb: 51, comp_method: 'none', iq_width: 16 }));
    expect(rows.filter((r) => r.differs)).toEqual([]);
  });

  it('a wrong profile flags SCS, an NRB below the PRBs seen, compression and width', () => {
    const rows = detectedRows(FH_KS, profile({ scs_khz: 15, nrb: 50, comp_method: 'bfp', iq_width: 9 }));
    expect(rows.filter((r) => r.differs).map((r) => r.setting)).toEqual([
      'Subcarrier spacing (kHz)',
      'NRB (PRBs)',
      'U-plane compression',
      'IQ width (bits)',
    ]);
  });

  it('a relative capture (VIAVI_MIMO_DL_cap5) shows the learned reference offset', () => {
    const rows = detectedRows(
      { ...FH_KS, timing_mode: 'relative', timing_reference_us: { dl_uplane: -90458.3698 } },
      undefined,
    );
    expect(rows.find((r) => r.setting === 'Reference offset dl_uplane (µs)')?.detected).toBe('-90458.4');
  });

  it('an NRB above the highest PRB seen is not a mismatch (sections may not reach the carrier edge)', () => {
    expect(detectedRows(FH_KS, profile({ nrb: 106 }))[1]!.differs).toBe(false);
  });
});
