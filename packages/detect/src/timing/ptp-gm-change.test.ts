import { DecodedPacket, PtpMessageType } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { T0, ofType, ptpPacket, recordingContext, synthDetect, type PtpSpec } from './test-support/detect-helpers.js';
import { ptpGmChangeDetector } from './ptp-gm-change.js';
import { end, feed } from '../framework/test-support/feed.js';

type Ann = Partial<PtpSpec> & { atMs: number };

function runAnnounces(list: Ann[]) {
  const ctx = recordingContext([ptpGmChangeDetector]);
  const d = ptpGmChangeDetector.create({ profile: undefined, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  list
    .sort((a, b) => a.atMs - b.atMs)
    .forEach((a, i) =>
      feed(d, ptpPacket(p, i + 1, T0 + BigInt(Math.round(a.atMs * 1e6)), { ...a, type: PtpMessageType.ANNOUNCE }), ctx),
    );
  end(d, ctx);
  return ctx.occurrences;
}

/** Announce messages of one port every 125 ms over [fromMs, toMs). */
function stream(fromMs: number, toMs: number, spec: Partial<PtpSpec>): Ann[] {
  const out: Ann[] = [];
  for (let t = fromMs; t < toMs; t += 125) out.push({ ...spec, atMs: t });
  return out;
}

describe('ptp_gm_change', () => {
  it("reports every change of a port's grandmaster, including the return to the earlier one", () => {
    const occ = runAnnounces([
      ...stream(0, 1000, { gm: 1 }),
      ...stream(1000, 2000, { gm: 2 }),
      ...stream(2000, 3000, { gm: 1 }),
    ]);
    expect(occ).toHaveLength(2);
    expect(occ.map((o) => o.packetIndex)).toEqual([9, 17]);
    expect(occ[0]!.evidence).toMatchObject({
      from_grandmaster: '0x6cadad0000000001',
      to_grandmaster: '0x6cadad0000000002',
      view: 'port',
      selected_by_bmca: true,
    });
    expect(occ[1]!.evidence).toMatchObject({
      from_grandmaster: '0x6cadad0000000002',
      to_grandmaster: '0x6cadad0000000001',
    });
    expect(occ[0]!.aggregationKey).not.toBe(occ[1]!.aggregationKey);
    expect(occ[0]!.confidence).toBe(1);
  });

  it('reports nothing for a steady grandmaster', () => {
    expect(runAnnounces(stream(0, 5000, { gm: 1 }))).toHaveLength(0);
  });

  it('reports a second master whose Announce wins the BMCA (better clockClass), once it qualifies, and its departure', () => {
    const occ = runAnnounces([
      ...stream(0, 4000, { gm: 1, clock: 1, clockClass: 7 }),
      ...stream(1000.5, 2000, { gm: 9, clock: 2, clockClass: 6 }),
    ]);
    expect(occ).toHaveLength(2);
    // FOREIGN_MASTER_THRESHOLD: the second Announce of the new port
    expect(occ[0]!.evidence).toMatchObject({
      view: 'bmca',
      to_grandmaster: '0x6cadad0000000009',
      announcing_port: '0x0200000000000002:1',
      previous_port: '0x0200000000000001:1',
    });
    expect(occ[0]!.confidence).toBeLessThan(1);
    // the attacker's last two Announces are at 1750.5 and 1875.5 ms; §9.3.2.4.5 wants 2 within the sliding
    // window of 4 intervals, so it is no longer qualified after 2250.5 ms: the first master wins at 2375 ms
    expect(occ[1]!.evidence).toMatchObject({ view: 'bmca', to_grandmaster: '0x6cadad0000000001' });
    expect(occ[1]!.tsNs - T0).toBe(2375n * 1_000_000n);
  });

  it('ignores a second master that loses the BMCA (worse class) and masters present from the start', () => {
    expect(
      runAnnounces([
        ...stream(0, 4000, { gm: 1, clock: 1 }),
        ...stream(1000, 3000, { gm: 9, clock: 2, clockClass: 248 }),
      ]),
    ).toHaveLength(0);
    // a better master heard within the first window is the initial choice, not a change
    expect(
      runAnnounces([...stream(0, 4000, { gm: 5, clock: 1 }), ...stream(10, 4000, { gm: 2, clock: 2 })]),
    ).toHaveLength(0);
  });

  it('breaks a tie on the grandmaster identity (§9.3.4: the lower wins)', () => {
    const occ = runAnnounces([...stream(0, 3000, { gm: 5, clock: 1 }), ...stream(1000, 3000, { gm: 2, clock: 2 })]);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.evidence).toMatchObject({ to_grandmaster: '0x6cadad0000000002' });
  });

  it('finds both injected changes (to a new grandmaster and back) at their labelled packets', () => {
    const run = synthDetect('ptp_gm_change@0.3;ptp_gm_change@0.6:gm=6cadadfffe000001', [ptpGmChangeDetector], {
      config: { durationS: 1, eaxc: { dl: [0], ul: [0] } },
      computeIq: false,
    });
    const labels = run.labels.filter((l) => l.type === 'ptp_gm_change');
    const found = ofType(run.result, 'ptp_gm_change');
    expect(labels).toHaveLength(2);
    expect(found.map((a) => a.packet_index)).toEqual(labels.map((l) => l.packet_index));
  });
});

describe('ptp_gm_change BMCA profile', () => {
  it('ignores priority1 in a G.8275.1 domain (alternate BMCA) but not in the default domain 0', () => {
    const spoof = (domain: number) => [
      ...stream(0, 3000, { gm: 1, clock: 1, domain }),
      ...stream(1000, 3000, { gm: 9, clock: 2, domain, priority1: 0, clockClass: 7 }),
    ];
    expect(runAnnounces(spoof(24))).toHaveLength(0);
    expect(runAnnounces(spoof(0))).toHaveLength(1);
  });
});
