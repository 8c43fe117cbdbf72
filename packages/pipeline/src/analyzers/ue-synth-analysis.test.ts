import { parseUeFaultSpec, synthUe } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { analyzeFile, type AnalyzeInput } from '../analyze-file.js';

const input = (name: string, bytes: Uint8Array): AnalyzeInput => ({
  name,
  size: bytes.length,
  open: async function* () {
    for (let o = 0; o < bytes.length; o += 4096) yield bytes.subarray(o, o + 4096);
  },
});

/** Every UE fault the generator injects, in one 30 s log, far enough apart not to touch each other. */
const ALL =
  'rsrp_low@4;bler_high@4.5;rsrp_drop@8;sinr_drop@10.5;rx_imbalance@13;harq_failure@16;out_of_sync@18;' +
  'radio_link_failure@20;rach_failure@22;ul_power_limited@24;timing_advance_jump@27;beam_failure@28.5';

describe('a synthetic UE log through the pipeline', () => {
  for (const format of ['qmdl', 'dlf'] as const) {
    it(`${format}: each of the 12 injected faults is one finding at its labelled record, nothing else`, async () => {
      const s = synthUe({ durationS: 30, format }, parseUeFaultSpec(ALL), 3);
      const r = await analyzeFile(input(`all.${format}`, s.bytes));
      expect(r.status).toBe('done');
      expect(r.format).toBe(format === 'qmdl' ? 'diag_hdlc' : 'dlf');
      expect(r.summary).toMatchObject({ records: s.stats.records, unknownRecords: 0, malformedRecords: 0 });
      expect(r.anomalies).toHaveLength(12);
      for (const l of s.labels) {
        const a = r.anomalies.find((x) => x.type === l.type)!;
        expect([l.type, a.radio]).toEqual([l.type, expect.objectContaining(l.radio)]);
        // the finding starts at the label, or (windowed types) its span holds the label's time
        const t = l.timestamp;
        expect([
          l.type,
          a.packet_index === l.packet_index || (a.timestamp <= t && (a.end_timestamp ?? a.timestamp) >= t),
        ]).toEqual([l.type, true]);
      }
      // ul_power_limited judged on the 0xB16E v25 PUSCH power against Pcmax (not the 0xB064 headroom reports)
      expect(r.anomalies.find((a) => a.type === 'ul_power_limited')!.evidence).toMatchObject({
        pcmax_dbm: 23,
        min_headroom_db: 0,
      });
    });
  }

  it('a clean 30 s log gives no finding, and the summary says every UE detector had input', async () => {
    const s = synthUe({ durationS: 30, format: 'qmdl' }, [], 4);
    const r = await analyzeFile(input('clean.qmdl', s.bytes));
    expect(r.anomalies).toEqual([]);
    const ran = String(r.summary.details.ue_detectors).split(', ');
    for (const t of ['rsrp_low', 'rx_imbalance', 'out_of_sync', 'bler_high', 'harq_failure', 'ul_power_limited'])
      expect(ran).toContain(t);
    expect(ran).toEqual(
      expect.arrayContaining(['rach_failure', 'timing_advance_jump', 'rsrp_drop', 'sinr_drop', 'beam_failure']),
    );
  });
});
