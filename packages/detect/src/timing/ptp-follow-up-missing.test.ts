import { DecodedPacket, PtpMessageType } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { T0, ptpPacket, recordingContext } from './test-support/detect-helpers.js';
import { ptpFollowUpMissingDetector } from './ptp-follow-up-missing.js';
import { end, feed } from '../framework/test-support/feed.js';

type Msg = ['S' | 's' | 'F', number]; // S two-step Sync, s one-step Sync, F Follow_Up; sequenceId

function run(msgs: Msg[]) {
  const ctx = recordingContext([ptpFollowUpMissingDetector]);
  const d = ptpFollowUpMissingDetector.create({ profile: undefined, thresholds: ctx.thresholds });
  const p = new DecodedPacket();
  msgs.forEach(([kind, seq], i) => {
    const type = kind === 'F' ? PtpMessageType.FOLLOW_UP : PtpMessageType.SYNC;
    feed(d, ptpPacket(p, i + 1, T0 + BigInt(i) * 31_250_000n, { type, seq, twoStep: kind === 'S' }), ctx);
  });
  end(d, ctx);
  return ctx.occurrences;
}

describe('ptp_follow_up_missing', () => {
  it('accepts two-step Syncs with their Follow_Up and one-step Syncs without', () => {
    expect(
      run([
        ['S', 1],
        ['F', 1],
        ['S', 2],
        ['F', 2],
        ['s', 3],
        ['s', 4],
      ]),
    ).toHaveLength(0);
  });

  it('reports a two-step Sync whose Follow_Up never came, at the next Sync', () => {
    const occ = run([
      ['S', 1],
      ['F', 1],
      ['S', 2],
      ['S', 3],
      ['F', 3],
    ]);
    expect(occ).toHaveLength(1);
    expect(occ[0]!.packetIndex).toBe(4);
    expect(occ[0]!.evidence).toMatchObject({ sync_sequence_id: 2, sync_packet_index: 3 });
  });

  it('does not take a Follow_Up of another sequenceId for the missing one', () => {
    expect(
      run([
        ['S', 1],
        ['F', 7],
        ['S', 2],
        ['F', 2],
      ]),
    ).toHaveLength(1);
  });

  it('reports an orphan left at the end only when packets followed it', () => {
    expect(
      run([
        ['S', 1],
        ['F', 1],
        ['S', 2],
      ]),
    ).toHaveLength(0);
    expect(
      run([
        ['S', 1],
        ['F', 1],
        ['S', 2],
        ['s', 9],
        ['s', 10],
      ]).length,
    ).toBeGreaterThan(0);
  });
});
