/**
 * The values a capture shows of the profile's settings (issue 16, `details.detected`), through the real
 * pipeline with no profile, on real captures: each one equals the settings ../shared/samples/MANIFEST.md
 * gives for the file (NRB = highest PRB + 1, compression, IQ width, 30 kHz from slotIds 0..1) and the eAxC ids
 * the captures carry.
 */
import { describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../test-support/shared.js';
import { analyzeFile } from './analyze-file.js';
import type { DetectedValues } from './analyzers/detected-values.js';
import { fileInput } from './sources.js';

const samples = requireSharedDir('samples');
const run = it.runIf(samples.available);

async function detectedOf(file: string): Promise<DetectedValues> {
  const r = await analyzeFile(fileInput(`${samples.path}/${file}`), {});
  return r.summary.details.detected as DetectedValues;
}

describe('detected values of a capture (no profile)', { timeout: 60_000 }, () => {
  run('fh_ks.pcap: 30 kHz, 51 PRBs, uncompressed 16-bit, eAxC 1 and 2 on both DL planes', async () => {
    expect(await detectedOf('Utilities/fh_ks.pcap')).toEqual({
      scs_khz: 30,
      scs_source: 'inferred from slotId range 0..1 (no scs_khz in profile)',
      max_slot_id: 1,
      max_prb: 50,
      comp_methods: ['none'],
      iq_widths: [16],
      eaxc: { 'c|dl': [1, 2], 'u|dl': [1, 2] },
      timing_mode: 'absolute',
      timing_reference_us: {},
    });
  });

  run('fh_1x1.pcap: block floating point 9-bit (MANIFEST: 106 PRBs, bfp, 9)', async () => {
    const d = await detectedOf('Utilities/fh_1x1.pcap');
    expect(d.max_prb).toBe(105);
    expect(d.comp_methods).toEqual(['bfp']);
    expect(d.iq_widths).toEqual([9]);
  });

  run('VIAVI_MIMO_DL_cap5.pcap: relative timing, the DL U-plane reference offset the detector learned', async () => {
    const d = await detectedOf('Utilities/VIAVI_MIMO_DL_cap5.pcap');
    expect(d.max_prb).toBe(105);
    expect(d.timing_mode).toBe('relative');
    expect(d.timing_reference_us).toEqual({ dl_uplane: -90458.3698 });
  });

  run('fh_ks.pcap with its MANIFEST profile: the profile values recorded beside the detected ones', async () => {
    const r = await analyzeFile(fileInput(`${samples.path}/Utilities/fh_ks.pcap`), {
      profile: { name: 'fh_ks', nrb: 51, uplane: { comp_method: 'none', iq_width: 16 }, timing: { mode: 'off' } },
    });
    expect(r.summary.details.profile_settings).toEqual({
      name: 'fh_ks',
      scs_khz: null,
      nrb: 51,
      comp_method: 'none',
      iq_width: 16,
      timing_mode: 'off',
    });
    expect((r.summary.details.detected as DetectedValues).max_prb).toBe(50);
  });

  run('a PTP-only capture has no O-RAN values', async () => {
    expect(await detectedOf('s-plane_security/2024-10-08-sync_attack_1.pcap')).toEqual({
      scs_khz: null,
      scs_source: null,
      max_slot_id: null,
      max_prb: null,
      comp_methods: [],
      iq_widths: [],
      eaxc: {},
      timing_mode: null,
      timing_reference_us: {},
    });
  });
});
