import { DecodedPacket, Inferred } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import type { Occurrence } from '../framework/detector.js';
import { MAX_NRB, prbRangeDetector } from './prb-range.js';
import { end, feed } from '../framework/test-support/feed.js';
import type { DriverContext } from '../framework/detector-driver.js';

const T0 = 1_767_225_600_000_000_000n;

function uplane(
  index: number,
  sections: { start: number; num: number; rb?: number; nPrb?: number }[],
  inferred = 0,
): DecodedPacket {
  const p = new DecodedPacket();
  p.index = index;
  p.tsNs = T0 + BigInt(index) * 1000n;
  p.kind = 'ecpri';
  p.hasOran = true;
  p.oranCount = 1;
  p.oran.plane = 'u';
  p.oran.dataDirection = 1;
  p.oran.headerComplete = true;
  p.oran.inferred = inferred;
  p.oran.sectionCount = sections.length;
  sections.forEach((s, i) => {
    const u = p.oran.uSection(i);
    u.sectionId = i + 1;
    u.startPrbu = s.start;
    u.numPrbu = s.num;
    u.nPrb = s.nPrb ?? s.num;
    u.rb = s.rb ?? 0;
  });
  return p;
}

function cplane(index: number, start: number, num: number, sectionType = 1, rb = 0): DecodedPacket {
  const p = new DecodedPacket();
  p.index = index;
  p.tsNs = T0;
  p.kind = 'ecpri';
  p.hasOran = true;
  p.oranCount = 1;
  p.oran.plane = 'c';
  p.oran.dataDirection = 1;
  p.oran.headerComplete = true;
  p.oran.sectionType = sectionType;
  p.oran.sectionCount = 1;
  const c = p.oran.cSection(0);
  c.sectionId = 9;
  c.startPrbc = start;
  c.numPrbc = num;
  c.rb = rb;
  return p;
}

function run(profile: Profile | undefined, packets: DecodedPacket[]): Occurrence[] {
  const occ: Occurrence[] = [];
  const ctx: DriverContext = { profile, thresholds: {}, report: (o) => occ.push(o), metric: () => {} };
  const d = prbRangeDetector.create({ profile, thresholds: {} });
  for (const p of packets) feed(d, p, ctx);
  end(d, ctx);
  return occ;
}

describe('prb_out_of_range', () => {
  const profile: Profile = { nrb: 106 };

  it('U-plane: last PRB NRB − 1 is inside, NRB is beyond', () => {
    const occ = run(profile, [
      uplane(1, [{ start: 100, num: 6 }]),
      uplane(2, [{ start: 100, num: 7 }]),
      uplane(3, [{ start: 106, num: 1 }]),
    ]);
    expect(occ.map((o) => o.packetIndex)).toEqual([2, 3]);
    expect(occ[0]!.evidence).toMatchObject({
      start_prbu: 100,
      num_prbu: 7,
      last_prb: 106,
      nrb: 106,
      nrb_source: 'profile',
    });
    expect(occ[0]!.aggregationKey).toBe('prb_out_of_range|u|dl|eaxc=0');
  });

  it('every other PRB (rb): the last PRB is start + 2·(num − 1)', () => {
    expect(run(profile, [uplane(1, [{ start: 0, num: 53, rb: 1 }])])).toEqual([]); // last 104
    expect(run(profile, [uplane(1, [{ start: 1, num: 53, rb: 1 }])])).toEqual([]); // last 105
    expect(run(profile, [uplane(1, [{ start: 2, num: 53, rb: 1 }])]).length).toBe(1); // last 106
  });

  it('counts every section of the packet but reports the packet once', () => {
    const occ = run(profile, [
      uplane(1, [
        { start: 0, num: 50 },
        { start: 100, num: 10 },
        { start: 105, num: 2 },
      ]),
    ]);
    expect(occ.length).toBe(1);
    expect(occ[0]!.evidence).toMatchObject({ section_id: 2, sections_out_of_range: 2 });
  });

  it('C-plane sections of types 1, 3 and 5 are checked; numPrb 0 ("all") from a startPrb above 0 runs past NRB', () => {
    expect(
      run(profile, [
        cplane(1, 0, 106),
        cplane(2, 0, 107),
        cplane(3, 100, 7, 3),
        cplane(4, 100, 7, 0),
        cplane(5, 50, 0),
        cplane(6, 0, 0),
      ]).map((o) => o.packetIndex),
    ).toEqual([2, 3, 5]);
    expect(run(profile, [uplane(1, [{ start: 0, num: 0, nPrb: 106 }])])).toEqual([]);
  });

  it('numPrbu 0 with startPrbu 256 of 273 PRBs declares PRBs 256–528 (udp-ecpri.pcap frames 1–3)', () => {
    const occ = run({ nrb: 273 }, [uplane(1, [{ start: 256, num: 0, nPrb: 273 }])]);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.evidence).toMatchObject({ start_prbu: 256, num_prbu: 0, last_prb: 528, nrb: 273 });
    expect(occ[0]!.description).toMatch(/declares all 273 PRBs \(numPrb 0\) from PRB 256: PRBs 256–528/);
  });

  it('without nrb: checks against N_RB^max = 275 and says so', () => {
    const occ = run(undefined, [uplane(1, [{ start: 200, num: 75 }]), uplane(2, [{ start: 200, num: 76 }])]);
    expect(MAX_NRB).toBe(275);
    expect(occ.map((o) => o.packetIndex)).toEqual([2]);
    expect(occ[0]!.evidence.nrb_source).toMatch(/no nrb in profile.*275/);
  });

  it('without nrb: learns NRB from a numPrbu-0 section the decoder sized from its payload', () => {
    const occ = run(undefined, [
      uplane(1, [{ start: 0, num: 0, nPrb: 51 }], Inferred.NRB),
      uplane(2, [{ start: 40, num: 11 }]),
      uplane(3, [{ start: 40, num: 12 }]),
    ]);
    expect(occ.map((o) => o.packetIndex)).toEqual([3]);
    expect(occ[0]!.evidence).toMatchObject({ nrb: 51 });
    expect(occ[0]!.evidence.nrb_source).toMatch(/inferred/);
    expect(occ[0]!.confidence).toBeLessThan(0.9);
  });
});
