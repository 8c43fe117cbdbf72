import { DecodedPacket } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { MS, T0, ofType, recordingContext, synthDetect, uplanePacket } from '../timing/test-support/detect-helpers.js';
import { iqPowerDropDetector, PowerState } from './iq-power-drop.js';
import { end, feed } from '../framework/test-support/feed.js';

/** One packet per slot with the given mean PRB power (dBFS); `null` = an all-zero slot. */
function runSlots(powers: (number | null)[], overrides?: Record<string, Record<string, unknown>>) {
  const ctx = recordingContext([iqPowerDropDetector], undefined, overrides);
  const d = iqPowerDropDetector.create({ profile: undefined, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  powers.forEach((dbfs, g) => {
    const slot = g % 20;
    uplanePacket(p, g + 1, T0 + (BigInt(g) * MS) / 2n, {
      frameId: Math.floor(g / 20) & 0xff,
      subframeId: slot >> 1,
      slotId: slot & 1,
      ...(dbfs === null ? { zero: 100 } : { dbfs }),
    });
    feed(d, p, ctx);
  });
  end(d, ctx);
  return ctx.occurrences;
}

const level = (n: number, db: number) => Array<number>(n).fill(db);

describe('iq_power_drop', () => {
  it('reports a slot more than 10 dB below the rolling median, not one exactly 10 dB below', () => {
    expect(runSlots([...level(30, -20), -30, ...level(3, -20)])).toHaveLength(0);
    const occ = runSlots([...level(30, -20), -30.5, ...level(3, -20)]);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.packetIndex).toBe(31);
    expect(occ[0]!.evidence).toMatchObject({ baseline_median_dbfs: -20, drop_db: 10.5, threshold_drop_db: 10 });
  });

  it('waits for min_baseline_slots (20) slots of baseline', () => {
    expect(runSlots([...level(19, -20), -40])).toHaveLength(0);
    expect(runSlots([...level(20, -20), -40])).toHaveLength(1);
  });

  it('keeps dropped slots out of the baseline, so a long drop stays a drop', () => {
    expect(runSlots([...level(30, -20), ...level(60, -40)])).toHaveLength(60);
  });

  it('restarts the baseline when a drop lasts a whole baseline window', () => {
    const t = { iq_power_drop: { baseline_slots: 20, min_baseline_slots: 5 } };
    expect(runSlots([...level(30, -20), ...level(60, -40)], t)).toHaveLength(20);
  });

  it('ignores all-zero slots (iq_zero) and load changes (power of the PRBs that carry energy)', () => {
    expect(runSlots([...level(30, -20), null, null, null, ...level(5, -20)])).toHaveLength(0);
  });

  it('computes the median of odd and even counts', () => {
    const medianAfter = (values: number[]) => {
      const st = new PowerState(8);
      for (const v of values) st.push(v);
      return st.median();
    };
    expect(medianAfter([3, 1, 2])).toBe(2);
    expect(medianAfter([4, 1, 3, 2])).toBe(2.5);
    expect(medianAfter([5, 5, 1, 5, 9, 0])).toBe(5);
  });

  it('keeps the rolling median equal to the median of a sorted copy of the window (repeats, evictions, restarts)', () => {
    const medianBySort = (a: Float64Array, n: number): number => {
      const s = Float64Array.from(a.subarray(0, n)).sort();
      return n % 2 === 1 ? s[n >> 1]! : (s[(n >> 1) - 1]! + s[n >> 1]!) / 2;
    };
    // seeded LCG: powers on a coarse grid so that equal values (duplicates in the sorted window) are common
    let x = 12345;
    const next = () => ((x = (x * 1103515245 + 12345) % 2147483648) / 2147483648) * 8;
    for (const window of [1, 2, 5, 200]) {
      const st = new PowerState(window);
      for (let i = 0; i < 5000; i++) {
        st.push(-Math.round(next() * 4) / 4 - 20);
        if (i % 997 === 996) st.count = st.head = 0; // the detector's restart after a long drop
        if (st.count > 0) expect(st.median()).toBe(medianBySort(st.ring, st.count));
      }
    }
  });

  it('finds the injected fault of a synthetic capture at its labelled packet', () => {
    const run = synthDetect('iq_power_drop@0.15', [iqPowerDropDetector], {
      config: { durationS: 0.3, eaxc: { dl: [0, 1], ul: [0] } },
    });
    const label = run.labels.find((l) => l.type === 'iq_power_drop')!;
    const found = ofType(run.result, 'iq_power_drop');
    expect(found).toHaveLength(1);
    expect(found[0]!.packet_index).toBe(label.packet_index);
    expect(found[0]!.evidence).toMatchObject({ occurrences: 40, totals: { dropped_slots: 40 } });
  });
});
