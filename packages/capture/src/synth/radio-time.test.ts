import { describe, expect, it } from 'vitest';
import { expectedAirNs } from './test-support/synth-reader.js';
import { airTimeUnixNs, radioPositionAt, symbolStartsNs, symbolStartsTc, subframeAt } from './radio-time.js';

const T2026 = 1_767_225_600_000_000_000n; // 2026-01-01T00:00:00Z

describe('symbol table (TS 38.211 §5.3.1)', () => {
  it('fills exactly one subframe for every numerology', () => {
    for (let mu = 0; mu <= 4; mu++) {
      const t = symbolStartsTc(mu);
      expect(t).toHaveLength((14 << mu) + 1);
      expect(t.at(-1)).toBe(1_966_080);
    }
  });

  it('puts the long symbol at each 0.5 ms boundary: 30 kHz symbol 0 lasts 71168 Tc, symbol 1 70144 Tc', () => {
    const t = symbolStartsTc(1);
    expect(t[1]).toBe(71_168);
    expect((t[2] ?? 0) - (t[1] ?? 0)).toBe(70_144);
    expect(t[14]).toBe(983_040); // second half-subframe starts exactly at 0.5 ms
    expect(symbolStartsNs(1)[14]).toBe(500_000);
    expect(symbolStartsNs(0)[7]).toBe(500_000);
  });
});

describe('absolute radio timing (GPS epoch, 18 leap seconds)', () => {
  it('gives SFN 264 (frameId 8) at 2026-01-01T00:00:00Z', () => {
    const p = radioPositionAt(T2026, { scsKhz: 30 });
    expect(p).toEqual({ sfn: 264, frameId: 8, subframeId: 0, slotId: 0, symbolId: 0 });
  });

  it('places a mid-slot instant on the right symbol and inverts with airTimeUnixNs', () => {
    // 3.2604 ms after the start: subframe 3, 30 kHz slot 0, 260.4 µs in → symbol 7 (starts 250 µs + 7·35.677 µs?)
    const t = T2026 + 3_260_400n;
    const p = radioPositionAt(t, { scsKhz: 30 });
    expect(p.subframeId).toBe(3);
    const air = airTimeUnixNs(p, t, { scsKhz: 30 });
    expect(air).toBeLessThanOrEqual(t);
    expect(t - air).toBeLessThan(35_678n);
    expect(air).toBe(expectedAirNs(1, p.frameId, p.subframeId, p.slotId, p.symbolId, t));
  });

  it('resolves frameId wrap-around to the nearest occurrence', () => {
    const near = T2026 + 2_550_000_000n; // 2.55 s later: frameId 8 + 255 = 263 → 7
    const air = airTimeUnixNs({ frameId: 8, subframeId: 0, slotId: 0, symbolId: 0 }, near, { scsKhz: 30 });
    expect(air).toBe(T2026 + 2_560_000_000n);
  });

  it('moves the timeline later by α and β', () => {
    const a = subframeAt(T2026, { scsKhz: 30 });
    const b = subframeAt(T2026, { scsKhz: 30, alphaNs: 250_000, betaFrames: 1 });
    expect(a.subframe - b.subframe).toBe(11n);
    expect(b.intoNs).toBe(750_000);
    const p = radioPositionAt(T2026, { scsKhz: 30, leapSeconds: 17 });
    expect(p.sfn).toBe((264 - 100 + 1024) % 1024);
  });
});
