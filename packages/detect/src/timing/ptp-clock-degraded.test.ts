import { DecodedPacket, PtpMessageType } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { T0, ofType, ptpPacket, recordingContext, synthDetect } from './test-support/detect-helpers.js';
import { clockClassMeaning, ptpClockDegradedDetector } from './ptp-clock-degraded.js';
import { end, feed } from '../framework/test-support/feed.js';

function runClasses(classes: number[]) {
  const ctx = recordingContext([ptpClockDegradedDetector]);
  const d = ptpClockDegradedDetector.create({ profile: undefined, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  classes.forEach((clockClass, i) =>
    feed(d, ptpPacket(p, i + 1, T0 + BigInt(i) * 125_000_000n, { type: PtpMessageType.ANNOUNCE, clockClass }), ctx),
  );
  end(d, ctx);
  return ctx.occurrences;
}

describe('ptp_clock_degraded', () => {
  it('reports every worsening step of G.8275.1 Table 2 (6 → 7 → 135 → 165 → 248)', () => {
    const occ = runClasses([6, 6, 7, 7, 135, 165, 248, 248]);
    expect(occ.map((o) => [o.packetIndex, o.evidence.from_class, o.evidence.to_class])).toEqual([
      [3, 6, 7],
      [5, 7, 135],
      [6, 135, 165],
      [7, 165, 248],
    ]);
    // in-specification holdover (7, 135) is an in-spec transition: info (anomalies.md §Severity)
    expect(occ.map((o) => o.severity)).toEqual(['info', 'info', 'major', 'critical']);
    expect(occ[3]!.evidence).toMatchObject({ to_meaning: 'free-running' });
  });

  it('does not report a steady class, the first class seen, or a recovery', () => {
    expect(runClasses([6, 6, 6])).toHaveLength(0);
    expect(runClasses([248, 248])).toHaveLength(0);
    expect(runClasses([165, 135, 7, 6])).toHaveLength(0);
  });

  it('does not take the return from a reserved class to the class before it as a degradation', () => {
    // one Announce with class 1 (reserved, IEEE 1588-2019 Table 4: ptp_malformed's) between class 6
    expect(runClasses([6, 6, 1, 6, 6])).toHaveLength(0);
    expect(runClasses([7, 250, 6])).toHaveLength(0);
    expect(runClasses([6, 250, 250])).toHaveLength(0);
    // but a step beyond the last valid class is one, and a reserved class at the start is the baseline
    expect(runClasses([6, 1, 7]).map((o) => [o.packetIndex, o.evidence.from_class, o.evidence.to_class])).toEqual([
      [3, 1, 7],
    ]);
    expect(runClasses([1, 1, 135]).map((o) => [o.packetIndex, o.evidence.to_class])).toEqual([[3, 135]]);
  });

  it('names the classes', () => {
    expect(clockClassMeaning(6)).toBe('locked to PRTC');
    expect(clockClassMeaning(135)).toMatch(/holdover/);
    expect(clockClassMeaning(52)).toMatch(/not a G.8275.1 class/);
  });

  it('finds the injected fault of a synthetic capture at its labelled packet', () => {
    const run = synthDetect('ptp_clock_degraded@0.3:class=248', [ptpClockDegradedDetector], {
      config: { durationS: 1, eaxc: { dl: [0], ul: [0] } },
      computeIq: false,
    });
    const label = run.labels.find((l) => l.type === 'ptp_clock_degraded')!;
    const found = ofType(run.result, 'ptp_clock_degraded');
    expect(found).toHaveLength(1);
    expect(found[0]!.packet_index).toBe(label.packet_index);
    expect(found[0]!.severity).toBe('critical');
  });
});
