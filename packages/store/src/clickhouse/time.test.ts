import { describe, expect, it } from 'vitest';
import { fromChDateTime, fromChDateTimeCompact, toChDateTime } from './time.js';

describe('ClickHouse DateTime64(9) text', () => {
  it('keeps all nine fractional digits both ways, without a JS Date in between', () => {
    expect(toChDateTime('2026-11-26T03:11:54.123456789Z')).toBe('2026-11-26 03:11:54.123456789');
    expect(fromChDateTime('2026-11-26 03:11:54.123456789')).toBe('2026-11-26T03:11:54.123456789Z');
  });

  it('pads shorter fractions and whole seconds to nine digits', () => {
    expect(toChDateTime('2026-11-26T03:11:54.5Z')).toBe('2026-11-26 03:11:54.500000000');
    expect(toChDateTime('2026-11-26T03:11:54Z')).toBe('2026-11-26 03:11:54.000000000');
    expect(fromChDateTime('2026-11-26 03:11:54')).toBe('2026-11-26T03:11:54.000000000Z');
  });

  it('normalises other UTC offsets and rejects what is not a timestamp', () => {
    expect(toChDateTime('2026-11-26T05:11:54.250+02:00')).toBe('2026-11-26 03:11:54.250000000');
    expect(() => toChDateTime("'; DROP TABLE x; --")).toThrow(RangeError);
    expect(() => fromChDateTime('garbage')).toThrow(RangeError);
  });

  it('answers session times in millisecond form when nothing finer was stored', () => {
    expect(fromChDateTimeCompact('2026-11-26 03:00:00.123000000')).toBe('2026-11-26T03:00:00.123Z');
    expect(fromChDateTimeCompact('2026-11-26 03:00:00.123000001')).toBe('2026-11-26T03:00:00.123000001Z');
  });
});
