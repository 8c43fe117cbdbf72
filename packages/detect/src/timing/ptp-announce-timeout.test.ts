import { DecodedPacket, PtpMessageType } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { T0, ofType, ptpPacket, recordingContext, synthDetect } from './test-support/detect-helpers.js';
import { ptpAnnounceTimeoutDetector } from './ptp-announce-timeout.js';
import { end, feed } from '../framework/test-support/feed.js';

function runAnnounces(timesUs: number[], overrides?: Record<string, Record<string, unknown>>) {
  const ctx = recordingContext([ptpAnnounceTimeoutDetector], undefined, overrides);
  const d = ptpAnnounceTimeoutDetector.create({ profile: undefined, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  timesUs.forEach((us, i) =>
    feed(d, ptpPacket(p, i + 1, T0 + BigInt(us) * 1000n, { type: PtpMessageType.ANNOUNCE, seq: i }), ctx),
  );
  end(d, ctx);
  return ctx.occurrences;
}

describe('ptp_announce_timeout', () => {
  it('allows announceReceiptTimeout (3) × 125 ms and reports a longer silence at the next Announce', () => {
    expect(runAnnounces([0, 125_000, 500_000])).toHaveLength(0);
    const occ = runAnnounces([0, 125_000, 500_001, 625_000]);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.type).toBe('ptp_announce_timeout');
    expect(occ[0]!.packetIndex).toBe(3);
    expect(occ[0]!.evidence).toMatchObject({
      interval_ms: 125,
      threshold_ms: 375,
      threshold_intervals: 3,
      last_packet_index: 2,
    });
  });

  it('takes announce_receipt_timeout from the profile', () => {
    expect(runAnnounces([0, 125_000, 500_001], { ptp_announce_timeout: { announce_receipt_timeout: 4 } })).toHaveLength(
      0,
    );
  });

  it('keeps ports apart', () => {
    const ctx = recordingContext([ptpAnnounceTimeoutDetector]);
    const d = ptpAnnounceTimeoutDetector.create({ profile: undefined, thresholds: ctx.thresholds });
    const p = new DecodedPacket();
    for (let i = 0; i < 10; i++) {
      // port 1 every 125 ms; port 2 every 250 ms: neither is silent for 375 ms
      feed(d, ptpPacket(p, 2 * i + 1, T0 + BigInt(i) * 125_000_000n, { type: PtpMessageType.ANNOUNCE, port: 1 }), ctx);
      if (i % 2 === 0)
        feed(
          d,
          ptpPacket(p, 2 * i + 2, T0 + BigInt(i) * 125_000_000n + 1000n, { type: PtpMessageType.ANNOUNCE, port: 2 }),
          ctx,
        );
    }
    end(d, ctx);
    expect(ctx.occurrences).toHaveLength(0);
  });

  it('finds the injected fault of a synthetic capture at its labelled packet', () => {
    const run = synthDetect('ptp_announce_timeout@0.3:gap_ms=500', [ptpAnnounceTimeoutDetector], {
      config: { durationS: 1, eaxc: { dl: [0], ul: [0] } },
      computeIq: false,
    });
    const label = run.labels.find((l) => l.type === 'ptp_announce_timeout')!;
    const found = ofType(run.result, 'ptp_announce_timeout');
    expect(found).toHaveLength(1);
    expect(found[0]!.packet_index).toBe(label.packet_index);
  });
});
