import { describe, expect, it } from 'vitest';
import { formatDurationNs, isoNs } from './time-format.js';

describe('isoNs', () => {
  it('writes UTC with exactly nine decimals, no millisecond rounding', () => {
    expect(isoNs(1_795_651_200_000_000_000n)).toBe('2026-11-26T00:00:00.000000000Z');
    expect(isoNs(1_795_651_200_999_999_999n)).toBe('2026-11-26T00:00:00.999999999Z');
    expect(isoNs(1_795_662_714_123_456_789n)).toBe('2026-11-26T03:11:54.123456789Z');
  });

  it('agrees with Date on whole milliseconds over leap years and century rules', () => {
    for (const ms of [0, 951_782_400_000, 951_868_800_000, 4_107_542_400_000, 1_709_164_800_000, 253_402_300_799_000]) {
      const ns = BigInt(ms) * 1_000_000n + 123n;
      expect(isoNs(ns)).toBe(new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000123Z'));
    }
  });

  it('gives the same text whether or not the previous call was in the same second', () => {
    // the second's text is kept from the call before: alternate seconds, repeat one, cross midnight
    const ts = [
      1_795_651_199_999_999_999n,
      1_795_651_200_000_000_000n,
      1_795_651_200_000_000_001n,
      1_795_651_199_000_000_000n,
      1_795_651_200_500_000_000n,
      1_795_651_200_500_000_000n,
      -1n,
      0n,
    ];
    const expected = [
      '2026-11-25T23:59:59.999999999Z',
      '2026-11-26T00:00:00.000000000Z',
      '2026-11-26T00:00:00.000000001Z',
      '2026-11-25T23:59:59.000000000Z',
      '2026-11-26T00:00:00.500000000Z',
      '2026-11-26T00:00:00.500000000Z',
      '1969-12-31T23:59:59.999999999Z',
      '1970-01-01T00:00:00.000000000Z',
    ];
    expect(ts.map((t) => isoNs(t))).toEqual(expected);
    expect([...ts].reverse().map((t) => isoNs(t))).toEqual([...expected].reverse());
  });

  it('agrees with Date on random times 1900–2200, in any order (the day text is kept from the call before)', () => {
    let x = 0x2545f491;
    const next = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
    const lo = Date.UTC(1900, 0, 1);
    const hi = Date.UTC(2200, 0, 1);
    const got: string[] = [];
    const want: string[] = [];
    let ms = 1_795_651_200_000;
    for (let i = 0; i < 20_000; i++) {
      const u = next();
      // mostly the next second or the same day, now and then anywhere: day changes in both directions
      if (u < 0.5) ms += 1000;
      else if (u < 0.8) ms += Math.floor((next() - 0.5) * 86_400_000);
      else ms = lo + Math.floor(next() * (hi - lo));
      const sub = BigInt(Math.floor(next() * 1_000_000));
      got.push(isoNs(BigInt(ms) * 1_000_000n + sub));
      want.push(new Date(ms).toISOString().replace(/\.(\d{3})Z$/, `.$1${String(sub).padStart(6, '0')}Z`));
    }
    expect(got).toEqual(want);
  });

  it('floors before 1970', () => {
    expect(isoNs(-1n)).toBe('1969-12-31T23:59:59.999999999Z');
    expect(isoNs(-86_400_000_000_000n)).toBe('1969-12-31T00:00:00.000000000Z');
  });
});

describe('formatDurationNs', () => {
  it('picks a readable unit', () => {
    expect(formatDurationNs(850n)).toBe('850 ns');
    expect(formatDurationNs(12_500n)).toBe('12.5 µs');
    expect(formatDurationNs(3_200_000n)).toBe('3.20 ms');
    expect(formatDurationNs(1_250_000_000n)).toBe('1.250 s');
  });
});
