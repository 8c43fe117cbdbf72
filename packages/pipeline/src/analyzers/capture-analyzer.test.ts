import { describe, expect, it } from 'vitest';
import type { Profile } from '@l1t/contracts';
import { concatBytes, parseFaultSpec, synthFronthaul } from '../../../capture/src/synth/index.js';
import { FIRST_PART_BYTES, firstChunkSplit } from '../../../capture/src/bytes/first-chunk-split.js';
import type { AnalyzerOutput } from '../analysis-types.js';
import { CaptureAnalyzer } from './capture-analyzer.js';

const PROFILE: Profile = {
  name: 'test',
  scs_khz: 30,
  nrb: 51,
  uplane: { comp_method: 'bfp', iq_width: 9, comp_hdr: 'static' },
  timing: { mode: 'absolute' },
};

/** Feeds `bytes` in chunks of `size` copied into fresh arrays; optionally scribbles over released ones. */
function analyse(bytes: Uint8Array, size: number, scribble: boolean): AnalyzerOutput & { released: number } {
  const a = new CaptureAnalyzer('pcap', { fileName: 'x.pcap', profile: PROFILE });
  const given: { at: number; chunk: Uint8Array }[] = [];
  let released = 0;
  for (let at = 0; at < bytes.length; at += size) {
    const chunk = bytes.slice(at, at + size);
    given.push({ at, chunk });
    a.push(chunk);
    const free = a.releasedBefore();
    if (scribble) {
      // what a pooled reader would do: overwrite every chunk whose bytes all lie before `free`
      for (const g of given) if (g.at + g.chunk.length <= free) g.chunk.fill(0xa5);
    }
    released = Math.max(released, given.filter((g) => g.at + g.chunk.length <= free).length);
  }
  return { ...a.finish(), released };
}

describe('CaptureAnalyzer.releasedBefore', () => {
  it('names only bytes it never reads again: overwriting them changes nothing, records spanning many chunks included', () => {
    const synth = synthFronthaul(
      { durationS: 0.12, nrb: 51, eaxc: { dl: [0, 1], ul: [0] }, ptp: true },
      parseFaultSpec('seq_gap@0.03;iq_zero@0.05;iq_saturation@0.07;oran_malformed@0.09'),
      3,
    );
    const bytes = concatBytes([...synth]);
    for (const size of [3001, 65536]) {
      const clean = analyse(bytes, size, false);
      const reused = analyse(bytes, size, true);
      expect(reused.released).toBeGreaterThan(10);
      expect(reused.anomalies).toEqual(clean.anomalies);
      expect(reused.metrics).toEqual(clean.metrics);
      expect(reused.summary).toEqual(clean.summary);
      expect(clean.anomalies.length).toBeGreaterThan(0);
    }
  });

  it('reads a first chunk in two parts with the results of small chunks, released bytes scribbled over', () => {
    const synth = synthFronthaul(
      { durationS: 0.05, nrb: 51, eaxc: { dl: [0], ul: [0] }, ptp: true },
      parseFaultSpec('seq_gap@0.02;iq_zero@0.03'),
      5,
    );
    const bytes = concatBytes([...synth]);
    const small = analyse(bytes, 3001, false);
    expect(small.anomalies.length).toBeGreaterThan(0);
    // the whole file as one chunk, and chunks of 150 001 bytes (first part, then the rest of the first chunk)
    for (const size of [bytes.length, 150_001]) {
      expect(firstChunkSplit(size)).toBe(FIRST_PART_BYTES);
      const r = analyse(bytes, size, true);
      expect(r.anomalies).toEqual(small.anomalies);
      expect(r.metrics).toEqual(small.metrics);
      expect(r.summary).toEqual(small.summary);
    }
  });
});

describe('CaptureAnalyzer without the file views (AnalyzerContext.views false, the CLI --no-store)', () => {
  it('gives the same findings, metrics and summary (detected timing mode and references included), no views', () => {
    const synth = synthFronthaul(
      { durationS: 0.12, nrb: 51, eaxc: { dl: [0, 1], ul: [0] }, ptp: true },
      parseFaultSpec('seq_gap@0.03;iq_zero@0.05;iq_saturation@0.07;rx_window_late@0.09'),
      3,
    );
    const bytes = concatBytes([...synth]);
    // relative timing: the detected references come from the views' timing summary
    const profile: Profile = { ...PROFILE, timing: { mode: 'relative' } };
    const run = (views: boolean | undefined): AnalyzerOutput => {
      const a = new CaptureAnalyzer('pcap', {
        fileName: 'x.pcap',
        profile,
        ...(views === undefined ? {} : { views }),
      });
      a.push(bytes);
      return a.finish();
    };
    const kept = run(undefined);
    const dropped = run(false);
    expect(kept.views?.heatmaps.length).toBeGreaterThan(0);
    expect(dropped.views).toBeUndefined();
    expect(dropped.anomalies).toEqual(kept.anomalies);
    expect(dropped.metrics).toEqual(kept.metrics);
    expect(dropped.summary).toEqual(kept.summary);
    const detected = kept.summary.details['detected'] as { timing_mode: string; timing_reference_us: object };
    expect(detected.timing_mode).toBe('relative');
    expect(Object.keys(detected.timing_reference_us).length).toBeGreaterThan(0);
    expect(kept.anomalies.length).toBeGreaterThan(0);
  });
});
