import { DecodedPacket, PtpMessageType } from '@l1t/capture';
import type { Profile } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { T0, ofType, ptpPacket, recordingContext, synthDetect } from './test-support/detect-helpers.js';
import { ptpTimeErrorDetector } from './ptp-time-error.js';
import { end, feed } from '../framework/test-support/feed.js';

const ABSOLUTE: Profile = { timing: { mode: 'absolute' } };
const T0_S = Number(T0 / 1_000_000_000n);

interface Exchange {
  /** True offset of the capture clock from the master, ns. */
  offsetNs: number;
  pathNs?: number;
  syncCorrectionNs?: number;
  respCorrectionNs?: number;
  twoStep?: boolean;
  timescale?: boolean;
  /** Requesting port of the Delay_Resp (default: the slave). */
  requestingClock?: number;
  profile?: Profile;
  withAnnounce?: boolean;
}

/** Announce, Sync(+Follow_Up), Delay_Req, Delay_Resp of master clock 1 and slave clock 2. */
function runExchange(x: Exchange) {
  const profile = x.profile ?? ABSOLUTE;
  const ctx = recordingContext([ptpTimeErrorDetector], profile);
  const d = ptpTimeErrorDetector.create({ profile, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  const D = x.pathNs ?? 1200;
  const cS = x.syncCorrectionNs ?? 0;
  const cR = x.respCorrectionNs ?? 0;
  const tai = (x.timescale ?? true) ? 37 : 0;
  const t2 = 100_000_000; // ns after T0 (capture)
  const t3 = 110_000_000;
  const t1 = t2 - D - x.offsetNs - cS;
  const t4 = t3 + D - x.offsetNs + cR;
  // a PTP timestamp keeps its nanoseconds below 10^9 (IEEE 1588-2019 §5.3.3): carry whole seconds over
  const ts = (ns: number) => ({ tsSec: T0_S + tai + Math.floor(ns / 1e9), tsNs: ns - Math.floor(ns / 1e9) * 1e9 });
  let i = 0;
  if (x.withAnnounce ?? true)
    feed(
      d,
      ptpPacket(p, ++i, T0, { type: PtpMessageType.ANNOUNCE, clock: 1, timescale: x.timescale ?? true, utcOffset: 37 }),
      ctx,
    );
  const twoStep = x.twoStep ?? true;
  feed(
    d,
    ptpPacket(p, ++i, T0 + BigInt(t2), {
      type: PtpMessageType.SYNC,
      clock: 1,
      seq: 7,
      twoStep,
      ...(twoStep ? { tsSec: T0_S + tai, tsNs: 0 } : ts(t1)),
      correctionNs: twoStep ? 0 : cS,
    }),
    ctx,
  );
  if (twoStep) {
    feed(
      d,
      ptpPacket(p, ++i, T0 + BigInt(t2 + 10_000), {
        type: PtpMessageType.FOLLOW_UP,
        clock: 1,
        seq: 7,
        ...ts(t1),
        correctionNs: cS,
      }),
      ctx,
    );
  }
  feed(
    d,
    ptpPacket(p, ++i, T0 + BigInt(t3), {
      type: PtpMessageType.DELAY_REQ,
      clock: 2,
      seq: 3,
      tsSec: T0_S + tai,
      tsNs: t3,
    }),
    ctx,
  );
  feed(
    d,
    ptpPacket(p, ++i, T0 + BigInt(t3 + 30_000), {
      type: PtpMessageType.DELAY_RESP,
      clock: 1,
      seq: 3,
      ...ts(t4),
      correctionNs: cR,
      requestingClock: x.requestingClock ?? 2,
      requestingPort: 1,
    }),
    ctx,
  );
  end(d, ctx);
  lastMetrics = ctx.metrics;
  return ctx.occurrences;
}

let lastMetrics: { name: string; value: number; labels: Record<string, string> }[] = [];

describe('ptp_time_error', () => {
  it('allows |offset| = 1.1 µs and reports 1101 ns at the packet carrying t1 (the Follow_Up)', () => {
    expect(runExchange({ offsetNs: 1100 })).toHaveLength(0);
    expect(runExchange({ offsetNs: -1100 })).toHaveLength(0);
    const occ = runExchange({ offsetNs: 1101 });
    expect(occ).toHaveLength(1);
    expect(occ[0]!.packetIndex).toBe(3);
    expect(occ[0]!.packetCount).toBe(4);
    expect(occ[0]!.evidence).toMatchObject({
      offset_ns: 1101,
      mean_path_delay_ns: 1200,
      max_abs_offset_ns: 1100,
      utc_offset_s: 37,
      sync_packet_index: 2,
      delay_req_packet_index: 4,
      delay_resp_packet_index: 5,
    });
    expect(String(occ[0]!.evidence.estimate)).toMatch(/capture timestamps/);
    expect(runExchange({ offsetNs: -2000 })[0]!.evidence.offset_ns).toBe(-2000);
  });

  it('emits the offset and mean path delay per master port and second, within budget or not', () => {
    runExchange({ offsetNs: 300 });
    expect(lastMetrics.map((m) => [m.name, m.value])).toEqual([
      ['ptp_offset_ns_mean', 300],
      ['ptp_offset_ns_max_abs', 300],
      ['ptp_mean_path_delay_ns', 1200],
    ]);
    expect(lastMetrics[0]!.labels).toEqual({ ptp_port: '0x0200000000000001:1', domain: '24' });
    runExchange({ offsetNs: 300, profile: {} });
    expect(lastMetrics).toEqual([]);
  });

  it('applies the correctionFields of Sync/Follow_Up and Delay_Resp', () => {
    expect(runExchange({ offsetNs: 500, syncCorrectionNs: 3000, respCorrectionNs: 2500 })).toHaveLength(0);
    const occ = runExchange({ offsetNs: 1500, syncCorrectionNs: 3000, respCorrectionNs: 2500 });
    expect(occ[0]!.evidence).toMatchObject({
      offset_ns: 1500,
      sync_correction_ns: 3000,
      delay_resp_correction_ns: 2500,
    });
  });

  it("uses a one-step Sync's originTimestamp as t1", () => {
    const occ = runExchange({ offsetNs: 5000, twoStep: false });
    expect(occ).toHaveLength(1);
    expect(occ[0]!.packetIndex).toBe(2);
  });

  it('gives nothing outside absolute timing mode, for an arbitrary timescale, before the Announce, or for another slave', () => {
    expect(runExchange({ offsetNs: 5000, profile: { timing: { mode: 'relative' } } })).toHaveLength(0);
    expect(runExchange({ offsetNs: 5000, profile: {} })).toHaveLength(0);
    expect(runExchange({ offsetNs: 5000, timescale: false })).toHaveLength(0);
    expect(runExchange({ offsetNs: 5000, withAnnounce: false })).toHaveLength(0);
    expect(runExchange({ offsetNs: 5000, requestingClock: 3 })).toHaveLength(0);
  });

  it('says when the offset is the TAI−UTC offset', () => {
    const occ = runExchange({ offsetNs: -37e9 + 3000 });
    expect(String(occ[0]!.evidence.note)).toMatch(/currentUtcOffset/);
  });

  describe('synthetic captures', () => {
    const config = { durationS: 1, eaxc: { dl: [0], ul: [0] } };
    it('finds the injected time error at its labelled packet; clean traffic is within budget', () => {
      const clean = synthDetect('', [ptpTimeErrorDetector], { config, computeIq: false, profile: ABSOLUTE });
      expect(clean.result.anomalies).toEqual([]);
      const run = synthDetect('ptp_time_error@0.3', [ptpTimeErrorDetector], {
        config,
        computeIq: false,
        profile: ABSOLUTE,
      });
      const label = run.labels.find((l) => l.type === 'ptp_time_error')!;
      const found = ofType(run.result, 'ptp_time_error');
      expect(found).toHaveLength(1);
      expect(found[0]!.packet_index).toBe(label.packet_index);
      expect(found[0]!.evidence).toMatchObject({ offset_ns: 1500 });
    });

    it('computes nothing without absolute timing mode', () => {
      const run = synthDetect('ptp_time_error@0.3', [ptpTimeErrorDetector], { config, computeIq: false });
      expect(run.result.anomalies).toEqual([]);
    });
  });
});
