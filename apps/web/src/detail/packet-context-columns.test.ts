import { describe, expect, it } from 'vitest';
import { contextCell, contextColumns, contextHeader } from './packet-context-columns.js';

describe('packet context columns', () => {
  const oran = {
    frame: 1,
    time: 't',
    size: 1042,
    kind: 'ecpri',
    ecpri_type: 0,
    eaxc: 0,
    plane: 'u',
    direction: 'dl',
    seq: 127,
    frame_id: 209,
    subframe_id: 1,
    slot_id: 2,
    symbol_id: 5,
  };

  it('keeps every column (symbol_id included) and puts sequenceId first for a sequence finding', () => {
    const cols = contextColumns([oran, { ...oran, focus: true }], 'seq_duplicate');
    expect(cols).toHaveLength(13);
    expect(cols).toContain('symbol_id');
    expect(cols.slice(0, 2)).toEqual(['frame', 'seq']);
    expect(contextHeader('seq')).toBe('sequenceId');
    expect(contextColumns([oran], 'iq_zero')[8]).toBe('seq');
  });

  it('names PTP message types', () => {
    expect([0, 9, 11, 5].map((t) => contextCell('ptp_type', t))).toEqual([
      'Sync',
      'Delay_Resp',
      'Announce',
      'reserved (5)',
    ]);
    expect(contextCell('size', 60)).toBe('60');
  });
});
