import { DecodedPacket, PtpMessageType } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { T0, ptpPacket, recordingContext } from './test-support/detect-helpers.js';
import { ptpSyncSequenceDetector } from './ptp-sync-sequence.js';
import { end, feed } from '../framework/test-support/feed.js';

function runSeqs(seqs: number[]) {
  const ctx = recordingContext([ptpSyncSequenceDetector]);
  const d = ptpSyncSequenceDetector.create({ profile: undefined, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  seqs.forEach((seq, i) =>
    feed(d, ptpPacket(p, i + 1, T0 + BigInt(i) * 62_500_000n, { type: PtpMessageType.SYNC, seq }), ctx),
  );
  end(d, ctx);
  return ctx.occurrences;
}

describe('ptp_sync_sequence_error', () => {
  it('accepts increments, the 16-bit wrap and forward jumps', () => {
    expect(runSeqs([65534, 65535, 0, 1, 5, 6])).toHaveLength(0);
  });

  it('reports a repeated and a backward sequenceId', () => {
    const occ = runSeqs([10, 11, 11, 12, 3, 13]);
    expect(occ.map((o) => [o.packetIndex, o.evidence.steps_back])).toEqual([
      [3, 0],
      [5, 9],
    ]);
    expect(occ[1]!.evidence).toMatchObject({ previous_sequence_id: 12, sequence_id: 3, previous_packet_index: 4 });
  });

  it('treats a jump of more than half the space as backwards (0 → 40000)', () => {
    expect(runSeqs([0, 40000])).toHaveLength(1);
    expect(runSeqs([0, 32768])).toHaveLength(0);
  });
});
