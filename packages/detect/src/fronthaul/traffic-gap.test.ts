import { DecodedPacket } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import {
  cplanePacket,
  MS,
  T0,
  ofType,
  recordingContext,
  synthDetect,
  uplanePacket,
} from '../timing/test-support/detect-helpers.js';
import { trafficGapDetector } from './traffic-gap.js';
import { end, feed } from '../framework/test-support/feed.js';

type Plane = 'c' | 'u';

/**
 * Slot after slot (30 kHz: 0.5 ms), each listed plane sends one packet per slot of eAxC 0 DL; `silent`
 * says which slots a plane skips.
 */
function run(
  slots: number,
  silent: (plane: Plane, g: number) => boolean,
  planes: Plane[] = ['c', 'u'],
  profile?: { scs_khz?: 30 },
) {
  const ctx = recordingContext([trafficGapDetector]);
  const d = trafficGapDetector.create({ profile, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  let index = 0;
  for (let g = 0; g < slots; g++) {
    const radio = { frameId: Math.floor(g / 20) & 0xff, subframeId: (g % 20) >> 1, slotId: g & 1 };
    for (const plane of planes) {
      if (silent(plane, g)) continue;
      const ts = T0 + (BigInt(g) * MS) / 2n + (plane === 'u' ? 100_000n : 0n);
      if (plane === 'c') cplanePacket(p, ++index, ts, radio);
      else uplanePacket(p, ++index, ts, radio);
      feed(d, p, ctx);
    }
  }
  end(d, ctx);
  return ctx.occurrences;
}

const gapAt = (from: number, n: number) => (g: number) => g >= from && g < from + n;

describe('traffic_gap', () => {
  it('does not report 4 silent slots, reports 5 (the rule is "more than 4")', () => {
    expect(run(40, (_, g) => gapAt(20, 4)(g))).toHaveLength(0);
    const occ = run(40, (_, g) => gapAt(20, 5)(g));
    expect(occ).toHaveLength(1);
    expect(occ[0]!.evidence).toMatchObject({
      silent_slots: 5,
      threshold_slots: 4,
      planes: ['c', 'u'],
      last_packet_index: 40,
      resumed: true,
    });
  });

  it('gives one finding per eAxC × direction when both planes stop, at the first packet after the gap', () => {
    const occ = run(40, (_, g) => gapAt(20, 8)(g));
    expect(occ).toHaveLength(1);
    const o = occ[0]!;
    expect(o.packetIndex).toBe(41); // C-plane of slot 28 comes first
    expect(o.flow).not.toHaveProperty('plane');
    expect(o.flow).toMatchObject({ eaxc: 0, direction: 'dl' });
    expect(o.aggregationKey).toBe('traffic_gap|dl|eaxc=0');
    expect(o.severity).toBe('critical');
    expect(o.radio).toMatchObject({ frame_id: 1, subframe_id: 4, slot_id: 0 });
  });

  it('gives one finding per plane when only one stops', () => {
    const u = run(40, (plane, g) => plane === 'u' && gapAt(20, 8)(g));
    expect(u).toHaveLength(1);
    expect(u[0]!.flow).toMatchObject({ plane: 'u' });
    expect(u[0]!.packetIndex).toBe(50); // slots 20–27 carry C only (41–48), slot 28: C 49, U 50
    const c = run(40, (plane, g) => plane === 'c' && gapAt(20, 8)(g));
    expect(c).toHaveLength(1);
    expect(c[0]!.flow).toMatchObject({ plane: 'c' });
    expect(c[0]!.severity).toBe('major');
  });

  it("learns a TDD flow's usual silence (a UL slot every 5: 4 silent) and reports only longer ones", () => {
    const tdd = (g: number) => g % 5 !== 4;
    expect(run(100, (_, g) => tdd(g), ['u'])).toHaveLength(0);
    // a usual 7-slot silence repeated is not a gap either
    expect(run(120, (_, g) => g % 8 !== 0, ['u'])).toHaveLength(0);
    const occ = run(100, (_, g) => tdd(g) || gapAt(50, 10)(g), ['u']);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.evidence).toMatchObject({ usual_silent_slots: 4, threshold_slots: 4, silent_slots: 14 }); // 49 → 64
  });

  it('reports a flow that stops for good while the capture goes on, at the last packet', () => {
    const occ = run(60, (plane, g) => plane === 'u' && g >= 30);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.evidence).toMatchObject({ resumed: false, planes: ['u'] });
    expect(occ[0]!.packetIndex).toBe(90);
  });

  it('ignores a flow that was never active (fewer than 3 slots)', () => {
    expect(run(40, (_, g) => g > 1 && g < 30)).toHaveLength(0);
  });

  it('resolves silences longer than the 2.56 s frameId wrap from the capture time', () => {
    const slots = 6000; // 3 s at 0.5 ms
    const occ = run(slots, (_, g) => g >= 100 && g < 100 + 5120 + 3, ['u'], { scs_khz: 30 });
    expect(occ).toHaveLength(1);
    expect(occ[0]!.evidence).toMatchObject({ silent_slots: 5123 });
  });

  describe('synthetic captures', () => {
    const config = { durationS: 0.3, eaxc: { dl: [0, 1], ul: [0] } };

    it('finds a both-planes gap at its labelled packet', () => {
      const r = synthDetect('traffic_gap@0.15', [trafficGapDetector], { config, computeIq: false });
      const label = r.labels.find((l) => l.type === 'traffic_gap')!;
      const found = ofType(r.result, 'traffic_gap');
      expect(found).toHaveLength(1);
      expect(found[0]!.packet_index).toBe(label.packet_index);
      expect(found[0]!.flow).not.toHaveProperty('plane');
      expect(found[0]!.evidence).toMatchObject({ silent_slots: 10 });
    });

    it('finds a U-plane gap at its labelled packet', () => {
      const r = synthDetect('traffic_gap@0.15:plane=u,dir=ul', [trafficGapDetector], { config, computeIq: false });
      const label = r.labels.find((l) => l.type === 'traffic_gap')!;
      const found = ofType(r.result, 'traffic_gap');
      expect(found).toHaveLength(1);
      expect(found[0]!.packet_index).toBe(label.packet_index);
      expect(found[0]!.flow).toMatchObject({ plane: 'u', direction: 'ul' });
    });

    it('finds a C-plane gap at the first C-plane packet after it', () => {
      // The generator arms a one-plane gap's label on both planes of the eAxC × direction, so the label
      // lands on whichever packet of the pair comes first — for a UL C-plane gap, a UL U-plane packet of
      // an earlier slot. The finding is on the first C-plane packet after the silence, shortly after.
      const r = synthDetect('traffic_gap@0.15:plane=c,dir=ul', [trafficGapDetector], { config, computeIq: false });
      const label = r.labels.find((l) => l.type === 'traffic_gap')!;
      const found = ofType(r.result, 'traffic_gap');
      expect(found).toHaveLength(1);
      expect(found[0]!.flow).toMatchObject({ plane: 'c', direction: 'ul' });
      expect(found[0]!.packet_index).toBeGreaterThanOrEqual(label.packet_index);
      expect(Date.parse(found[0]!.timestamp) - Date.parse(label.timestamp)).toBeLessThan(2); // ms
    });
  });
});

describe('traffic_gap numerology inference', () => {
  it('does not take the growing slot count of 120 kHz numbering (slotId 0…7 seen one by one) for a gap', () => {
    const ctx = recordingContext([trafficGapDetector]);
    const d = trafficGapDetector.create({ profile: undefined, thresholds: ctx.thresholds });
    const p = new DecodedPacket();
    for (let g = 0; g < 200; g++) {
      const sf = (g >> 3) + 53; // the capture starts in frame 5, subframe 3
      uplanePacket(p, g + 1, T0 + BigInt(g) * 125_000n, {
        frameId: Math.floor(sf / 10),
        subframeId: sf % 10,
        slotId: g & 7,
      });
      feed(d, p, ctx);
    }
    end(d, ctx);
    expect(ctx.occurrences).toEqual([]);
  });
});
