import { DecodedPacket, PtpMessageType } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { T0, ofType, ptpPacket, recordingContext, synthDetect, uplanePacket } from './test-support/detect-helpers.js';
import { ptpAnnounceTimeoutDetector } from './ptp-announce-timeout.js';
import { ptpSyncGapDetector } from './ptp-sync-gap.js';
import { end, feed } from '../framework/test-support/feed.js';

/** Syncs (logMessageInterval −4: 62.5 ms) at the given times (µs), then a final unrelated packet at `endUs`. */
function runSyncs(
  timesUs: number[],
  endUs?: number,
  logInterval = -4,
  overrides?: Record<string, Record<string, unknown>>,
) {
  const ctx = recordingContext([ptpSyncGapDetector], undefined, overrides);
  const d = ptpSyncGapDetector.create({ profile: undefined, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  timesUs.forEach((us, i) =>
    feed(
      d,
      ptpPacket(p, i + 1, T0 + BigInt(us) * 1000n, { type: PtpMessageType.SYNC, seq: 100 + i, logInterval }),
      ctx,
    ),
  );
  if (endUs !== undefined)
    feed(
      d,
      ptpPacket(p, timesUs.length + 1, T0 + BigInt(endUs) * 1000n, { type: PtpMessageType.DELAY_REQ, clock: 9 }),
      ctx,
    );
  end(d, ctx);
  return ctx.occurrences;
}

const every = (n: number, stepUs = 62_500, fromUs = 0) => Array.from({ length: n }, (_, i) => fromUs + i * stepUs);

describe('ptp_sync_gap', () => {
  it('allows exactly 3 × 62.5 ms between Syncs and reports anything longer at the first Sync after', () => {
    expect(runSyncs([...every(5), 250_000 + 187_500])).toHaveLength(0);
    const occ = runSyncs([...every(5), 250_000 + 187_501, 250_000 + 250_000]);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.packetIndex).toBe(6);
    expect(occ[0]!.evidence).toMatchObject({
      interval_ms: 62.5,
      threshold_ms: 187.5,
      last_packet_index: 5,
      last_sequence_id: 104,
      sequence_id: 105,
      missing_sequence_ids: 0,
      missing_messages: 2,
      resumed: true,
    });
    expect(occ[0]!.flow).toMatchObject({ plane: 's', ptp_port: '0x0200000000000001:1' });
  });

  it("follows the master's own interval (logMessageInterval 0: 1 s) and skips 0x7F (unspecified)", () => {
    expect(runSyncs(every(4, 2_900_000), undefined, 0)).toHaveLength(0);
    expect(runSyncs(every(4, 3_100_000), undefined, 0)).toHaveLength(3);
    expect(runSyncs(every(4, 10_000_000), undefined, 0x7f)).toHaveLength(0);
  });

  it('reports a stream that stops for good at the last packet of the capture', () => {
    const occ = runSyncs(every(5), 250_000 + 500_000);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.packetIndex).toBe(6);
    expect(occ[0]!.evidence).toMatchObject({ resumed: false, last_packet_index: 5 });
    expect(runSyncs(every(5), 250_000 + 150_000)).toHaveLength(0);
  });

  it('measures that silence to the last packet of any kind (a U-plane packet: PTP detectors never see it)', () => {
    const ctx = recordingContext([ptpSyncGapDetector]);
    const d = ptpSyncGapDetector.create({ profile: undefined, thresholds: ctx.thresholds });
    const p = new DecodedPacket();
    every(5).forEach((us, i) =>
      feed(d, ptpPacket(p, i + 1, T0 + BigInt(us) * 1000n, { type: PtpMessageType.SYNC, seq: 100 + i }), ctx),
    );
    feed(d, uplanePacket(new DecodedPacket(), 6, T0 + 750_000_000n), ctx);
    end(d, ctx);
    expect(ctx.occurrences).toHaveLength(1);
    expect(ctx.occurrences[0]!.packetIndex).toBe(6);
    expect(ctx.occurrences[0]!.evidence).toMatchObject({ resumed: false, last_packet_index: 5 });
  });

  it('takes the multiple from the profile thresholds', () => {
    expect(runSyncs([0, 62_500, 400_000], undefined, -4, { ptp_sync_gap: { interval_multiple: 6 } })).toHaveLength(0);
  });

  it('finds the injected fault of a synthetic capture at its labelled packet, and nothing in clean traffic', () => {
    const config = { durationS: 1, eaxc: { dl: [0], ul: [0] } };
    const defs = [ptpSyncGapDetector, ptpAnnounceTimeoutDetector];
    const clean = synthDetect('', defs, { config, computeIq: false });
    expect(clean.result.anomalies).toEqual([]);
    const run = synthDetect('ptp_sync_gap@0.3', defs, { config, computeIq: false });
    const label = run.labels.find((l) => l.type === 'ptp_sync_gap')!;
    const found = ofType(run.result, 'ptp_sync_gap');
    expect(found).toHaveLength(1);
    expect(found[0]!.packet_index).toBe(label.packet_index);
    expect(found[0]!.evidence).toMatchObject({ missing_messages: Number(label.params.missing) });
  });
});
