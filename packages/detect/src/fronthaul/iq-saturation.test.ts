import { DecodedPacket } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { MS, T0, ofType, recordingContext, synthDetect, uplanePacket } from '../timing/test-support/detect-helpers.js';
import { iqSaturationDetector } from './iq-saturation.js';
import { end, feed } from '../framework/test-support/feed.js';

/** One slot of `packets` U-plane packets (100 PRBs each) followed by a packet of the next slot. */
function runSlot(
  clippedPerPacket: number[],
  spec: { method?: number; widthInferred?: boolean } = {},
  overrides?: Record<string, Record<string, unknown>>,
) {
  const ctx = recordingContext([iqSaturationDetector], undefined, overrides);
  const d = iqSaturationDetector.create({ profile: undefined, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  clippedPerPacket.forEach((clipped, i) => {
    feed(d, uplanePacket(p, 10 + i, T0 + BigInt(i) * 30_000n, { slotId: 0, symbolId: i, clipped, ...spec }), ctx);
  });
  feed(d, uplanePacket(p, 100, T0 + MS, { slotId: 1 }), ctx);
  end(d, ctx);
  return ctx.occurrences;
}

describe('iq_saturation', () => {
  it('does not report a slot with exactly 1 % of its PRBs clipped (the rule is "more than")', () => {
    expect(runSlot([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0, 1])).toHaveLength(0); // 7 of 1400 = 0.5 %
    expect(runSlot([14, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0])).toHaveLength(0); // 14 of 1400 = 1 %
  });

  it('reports a slot with just over 1 % clipped, at its first packet carrying a clipped PRB', () => {
    const occ = runSlot([0, 0, 15, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]); // 17 of 1400
    expect(occ).toHaveLength(1);
    const o = occ[0]!;
    expect(o.type).toBe('iq_saturation');
    expect(o.packetIndex).toBe(12);
    expect(o.packetCount).toBe(2);
    expect(o.evidence).toMatchObject({
      clipped_prbs: 17,
      prbs: 1400,
      min_clipped_prb_ratio: 0.01,
      iq_width: 9,
      clip_exponent: 7,
    });
    expect(o.flow).toMatchObject({ eaxc: 0, direction: 'dl', plane: 'u' });
    expect(o.radio).toEqual({ frame_id: 0, subframe_id: 0, slot_id: 0 });
    // just past the 1 % threshold: near the floor of a known IQ width (0.75), far below a slot twice over it
    expect(o.confidence).toBeGreaterThanOrEqual(0.75);
    expect(o.confidence).toBeLessThan(runSlot([500])[0]!.confidence);
  });

  it('never judges uncompressed IQ (no exponent: full scale is not clipping)', () => {
    expect(runSlot([50, 50], { method: 0 })).toHaveLength(0);
  });

  it('lowers the confidence when the IQ width was guessed', () => {
    expect(runSlot([50], { widthInferred: true })[0]!.confidence).toBeLessThan(0.9);
  });

  it('takes the ratio from the profile thresholds', () => {
    expect(runSlot([15], {}, { iq_saturation: { min_clipped_prb_ratio: 0.2 } })).toHaveLength(0);
    expect(runSlot([30], {}, { iq_saturation: { min_clipped_prb_ratio: 0.2 } })).toHaveLength(1);
  });

  it('finds the injected fault of a synthetic capture at its labelled packet', () => {
    const run = synthDetect('iq_saturation@0.15', [iqSaturationDetector], {
      config: { durationS: 0.3, eaxc: { dl: [0, 1], ul: [0] } },
    });
    const label = run.labels.find((l) => l.type === 'iq_saturation')!;
    const found = ofType(run.result, 'iq_saturation');
    expect(found).toHaveLength(1);
    expect(found[0]!.packet_index).toBe(label.packet_index);
    expect(found[0]!.flow).toMatchObject({ eaxc: label.flow.eaxc, direction: label.flow.direction });
  });
});
