import { DecodedPacket } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { T0, cplanePacket, ofType, recordingContext, synthDetect } from './test-support/detect-helpers.js';
import { ecpriDelayBudgetDetector } from './ecpri-delay-budget.js';
import { end, feed } from '../framework/test-support/feed.js';

const DU = [2, 0xd, 0, 0, 0, 1];
const RU = [2, 0xa, 0, 0, 0, 1];

interface Msg {
  action: number;
  id?: number;
  from: number[];
  to: number[];
  sec?: number;
  ns?: number;
  /** Compensation value, ns. */
  cvNs?: number;
}

function owd(p: DecodedPacket, index: number, m: Msg): DecodedPacket {
  p.index = index;
  p.tsNs = T0 + BigInt(index) * 1000n;
  p.kind = 'ecpri';
  p.hasOran = false;
  p.data = Uint8Array.from([...m.to, ...m.from]);
  p.link.dstMacOffset = 0;
  p.link.srcMacOffset = 6;
  p.link.vlanIds.length = 0;
  p.ecpri.count = 1;
  const e = p.ecpri.messages[0]!;
  e.reset();
  e.messageType = 5;
  e.measurementId = m.id ?? 1;
  e.actionType = m.action;
  e.timestampSec = m.sec ?? (m.action === 1 ? 0 : 1000);
  e.timestampNs = m.ns ?? 0;
  const cv = Math.round((m.cvNs ?? 0) * 65536);
  e.compensationHi = Math.floor(cv / 0x1_0000_0000);
  e.compensationLo = cv - e.compensationHi * 0x1_0000_0000;
  return p;
}

function run(msgs: Msg[], opts: { profile?: Profile; learnDu?: boolean } = {}) {
  const ctx = recordingContext([ecpriDelayBudgetDetector], opts.profile);
  const d = ecpriDelayBudgetDetector.create({ profile: opts.profile, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  let i = 0;
  if (opts.learnDu ?? true) {
    cplanePacket(p, ++i, T0);
    p.data = Uint8Array.from([...RU, ...DU]);
    p.link.dstMacOffset = 0;
    p.link.srcMacOffset = 6;
    feed(d, p, ctx);
  }
  for (const m of msgs) feed(d, owd(p, ++i, m), ctx);
  end(d, ctx);
  return ctx;
}

/** A request from `from` at t1 = 1000 s + 0 ns and its response with t2 = t1 + delay. */
const pair = (delayNs: number, from = DU, to = RU, extra: Partial<Msg> = {}): Msg[] => [
  { action: 0, from, to, ...extra },
  { action: 2, from: to, to: from, ns: delayNs },
];

describe('ecpri_delay_budget', () => {
  it('allows exactly the budget (default 100 µs) and reports more, as T12 when the O-DU asked', () => {
    expect(run(pair(100_000)).occurrences).toHaveLength(0);
    const ctx = run(pair(100_001));
    expect(ctx.occurrences).toHaveLength(1);
    const o = ctx.occurrences[0]!;
    expect(o.packetIndex).toBe(3); // the response
    expect(o.evidence).toMatchObject({
      delay_us: 100.001,
      budget_us: 100,
      direction: 'T12',
      request_packet_index: 2,
      requester_mac: '02:0d:00:00:00:01',
    });
    expect(ctx.metrics.map((m) => [m.name, m.labels.direction, m.value])).toEqual([
      ['ecpri_one_way_delay_us', 'T12', 100.001],
    ]);
  });

  it('names an O-RU-initiated measurement T34, and "unknown" before the O-DU is known', () => {
    expect(run(pair(200_000, RU, DU)).occurrences[0]!.evidence.direction).toBe('T34');
    expect(run(pair(200_000), { learnDu: false }).occurrences[0]!.evidence.direction).toBe('unknown');
  });

  it('subtracts the compensation values: tD = (t2 − tCV2) − (t1 + tCV1)', () => {
    const msgs: Msg[] = [
      { action: 0, from: DU, to: RU, cvNs: 30_000 },
      { action: 2, from: RU, to: DU, ns: 150_000, cvNs: 25_000 },
    ];
    expect(run(msgs).metrics[0]!.value).toBe(95);
  });

  it('takes t1 from the Follow_Up of a "request with follow-up"', () => {
    const msgs: Msg[] = [
      { action: 1, from: DU, to: RU },
      { action: 5, from: DU, to: RU, sec: 1000, ns: 0 },
      { action: 2, from: RU, to: DU, sec: 1000, ns: 300_000 },
    ];
    expect(run(msgs).occurrences[0]!.evidence).toMatchObject({ delay_us: 300 });
  });

  it('pairs by measurement ID and requester; ignores unmatched responses and remote requests', () => {
    expect(run([{ action: 2, from: RU, to: DU, ns: 900_000 }]).occurrences).toHaveLength(0);
    expect(
      run([
        { action: 0, from: DU, to: RU, id: 1 },
        { action: 2, from: RU, to: DU, id: 2, ns: 900_000 },
      ]).occurrences,
    ).toHaveLength(0);
    expect(
      run([
        { action: 3, from: DU, to: RU },
        { action: 2, from: RU, to: DU, ns: 900_000 },
      ]).occurrences,
    ).toHaveLength(0);
  });

  it('uses the profile budget timing.ecpri_delay_budget_us', () => {
    expect(run(pair(150_000), { profile: { timing: { ecpri_delay_budget_us: 200 } } }).occurrences).toHaveLength(0);
    expect(run(pair(250_000), { profile: { timing: { ecpri_delay_budget_us: 200 } } }).occurrences).toHaveLength(1);
  });

  it('finds the injected fault of a synthetic capture at its labelled packet; clean measurements are within budget', () => {
    const config = { durationS: 1, eaxc: { dl: [0], ul: [0] }, ecpriDelay: { ratePerS: 10 } };
    const clean = synthDetect('', [ecpriDelayBudgetDetector], { config, computeIq: false });
    expect(clean.result.anomalies).toEqual([]);
    expect(clean.result.metrics.length).toBeGreaterThan(5);
    const r = synthDetect('ecpri_delay_budget@0.3', [ecpriDelayBudgetDetector], { config, computeIq: false });
    const label = r.labels.find((l) => l.type === 'ecpri_delay_budget')!;
    const found = ofType(r.result, 'ecpri_delay_budget');
    expect(found).toHaveLength(1);
    expect(found[0]!.packet_index).toBe(label.packet_index);
    expect(found[0]!.evidence).toMatchObject({ direction: 'T12', delay_us: 500 });
  });
});
