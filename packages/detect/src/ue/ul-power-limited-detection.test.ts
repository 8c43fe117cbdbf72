import { describe, expect, it } from 'vitest';
import type { PuschPowerSample } from './ue-link-samples.js';
import { resolveUeThresholds } from './ue-thresholds.js';
import { UeUlPowerLimitedDetection } from './ul-power-limited-detection.js';

const T0 = 1_600_000_000_000_000_000n;
const MS = 1_000_000n;
const CELL = { rat: 'lte' as const, earfcn: 1825, pci: 73 };

/** A PUSCH transmission every 5 ms for `ms`, power from `power(i)`, retransmission when `retx(i)`. */
function pusch(
  ms: number,
  power: (i: number) => number,
  retx: ((i: number) => boolean) | undefined,
): PuschPowerSample[] {
  return Array.from({ length: ms / 5 }, (_, i) => ({
    tsNs: T0 + BigInt(i * 5) * MS,
    recordIndex: i + 1,
    cell: CELL,
    headroomDb: 23 - power(i),
    txPowerDbm: power(i),
    pcmaxDbm: 23,
    ...(retx ? { retx: retx(i) } : {}),
  }));
}
function run(samples: PuschPowerSample[], overrides?: Record<string, Record<string, unknown>>) {
  const d = new UeUlPowerLimitedDetection(resolveUeThresholds(overrides));
  for (const s of samples) d.onPusch(s);
  return d.finish();
}

describe('ul_power_limited', () => {
  it('PUSCH at Pcmax for 2 s with 25 % retransmissions is one finding', () => {
    const found = run(
      pusch(
        2000,
        () => 23,
        (i) => i % 4 === 0,
      ),
    );
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      type: 'ul_power_limited',
      severity: 'major',
      confidence: 0.9,
      packet_index: 1,
      radio: { cell: '1825/73', pci: 73, earfcn: 1825 },
      evidence: { limited_ratio: 1, ul_bler: 0.25, pcmax_dbm: 23, min_headroom_db: 0, transmissions: 200 },
    });
  });

  it('power limitation that starts inside a window is reported from its first transmission at Pcmax', () => {
    const found = run(
      pusch(
        3000,
        (i) => (i >= 270 ? 23 : 10),
        () => true,
      ),
    ); // from 1.35 s
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ packet_index: 271, timestamp: '2020-09-13T12:26:41.350000000Z' });
  });

  it('at Pcmax with a clean uplink, or 2 dB below Pcmax with a bad one, is not power limited', () => {
    expect(
      run(
        pusch(
          2000,
          () => 22.5,
          () => false,
        ),
      ),
    ).toEqual([]);
    expect(
      run(
        pusch(
          2000,
          () => 21,
          (i) => i % 2 === 0,
        ),
      ),
    ).toEqual([]);
    // at Pcmax half of the time
    expect(
      run(
        pusch(
          2000,
          (i) => (i % 2 ? 23 : 10),
          (i) => i % 3 === 0,
        ),
      ),
    ).toEqual([]);
  });

  it('without retransmission flags the power alone decides, with a lower confidence', () => {
    const found = run(pusch(1000, () => 23, undefined));
    expect(found[0]).toMatchObject({ confidence: 0.7, evidence: { ul_bler: 'not in the log' } });
    expect(
      run(
        pusch(1000, () => 21.5, undefined),
        { ul_power_limited: { headroom_db: 2 } },
      ),
    ).toHaveLength(1);
  });
});
