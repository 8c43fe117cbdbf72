import { describe, expect, it } from 'vitest';
import { captureMicroseconds, captureSeconds, captureSubsecondNs, nsSince } from './capture-seconds.js';

/** The shared split must give exactly what the bigint divisions it replaces gave, remembered or not. */
describe('capture seconds', () => {
  const cases = [
    0n,
    1n,
    999n,
    1000n,
    999_999_999n,
    1_000_000_000n,
    1_733_500_000_123_456_789n, // 2024
    1_733_500_000_999_999_999n,
    1_733_500_001_000_000_000n,
    -1n,
    -1_000_000_001n,
    -1_733_500_000_123_456_789n,
    8_999_999_999_999_999_999n, // sec just below the fast path's bound
    9_000_000_001_000_000_999n, // beyond it: the bigint division
    9_223_372_036_854_775_807n,
  ];
  it.each(cases)('splits %s as tsNs / 10^9n, tsNs %% 10^9n and tsNs / 1000n', (ts) => {
    // twice: computed, then remembered; and after another time, so that the memo moves
    for (let k = 0; k < 2; k++) {
      expect(captureSeconds(ts)).toBe(Number(ts / 1_000_000_000n));
      expect(captureSubsecondNs(ts)).toBe(Number(ts % 1_000_000_000n));
      expect(captureMicroseconds(ts)).toBe(Number(ts / 1000n));
      captureSeconds(ts + 1n);
    }
  });
  it.each(cases)('measures from %s as Number(ts − t0)', (t0) => {
    const sec0 = captureSeconds(t0);
    const ns0 = captureSubsecondNs(t0);
    for (const d of [
      0n,
      1n,
      -1n,
      999_999_999n,
      1_000_000_001n,
      125_000_000_123n,
      8_999_999n * 1_000_000_000n,
      10n ** 16n,
      -(10n ** 16n),
    ]) {
      const ts = t0 + d;
      if (ts > 9_223_372_036_854_775_807n || ts < -9_223_372_036_854_775_808n) continue;
      expect(nsSince(t0, sec0, ns0, ts)).toBe(Number(ts - t0));
    }
  });
});
