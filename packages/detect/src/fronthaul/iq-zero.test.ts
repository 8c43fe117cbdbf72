import { DecodedPacket } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { MS, T0, ofType, recordingContext, synthDetect, uplanePacket } from '../timing/test-support/detect-helpers.js';
import { iqZeroDetector } from './iq-zero.js';
import { end, feed } from '../framework/test-support/feed.js';

/** One packet (100 PRBs) per slot with the given zero-PRB counts, slot after slot (30 kHz numbering). */
function runSlots(zeros: number[], overrides?: Record<string, Record<string, unknown>>) {
  const ctx = recordingContext([iqZeroDetector], undefined, overrides);
  const d = iqZeroDetector.create({ profile: undefined, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  zeros.forEach((zero, g) => {
    const slot = g % 20;
    uplanePacket(p, g + 1, T0 + (BigInt(g) * MS) / 2n, {
      frameId: Math.floor(g / 20) & 0xff,
      subframeId: slot >> 1,
      slotId: slot & 1,
      zero,
    });
    feed(d, p, ctx);
  });
  end(d, ctx);
  return ctx.occurrences;
}

const energy = (n: number) => Array<number>(n).fill(0);
const silent = (n: number, zero = 100) => Array<number>(n).fill(zero);

describe('iq_zero', () => {
  it('needs min_slots (10) consecutive slots: 9 are not enough', () => {
    expect(runSlots([...energy(20), ...silent(9), ...energy(5)])).toHaveLength(0);
  });

  it('reports 10 consecutive zero slots once, at the first packet of the run, then one occurrence per further slot', () => {
    const occ = runSlots([...energy(20), ...silent(12), ...energy(5)]);
    expect(occ).toHaveLength(3);
    expect(occ[0]!.packetIndex).toBe(21);
    expect(occ[0]!.packetCount).toBe(10);
    expect(occ[0]!.totals).toEqual({ zero_slots: 10 });
    expect(occ[0]!.evidence).toMatchObject({ consecutive_slots: 10, min_slots: 10, min_zero_prb_ratio: 0.5 });
    expect(occ.slice(1).map((o) => o.packetIndex)).toEqual([31, 32]);
  });

  it('counts a slot only when strictly more than half of its PRBs are zero', () => {
    expect(runSlots([...energy(20), ...silent(12, 50)])).toHaveLength(0);
    expect(runSlots([...energy(20), ...silent(12, 51)])).toHaveLength(3);
  });

  it('ignores a flow that never carried energy (idle carrier, capture starting in the silence)', () => {
    expect(runSlots(silent(40))).toHaveLength(0);
    // mostly empty: one busy slot in six (short silences, never 10 in a row), then a long silence
    const sparse = Array.from({ length: 8 }, () => [...energy(1), ...silent(5)]).flat();
    expect(runSlots([...sparse, ...silent(12)])).toHaveLength(0);
    expect(runSlots([...energy(50), ...sparse, ...silent(12)])).toHaveLength(8); // the last silence(5) + 12: 17 slots
  });

  it('takes min_zero_prb_ratio and min_slots from the profile', () => {
    const t = { iq_zero: { min_zero_prb_ratio: 0.9, min_slots: 3 } };
    expect(runSlots([...energy(20), ...silent(3, 90)], t)).toHaveLength(0);
    expect(runSlots([...energy(20), ...silent(3, 91)], t)).toHaveLength(1);
  });

  it('finds the injected fault of a synthetic capture at its labelled packet', () => {
    const run = synthDetect('iq_zero@0.15', [iqZeroDetector], {
      config: { durationS: 0.3, eaxc: { dl: [0, 1], ul: [0] } },
    });
    const label = run.labels.find((l) => l.type === 'iq_zero')!;
    const found = ofType(run.result, 'iq_zero');
    expect(found).toHaveLength(1);
    expect(found[0]!.packet_index).toBe(label.packet_index);
    expect(found[0]!.evidence).toMatchObject({ occurrences: 11, totals: { zero_slots: 20 } });
  });
});
