import { describe, expect, it } from 'vitest';
import { pairEvidence } from './evidence-pairs.js';

describe('evidence pairs', () => {
  it('pairs a limit with the observation it bounds, by key, not by position', () => {
    // ptp_sync_gap evidence, in the detector's order
    const rows = pairEvidence({
      gap_ms: 560.161,
      interval_ms: 62.5,
      log_message_interval: -4,
      threshold_ms: 187.5,
      threshold_intervals: 3,
      missing_messages: 8,
    });
    const pairs = rows.map((r) => [r.observed?.[0] ?? null, r.limit?.[0] ?? null]);
    expect(pairs).toEqual([
      ['gap_ms', 'threshold_ms'],
      ['interval_ms', null],
      ['log_message_interval', null],
      ['missing_messages', null],
      [null, 'threshold_intervals'],
    ]);
  });

  it('pairs expected_X with got_X and max_X with X; keeps every key once', () => {
    const ev = { got_seq: 44, expected_seq: 42, missing: 2, max_offset_us: 400, offset_us: 512, window_us: [50, 400] };
    const rows = pairEvidence(ev);
    expect(rows.find((r) => r.observed?.[0] === 'got_seq')?.limit?.[0]).toBe('expected_seq');
    expect(rows.find((r) => r.observed?.[0] === 'offset_us')?.limit?.[0]).toBe('max_offset_us');
    const keys = rows.flatMap((r) => [r.observed?.[0], r.limit?.[0]]).filter(Boolean);
    expect(keys.sort()).toEqual(Object.keys(ev).sort());
  });
});
