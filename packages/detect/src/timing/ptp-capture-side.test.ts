import { DecodedPacket, PtpMessageType } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import type { DetectorDefinition } from '../framework/detector.js';
import { end, feed } from '../framework/test-support/feed.js';
import { ptpCompetingMastersDetector } from './ptp-competing-masters.js';
import { ptpMalformedDetector } from './ptp-malformed.js';
import { ptpMessageRateDetector } from './ptp-message-rate.js';
import { ptpStaleTimestampDetector } from './ptp-stale-timestamp.js';
import { ptpGmChangeDetector } from './ptp-gm-change.js';
import { T0, ptpPacket, recordingContext, type PtpSpec } from './test-support/detect-helpers.js';

/** Hand-made PTP streams through one detector (the real driver); `at` in ms from T0. */
type Msg = PtpSpec & { at: number; length?: number; available?: number; tlvOverrun?: boolean };

function run(def: DetectorDefinition, msgs: Msg[]) {
  const ctx = recordingContext([def]);
  const d = def.create({ profile: undefined, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  msgs
    .sort((a, b) => a.at - b.at)
    .forEach((m, i) => {
      ptpPacket(p, i + 1, T0 + BigInt(Math.round(m.at * 1e6)), m);
      p.ptp.messageLength = m.length ?? (m.type === PtpMessageType.ANNOUNCE ? 64 : 44);
      p.ptp.available = m.available ?? p.ptp.messageLength + 2;
      p.ptp.tlvOverrun = m.tlvOverrun ?? false;
      feed(d, p, ctx);
    });
  end(d, ctx);
  return ctx.occurrences;
}

/** One-step Syncs every 62.5 ms over [from, to) ms, origin = capture time − 37 s + `lagMs`. */
function syncs(from: number, to: number, s: Partial<PtpSpec> & { lagMs?: number } = {}): Msg[] {
  const out: Msg[] = [];
  for (let t = from, seq = 0; t < to; t += 62.5, seq++) {
    const originMs = 1_767_225_600_000 + t - 37_000 - (s.lagMs ?? 0);
    out.push({
      type: PtpMessageType.SYNC,
      at: t,
      seq,
      tsSec: Math.floor(originMs / 1000),
      tsNs: Math.round((originMs % 1000) * 1e6),
      ...s,
    });
  }
  return out;
}

function announces(from: number, to: number, s: Partial<PtpSpec>): Msg[] {
  const out: Msg[] = [];
  for (let t = from; t < to; t += 125) out.push({ type: PtpMessageType.ANNOUNCE, at: t, ...s });
  return out;
}

describe('ptp_malformed', () => {
  it('flags each kind of defect once per port and reason, and nothing on good messages', () => {
    const occ = run(ptpMalformedDetector, [
      ...syncs(0, 500),
      { type: PtpMessageType.SYNC, at: 600, tsSec: 1, tsNs: 1_000_000_000 },
      { type: PtpMessageType.ANNOUNCE, at: 700, clockClass: 1 },
      { type: 5, at: 800 },
      { type: PtpMessageType.SYNC, at: 900, tsSec: 1, tsNs: 0, length: 64, available: 46 },
      { type: PtpMessageType.DELAY_RESP, at: 1000, tsSec: 1, tsNs: 0, length: 44 },
      { type: PtpMessageType.ANNOUNCE, at: 1100, tlvOverrun: true },
      ...announces(1200, 1600, { clockClass: 6 }),
      ...announces(1600, 2000, { clockClass: 135 }),
    ]);
    expect(occ.map((o) => o.evidence.reason)).toEqual([
      'timestamp_nanoseconds',
      'clock_class_reserved',
      'message_type_reserved',
      'message_length_exceeds_frame',
      'message_length_short',
      'tlv_overrun',
    ]);
  });
});

describe('ptp_message_rate', () => {
  it('reports Syncs at 4× the announced 16/s from the first surplus message, not a steady stream', () => {
    expect(run(ptpMessageRateDetector, syncs(0, 3000))).toHaveLength(0);
    const flood = [
      ...syncs(0, 3000),
      ...syncs(1000, 2000).map((m) => ({ ...m, at: m.at + 10 })),
      ...syncs(1000, 2000).map((m) => ({ ...m, at: m.at + 20 })),
      ...syncs(1000, 2000).map((m) => ({ ...m, at: m.at + 30 })),
    ];
    const occ = run(ptpMessageRateDetector, flood);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.evidence).toMatchObject({ messages: 64, rate_per_s: 64, announced_rate_per_s: 16 });
  });
});

describe('ptp_message_rate: Delay_Req', () => {
  it("holds a slave's Delay_Req to its master's logMinDelayReqInterval (Delay_Resp), not to its own 0x7F", () => {
    const exchange = (at: number, seq: number): Msg[] => [
      { type: PtpMessageType.DELAY_REQ, at, seq, clock: 2, logInterval: 0x7f },
      {
        type: PtpMessageType.DELAY_RESP,
        at: at + 0.5,
        seq,
        clock: 1,
        requestingClock: 2,
        requestingPort: 1,
        logInterval: -4,
        tsSec: 1,
        tsNs: 0,
      },
    ];
    const steady: Msg[] = [];
    for (let i = 0; i < 48; i++) steady.push(...exchange(i * 62.5, i));
    expect(run(ptpMessageRateDetector, steady)).toHaveLength(0);
    const flood: Msg[] = [];
    for (let i = 0; i < 200; i++) flood.push(...exchange(i * 15, i));
    const occ = run(ptpMessageRateDetector, flood);
    expect(occ.length).toBeGreaterThan(0);
    expect(occ[0]!.evidence).toMatchObject({ message: 'Delay_Req', announced_rate_per_s: 16 });
  });
});

describe('ptp_stale_timestamp', () => {
  it('learns a constant offset (TAI origin, UTC capture clock) and reports a replayed Sync 2 s old', () => {
    expect(run(ptpStaleTimestampDetector, syncs(0, 3000))).toHaveLength(0);
    const occ = run(ptpStaleTimestampDetector, [
      ...syncs(0, 3000),
      ...syncs(2000, 2001, { lagMs: 2000 }).map((m) => ({ ...m, at: m.at + 5 })),
    ]);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.evidence).toMatchObject({ direction: 'stale' });
    // 2 s of lag plus the 5 ms the replay comes after its original
    expect(Math.round(Number(occ[0]!.evidence.deviation_ms))).toBe(2005);
  });

  it('does not judge before LEARN_MESSAGES agree (a capture starting mid-attack)', () => {
    expect(run(ptpStaleTimestampDetector, [...syncs(0, 300), ...syncs(10, 300, { lagMs: 900 })])).toHaveLength(0);
  });
});

describe('ptp_competing_masters', () => {
  it('reports two qualified grandmasters from the start, with the deciding step', () => {
    const occ = run(ptpCompetingMastersDetector, [
      ...announces(0, 3000, { clock: 1, gm: 1, priority2: 128 }),
      ...announces(10, 3000, { clock: 2, gm: 2, priority2: 128 }),
    ]);
    expect(occ).toHaveLength(1);
    // the second Announce of the second port (frame 4) qualifies it
    expect(occ[0]!.packetIndex).toBe(4);
    expect(occ[0]!.evidence).toMatchObject({
      deciding_step: 'grandmasterIdentity',
      selected_grandmaster: '0x6cadad0000000001',
    });
    expect(occ[0]!.severity).toBe('major');
  });

  it('needs 2 Announces within 4 intervals: a lone Announce after silence is no competitor', () => {
    const occ = run(ptpCompetingMastersDetector, [
      ...announces(0, 3000, { clock: 1, gm: 1 }),
      { type: PtpMessageType.ANNOUNCE, at: 500, clock: 2, gm: 2 },
      { type: PtpMessageType.ANNOUNCE, at: 1500, clock: 2, gm: 2 },
    ]);
    expect(occ).toHaveLength(0);
  });

  it('a free-running rival (clockClass 248) is minor, decided on clockClass', () => {
    const occ = run(ptpCompetingMastersDetector, [
      ...announces(0, 2000, { clock: 1, gm: 1 }),
      ...announces(10, 2000, { clock: 2, gm: 2, clockClass: 248 }),
    ]);
    expect(occ.map((o) => [o.severity, o.evidence.deciding_step])).toEqual([['minor', 'clockClass']]);
  });
});

describe('ptp_gm_change foreign-master window (§9.3.2.4.5)', () => {
  it('one Announce after a silence does not make a better master win again', () => {
    const occ = run(ptpGmChangeDetector, [
      ...announces(0, 4000, { clock: 1, gm: 1, clockClass: 7 }),
      ...announces(1000.5, 1500, { clock: 2, gm: 9, clockClass: 6 }),
      { type: PtpMessageType.ANNOUNCE, at: 2500.5, clock: 2, gm: 9, clockClass: 6 },
    ]);
    // takeover at its second Announce, return when it lapses, and no takeover at 2500.5 (one in the window)
    expect(occ.map((o) => o.evidence.to_grandmaster)).toEqual(['0x6cadad0000000009', '0x6cadad0000000001']);
  });
});
