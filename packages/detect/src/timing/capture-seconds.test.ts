import { describe, expect, it } from 'vitest';
import {
  captureMicroseconds,
  captureSeconds,
  captureSubsecondNs,
  nsBetween,
  nsSince,
  splitSubsecondNs,
} from './capture-seconds.js';

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
      // right after captureSeconds of a time, whether it was split then or remembered
      captureSeconds(ts);
      expect(splitSubsecondNs()).toBe(Number(ts % 1_000_000_000n));
      captureSeconds(ts + 1n);
      expect(splitSubsecondNs()).toBe(Number((ts + 1n) % 1_000_000_000n));
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
      expect(nsBetween(t0, sec0, ns0, ts, captureSeconds(ts), captureSubsecondNs(ts))).toBe(Number(ts - t0));
    }
  });

  it('splits without a bigint division exactly as the divisions do, over the whole fast range and its edges', () => {
    // The halves path (0 ≤ ts < 4·10^18): quotient estimated from a rounded double and corrected by one.
    const values: bigint[] = [];
    const limit = 4_000_000_000_000_000_000n;
    for (const base of [0n, 2n ** 32n, 2n ** 53n, 1_700_000_000n * 10n ** 9n, limit - 10n ** 9n, limit]) {
      for (const d of [-1_000_000_001n, -1_000_000_000n, -999_999_999n, -1n, 0n, 1n, 999_999_999n, 10n ** 9n])
        if (base + d >= -(2n ** 63n) && base + d < 2n ** 63n) values.push(base + d);
    }
    // Pseudo-random timestamps from 1970 to 2096, and whole seconds ± 1 ns (where a quotient off by one shows).
    let x = 0x2545f491;
    const rnd = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return (x >>> 0) / 2 ** 32;
    };
    for (let i = 0; i < 20_000; i++) {
      const sec = BigInt(Math.floor(rnd() * 3_999_999_999));
      const ns = BigInt(Math.floor(rnd() * 1e9));
      values.push(sec * 10n ** 9n + ns, sec * 10n ** 9n, sec * 10n ** 9n - 1n, sec * 10n ** 9n + 999_999_999n);
    }
    let mismatches = 0;
    for (const ts of values) {
      if (captureSeconds(ts) !== Number(ts / 1_000_000_000n) || captureSubsecondNs(ts) !== Number(ts % 1_000_000_000n))
        mismatches++;
    }
    expect(values.length).toBeGreaterThan(80_000);
    expect(mismatches).toBe(0);
  });
});
