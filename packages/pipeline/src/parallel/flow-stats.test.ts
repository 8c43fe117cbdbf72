import { DecodedPacket } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { FlowStatsCollector, mergeFlowStats } from './flow-stats.js';

/** One U-plane DL packet of eAxC 1 with the given seqId, E bit and subsequence id. */
function packet(index: number, seq: number, eBit = 1, subseq = 0): DecodedPacket {
  const p = new DecodedPacket();
  p.index = index;
  p.hasOran = true;
  p.oranCount = 1;
  const m = p.oran;
  m.plane = 'u';
  m.dataDirection = 1;
  m.eaxc = 1;
  m.sequenceId = seq;
  m.eBit = eBit;
  m.subsequenceId = subseq;
  return p;
}

function collect(packets: DecodedPacket[]) {
  const c = new FlowStatsCollector();
  for (const p of packets) c.add(p, 100);
  return c.toFlowStats();
}

describe('flow statistics: sequence continuity by the one rule of sequence-flow.ts', () => {
  it('fragments of one seqId (E = 0, then a higher subsequence id) are in order; a repeat or a gap is not', () => {
    const [f] = collect([
      packet(1, 5, 0, 0),
      packet(2, 5, 0, 1),
      packet(3, 5, 1, 2),
      packet(4, 6),
      packet(5, 6),
      packet(6, 9),
    ]);
    expect(f!.seqDiscontinuities).toBe(2); // the repeated 6 and the jump 6 → 9
  });

  it('a range boundary inside a fragmented seqId is no discontinuity when merged', () => {
    const a = collect([packet(1, 5, 0, 0)]);
    const b = collect([packet(1, 5, 1, 1), packet(2, 6)]);
    const [merged] = mergeFlowStats([a, b], [0, 1]);
    expect(merged!.seqDiscontinuities).toBe(0);
    const [single] = collect([packet(1, 5, 0, 0), packet(2, 5, 1, 1), packet(3, 6)]);
    expect(single!.seqDiscontinuities).toBe(0);
  });
});
