/**
 * The file page's views stay bounded and exact on a longer synthetic capture with injected late messages:
 * the heatmap's columns widen (0.5 s of traffic in ≤ 240 columns), the histograms still count every judged
 * message (late ones included, as RX_LATE says) and the late messages are in the scatter.
 */
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { concatBytes, parseFaultSpec, synthFronthaul } from '../../capture/src/synth/index.js';
import { analyzeFile, type AnalyzeInput } from './analyze-file.js';

const PROFILE: Profile = {
  scs_khz: 15,
  nrb: 12,
  eaxc_bits: { du_port: 2, band_sector: 6, cc: 4, ru_port: 4 },
  uplane: { comp_method: 'bfp', iq_width: 9, comp_hdr: 'static' },
  timing: { mode: 'absolute' },
};

function bytesInput(name: string, bytes: Uint8Array): AnalyzeInput {
  return {
    name,
    size: bytes.length,
    async *open() {
      for (let at = 0; at < bytes.length; at += 65536) yield bytes.subarray(at, at + 65536);
    },
  };
}

describe('file views on a synthetic capture', () => {
  it('bounds the grid, keeps the counts exact and puts the late messages in the histogram and scatter', async () => {
    const synth = synthFronthaul(
      { durationS: 0.5, scsKhz: 15, nrb: 12, eaxc: { dl: [0, 1], ul: [0] } },
      parseFaultSpec('rx_window_late@0.25:eaxc=0'),
      3,
    );
    const r = await analyzeFile(bytesInput('synth.pcap', concatBytes([...synth])), { profile: PROFILE });
    const v = r.views!;
    expect(r.anomalies.some((a) => a.type === 'rx_window_late')).toBe(true);
    for (const h of v.heatmaps) {
      expect(h.columns).toBeLessThanOrEqual(240);
      expect(h.column_ms).toBeGreaterThan(0.5);
      const row = v.flows.find((f) => f.name === h.name)!;
      expect(h.zero.reduce((a, b) => a + b, 0)).toBe(row.zero_prbs);
      expect(h.samples.reduce((a, b) => a + b, 0)).toBe(row.iq_prbs);
    }
    let late = 0;
    for (const t of v.timing.flows) {
      const row = v.flows.find((f) => f.name === t.name)!;
      const c = t.name.startsWith('c|') ? '_C' : '';
      expect(
        t.counts.reduce((a, b) => a + b, 0),
        t.name,
      ).toBe(
        (row.counters[`RX_ON_TIME${c}`] ?? 0) +
          (row.counters[`RX_EARLY${c}`] ?? 0) +
          (row.counters[`RX_LATE${c}`] ?? 0),
      );
      expect(t.late).toBe(row.counters[`RX_LATE${c}`] ?? 0);
      late += t.late;
      if (t.late > 0 && t.scatter.every === 1) expect(t.scatter.kind.filter((k) => k === 1).length).toBe(t.late);
    }
    expect(late).toBeGreaterThan(0);
  });
});
