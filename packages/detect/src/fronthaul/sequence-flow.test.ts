import { describe, expect, it } from 'vitest';
import { isFragmentContinuation, seqInOrder, SequenceFlow, type SeqHole } from './sequence-flow.js';

function track(horizon = 128) {
  const gaps: { hole: SeqHole; ids: number[] }[] = [];
  const flow = new SequenceFlow(horizon, (hole, ids) => gaps.push({ hole, ids }));
  let index = 0;
  const see = (seq: number, eBit = 1, subseq = 0) => {
    const o = { ...flow.observe(seq, eBit, subseq, ++index, BigInt(index)) };
    if (o.verdict === 'gap_opened') flow.lastHole!.tag = `tag${index}`;
    return o;
  };
  return { flow, gaps, see };
}

describe('SequenceFlow', () => {
  it('accepts consecutive ids through the 255 → 0 wrap', () => {
    const { see, gaps, flow } = track();
    expect(see(254).verdict).toBe('first');
    expect(see(255).verdict).toBe('in_order');
    expect(see(0).verdict).toBe('in_order');
    expect(see(1).verdict).toBe('in_order');
    flow.end();
    expect(gaps).toEqual([]);
  });

  it('opens a hole for skipped ids and reports it as a gap at the end of the flow', () => {
    const { see, gaps, flow } = track();
    see(1);
    see(2);
    const o = see(5);
    expect(o.verdict).toBe('gap_opened');
    expect(o.skipped).toBe(2);
    expect(gaps).toEqual([]);
    flow.end();
    expect(gaps).toHaveLength(1);
    expect(gaps[0]!.ids).toEqual([3, 4]);
    expect(gaps[0]!.hole.after).toEqual({ index: 3, tsNs: 3n, seq: 5 });
    expect(gaps[0]!.hole.before).toEqual({ index: 2, tsNs: 2n, seq: 2 });
    expect(gaps[0]!.hole.tag).toBe('tag3');
  });

  it('counts a gap across the wrap modulo 256', () => {
    const { see, gaps, flow } = track();
    see(254);
    see(1);
    flow.end();
    expect(gaps[0]!.ids).toEqual([255, 0]);
  });

  it('treats a late packet that fills the hole as a reorder, not a gap', () => {
    const { see, gaps, flow } = track();
    see(1);
    see(2);
    see(4);
    const o = see(3);
    expect(o).toMatchObject({ verdict: 'reorder', behind: 1, filledHole: true, previousHigh: 4 });
    see(5);
    flow.end();
    expect(gaps).toEqual([]);
  });

  it('reports only the ids still missing when a hole is partly filled', () => {
    const { see, gaps, flow } = track();
    see(1);
    see(5);
    expect(see(3).verdict).toBe('reorder');
    flow.end();
    expect(gaps[0]!.ids).toEqual([2, 4]);
    expect(gaps[0]!.hole.remaining).toBe(2);
  });

  it('a late packet exactly 128 behind still fills its hole; the gap is final only past 128', () => {
    const { see, gaps } = track();
    see(0);
    see(2); // hole {1}
    for (let s = 3; s <= 129; s++) see(s); // high 129: id 1 is 128 behind
    expect(gaps).toEqual([]);
    const o = see(1);
    expect(o).toMatchObject({ verdict: 'reorder', behind: 128, filledHole: true });
    see(130);
    expect(gaps).toEqual([]);
  });

  it('makes the gap final when the high mark moves 129 past the missing id', () => {
    const { see, gaps } = track();
    see(0);
    see(2); // hole {1}
    for (let s = 3; s <= 129; s++) see(s);
    expect(gaps).toHaveLength(0); // 129 − 1 = 128: not yet
    see(130);
    expect(gaps).toHaveLength(1); // 130 − 1 = 129 > 128
    expect(gaps[0]!.ids).toEqual([1]);
  });

  it('with a smaller horizon, a packet later than the horizon is a reorder after its reported gap', () => {
    const { see, gaps } = track(4);
    see(10);
    see(12); // hole {11}
    see(13);
    see(14);
    see(15);
    expect(gaps).toHaveLength(0); // 15 − 11 = 4
    see(16);
    expect(gaps).toHaveLength(1);
    expect(see(11)).toMatchObject({ verdict: 'reorder', filledHole: false, afterFinalGap: true, behind: 5 });
  });

  it('tells a repeat of the high mark (duplicate) from a continuation fragment', () => {
    const { see } = track();
    see(7);
    expect(see(7).verdict).toBe('duplicate');
    see(8, 0, 0);
    expect(see(8, 0, 1).verdict).toBe('fragment');
    expect(see(8, 1, 2).verdict).toBe('fragment');
    expect(see(8, 1, 2).verdict).toBe('duplicate');
  });

  it('a repeat of an older received id is a duplicate, an id before the flow start a reorder', () => {
    const { see } = track();
    see(10);
    see(11);
    see(12);
    expect(see(11)).toMatchObject({ verdict: 'duplicate', behind: 1 });
    expect(see(9)).toMatchObject({ verdict: 'reorder', behind: 3, filledHole: false, afterFinalGap: false });
    expect(see(9).verdict).toBe('duplicate');
  });

  it('127 ahead is a jump with 126 missing; 128 ahead is read as 128 behind', () => {
    const a = track();
    a.see(0);
    expect(a.see(127)).toMatchObject({ verdict: 'gap_opened', skipped: 126 });
    const b = track();
    b.see(0);
    expect(b.see(128)).toMatchObject({ verdict: 'reorder', behind: 128 });
  });

  it('refuses a horizon beyond what modulo 256 can tell', () => {
    expect(() => new SequenceFlow(129, () => {})).toThrow(RangeError);
    expect(() => new SequenceFlow(0, () => {})).toThrow(RangeError);
  });

  it('keeps constant memory over many wraps with gaps', () => {
    const { see, gaps, flow } = track();
    let s = 0;
    for (let i = 0; i < 100_000; i++) {
      s = (s + (i % 1000 === 999 ? 3 : 1)) & 0xff;
      see(s);
    }
    flow.end();
    expect(gaps).toHaveLength(100);
    expect(flow.holes).toHaveLength(0);
  });
});

describe('seqInOrder', () => {
  it('is the next id, or the next fragment of the same id (E = 0 before, higher subsequence id)', () => {
    let inOrder = 0;
    for (let d = 0; d < 256; d++)
      for (const prevEBit of [0, 1])
        for (let prevSubseq = 0; prevSubseq < 4; prevSubseq++)
          for (let subseq = 0; subseq < 4; subseq++) {
            const fragment = prevEBit === 0 && subseq > prevSubseq;
            expect(isFragmentContinuation(prevEBit, prevSubseq, subseq)).toBe(fragment);
            const expected = d === 1 || (d === 0 && fragment);
            expect(seqInOrder(d, prevEBit, prevSubseq, subseq)).toBe(expected);
            if (expected) inOrder++;
          }
    expect(inOrder).toBe(2 * 16 + 6); // d = 1 always; d = 0 for the 6 higher subsequence ids after E = 0
  });
});
