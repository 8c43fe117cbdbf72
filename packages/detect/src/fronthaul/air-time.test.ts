import { describe, expect, it } from 'vitest';
// The generator's own air-time math (independent implementation): the two must agree.
import { airTimeUnixNs as synthAirTimeUnixNs } from '../../../capture/src/synth/radio-time.js';
import {
  AirClock,
  CaptureTimeBase,
  GPS_EPOCH_UNIX_S,
  UNITS_PER_NS,
  airTime,
  airTimeNs,
  numerologyOfScs,
  offsetUnits,
  positionAt,
  radioOriginUnixNs,
  symbolStartTc,
} from './air-time.js';

const S = 1_000_000_000n;
/** 2026-01-01T00:00:00Z: GPS 1 451 260 818 s = 145 126 081 800 frames → SFN 264 (frameId 8) starts here. */
const NEW_YEAR_2026 = 1_767_225_600n * S;

describe('symbolStartTc (TS 38.211 §5.3.1)', () => {
  it('puts the extra 16κ Tc at the start of each 0.5 ms half-subframe', () => {
    // μ = 1: symbol 0 lasts (2192·32 + 1024) Tc, the others 2192·32 Tc
    expect(symbolStartTc(1, 0, 0)).toBe(0);
    expect(symbolStartTc(1, 0, 1)).toBe(71_168);
    expect(symbolStartTc(1, 0, 2)).toBe(71_168 + 70_144);
    // slot 1 symbol 0 is the first symbol of the second half-subframe: exactly 0.5 ms
    expect(symbolStartTc(1, 1, 0)).toBe(983_040);
    expect(symbolStartTc(1, 1, 1)).toBe(983_040 + 71_168);
    // μ = 0: symbol 7 starts the second half-subframe
    expect(symbolStartTc(0, 0, 7)).toBe(983_040);
    expect(symbolStartTc(0, 0, 6)).toBe(6 * 140_288 + 1024);
    // μ = 2: half-subframes start at symbol 0 of slots 0 and 2
    expect(symbolStartTc(2, 2, 0)).toBe(983_040);
    expect(symbolStartTc(2, 1, 13) + ((2192 * 64) >> 2)).toBe(983_040);
  });

  it('rejects slots and symbols the numerology does not have', () => {
    expect(symbolStartTc(1, 2, 0)).toBe(-1);
    expect(symbolStartTc(1, 0, 14)).toBe(-1);
    expect(symbolStartTc(0, 1, 0)).toBe(-1);
  });

  it('numerologyOfScs maps 15·2^μ kHz and rejects others', () => {
    expect([15, 30, 60, 120, 240].map(numerologyOfScs)).toEqual([0, 1, 2, 3, 4]);
    expect(() => numerologyOfScs(45)).toThrow(RangeError);
  });
});

describe('airTime (GPS alignment, CUS §9.7.2)', () => {
  const cfg = { mu: 1 };

  it('SFN 0 starts at the GPS epoch in UTC (315 964 800 s − 18 leap seconds)', () => {
    const origin = radioOriginUnixNs(cfg);
    expect(origin).toBe(BigInt(GPS_EPOCH_UNIX_S - 18) * S);
    expect(airTime({ frameId: 0, subframeId: 0, slotId: 0, symbolId: 0 }, origin, cfg)).toEqual({ ns: origin, sub: 0 });
  });

  it('a known instant: frameId 8 subframe 0 starts exactly at 2026-01-01T00:00:00Z', () => {
    expect(airTime({ frameId: 8, subframeId: 0, slotId: 0, symbolId: 0 }, NEW_YEAR_2026 + 123_456n, cfg)).toEqual({
      ns: NEW_YEAR_2026,
      sub: 0,
    });
    expect(positionAt(NEW_YEAR_2026, cfg)).toEqual({ sfn: 264, frameId: 8, subframeId: 0, slotId: 0, symbolId: 0 });
    // one ns earlier is the last symbol of SFN 263, subframe 9, slot 1
    expect(positionAt(NEW_YEAR_2026 - 1n, cfg)).toEqual({
      sfn: 263,
      frameId: 7,
      subframeId: 9,
      slotId: 1,
      symbolId: 13,
    });
  });

  it('keeps the sub-ns fraction: symbol 1 of μ = 1 starts 36 197 + 5632/6144 ns into the subframe', () => {
    const a = airTime({ frameId: 8, subframeId: 3, slotId: 0, symbolId: 1 }, NEW_YEAR_2026, cfg);
    expect(a).toEqual({ ns: NEW_YEAR_2026 + 3_000_000n + 36_197n, sub: 5632 });
    expect(airTimeNs({ frameId: 8, subframeId: 3, slotId: 0, symbolId: 1 }, NEW_YEAR_2026, cfg)).toBe(a.ns);
    // exact offsets: 1 ns after the start is 1 − 5632/6144 ns = 512 units
    expect(offsetUnits(a.ns + 1n, a)).toBe(512n);
    expect(offsetUnits(a.ns, a)).toBe(-5632n);
  });

  it('resolves frameId to the occurrence nearest the capture time across the 2.56 s wrap', () => {
    // capture in frameId 255 subframe 9: frameId 0 subframe 0 is the next subframe, not 2.559 s back
    const wrapStart = airTimeNs({ frameId: 0, subframeId: 0, slotId: 0, symbolId: 0 }, NEW_YEAR_2026, cfg);
    const late = wrapStart + 2_559_500_000n; // inside frameId 255 subframe 9
    expect(positionAt(late, cfg).frameId).toBe(255);
    expect(airTimeNs({ frameId: 0, subframeId: 0, slotId: 0, symbolId: 0 }, late, cfg)).toBe(
      wrapStart + 2_560_000_000n,
    );
    // and a packet sent 500 µs before the wrap for symbol 0 of the next wrap
    expect(airTimeNs({ frameId: 255, subframeId: 9, slotId: 0, symbolId: 0 }, wrapStart + 100_000n, cfg)).toBe(
      wrapStart - 1_000_000n,
    );
    // 1.279 s away still resolves forward; 1.281 s away resolves to the previous wrap
    expect(airTimeNs({ frameId: 128, subframeId: 0, slotId: 0, symbolId: 0 }, wrapStart + 1_000_000n, cfg)).toBe(
      wrapStart + 1_280_000_000n,
    );
    expect(airTimeNs({ frameId: 128, subframeId: 1, slotId: 0, symbolId: 0 }, wrapStart, cfg)).toBe(
      wrapStart + 1_281_000_000n - 2_560_000_000n,
    );
  });

  it('applies β frames and α ns (SFN 0 later by β·10 ms + α) and the leap-second offset', () => {
    const pos = { frameId: 8, subframeId: 0, slotId: 0, symbolId: 0 };
    expect(airTimeNs(pos, NEW_YEAR_2026, { mu: 1, betaFrames: 1 })).toBe(NEW_YEAR_2026 + 10_000_000n);
    expect(airTimeNs(pos, NEW_YEAR_2026, { mu: 1, alphaNs: 1_234 })).toBe(NEW_YEAR_2026 + 1_234n);
    expect(airTimeNs(pos, NEW_YEAR_2026, { mu: 1, alphaNs: -1_234 })).toBe(NEW_YEAR_2026 - 1_234n);
    // with 17 leap seconds the GPS second count is one lower: SFN 164 (mod 1024) starts at the same instant,
    // and frameId 8 starts 1 s (100 frames) later → nearest is 2.56 s − 1 s earlier
    expect(positionAt(NEW_YEAR_2026, { mu: 1, utcGpsOffsetS: 17 }).sfn).toBe(164);
    expect(airTimeNs(pos, NEW_YEAR_2026, { mu: 1, utcGpsOffsetS: 17 })).toBe(NEW_YEAR_2026 + 1_000_000_000n);
  });

  it('throws for a slot the numerology does not have', () => {
    expect(() => airTime({ frameId: 0, subframeId: 0, slotId: 2, symbolId: 0 }, NEW_YEAR_2026, cfg)).toThrow(
      RangeError,
    );
  });

  it('positionAt inverts airTime for every symbol of a subframe at every numerology', () => {
    for (let mu = 0; mu <= 4; mu++) {
      for (let slot = 0; slot < 1 << mu; slot++) {
        for (let sym = 0; sym < 14; sym++) {
          const pos = { frameId: 77, subframeId: 5, slotId: slot, symbolId: sym };
          const a = airTime(pos, NEW_YEAR_2026, { mu });
          const at = a.sub === 0 ? a.ns : a.ns + 1n;
          expect(positionAt(at, { mu })).toMatchObject(pos);
          expect(positionAt(at - 1n, { mu })).not.toMatchObject(pos);
        }
      }
    }
  });
});

describe('agreement with the generator (capture/synth/radio-time.ts)', () => {
  it('gives the same floored air time for random positions, capture times and offsets', () => {
    let seed = 12345;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const mu = rnd(4);
      const pos = { frameId: rnd(256), subframeId: rnd(10), slotId: rnd(1 << mu), symbolId: rnd(14) };
      const near = NEW_YEAR_2026 + BigInt(rnd(1_000_000_000)) * 37n;
      const leap = 17 + rnd(3);
      const alphaNs = rnd(2) ? rnd(1_000_000) : 0;
      const betaFrames = rnd(2) ? rnd(300) : 0;
      const mine = airTimeNs(pos, near, { mu, utcGpsOffsetS: leap, alphaNs, betaFrames });
      const theirs = synthAirTimeUnixNs(pos, near, { scsKhz: 15 << mu, leapSeconds: leap, alphaNs, betaFrames });
      expect(mine, JSON.stringify({ pos, near: String(near), mu, leap, alphaNs, betaFrames })).toBe(theirs);
    }
  });
});

describe('AirClock (hot path)', () => {
  it('gives the exact bigint offsets as numbers, across many wraps from its base', () => {
    const clock = new AirClock({ mu: 1, alphaNs: 777 });
    let seed = 99;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    for (let i = 0; i < 2000; i++) {
      const pos = { frameId: rnd(256), subframeId: rnd(10), slotId: rnd(2), symbolId: rnd(14) };
      const ts = NEW_YEAR_2026 + BigInt(i) * 7_919_113n + BigInt(rnd(1000));
      const a = airTime(pos, ts, { mu: 1, alphaNs: 777 });
      const off = clock.offsetUnits(ts, pos.frameId, pos.subframeId, pos.slotId, pos.symbolId);
      expect(BigInt(off)).toBe(offsetUnits(ts, a));
      expect(clock.airInstant(ts, off)).toEqual(a);
    }
  });

  it('stays exact when capture time jumps back and forth across wraps, before its base too', () => {
    // AirClock keeps the wrap of the last call: a time outside it (earlier or later) must find its own
    const cfg = { mu: 1, alphaNs: 777 };
    const clock = new AirClock(cfg);
    let seed = 7;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const wrapNs = 2_560_000_000n;
    for (let i = 0; i < 3000; i++) {
      const pos = { frameId: rnd(256), subframeId: rnd(10), slotId: rnd(2), symbolId: rnd(14) };
      // the first call fixes the base; then up to 4 wraps either side, often right at a wrap's edge
      const edge = BigInt(rnd(9) - 4) * wrapNs + BigInt(rnd(3) - 1) * BigInt(rnd(2_000_000));
      const ts = i === 0 ? NEW_YEAR_2026 : NEW_YEAR_2026 + edge + BigInt(rnd(5)) * 1_000_000n;
      const off = clock.offsetUnits(ts, pos.frameId, pos.subframeId, pos.slotId, pos.symbolId);
      expect(BigInt(off)).toBe(offsetUnits(ts, airTime(pos, ts, cfg)));
    }
  });

  it('is exact at window boundaries: an offset of exactly 100 µs is 100 000 · 6144 units', () => {
    const clock = new AirClock({ mu: 1 });
    const pos = { frameId: 8, subframeId: 0, slotId: 1, symbolId: 0 }; // starts 0.5 ms in, whole ns
    const air = airTimeNs(pos, NEW_YEAR_2026, { mu: 1 });
    expect(clock.offsetUnits(air - 100_000n, 8, 0, 1, 0)).toBe(-100_000 * UNITS_PER_NS);
    expect(clock.offsetUnits(air + 300_000n, 8, 0, 1, 0)).toBe(300_000 * UNITS_PER_NS);
    expect(clock.offsetUnits(air, 8, 0, 2, 0)).toBeNaN();
  });
});

describe('CaptureTimeBase (exact capture time without bigint arithmetic)', () => {
  it('gives exact ns since the first time, far from it and before it', () => {
    const a = new CaptureTimeBase();
    const t = NEW_YEAR_2026 + 123n;
    expect(a.relNs(t)).toBe(0);
    expect(a.relNs(t + 1n)).toBe(1);
    expect(a.relNs(t - 1n)).toBe(-1);
    expect(a.relNs(t + 4_294_967_296n + 7n)).toBe(4_294_967_303); // carries across the 32-bit halves
    expect(a.relNs(t - 4_294_967_297n)).toBe(-4_294_967_297);
    expect(a.relNs(t + 100n * 86_400n * S + 1n)).toBe(100 * 86_400 * 1e9 + 1);
  });

  it('works for a base before 1970 and with setBase', () => {
    const b = new CaptureTimeBase();
    b.setBase(-5n);
    expect(b.relNs(3n)).toBe(8);
    expect(b.relNs(-4_294_967_301n)).toBe(-4_294_967_296);
    const c = new CaptureTimeBase();
    c.setBase(NEW_YEAR_2026);
    expect(c.relNs(NEW_YEAR_2026 - 90n * 86_400n * S - 3n)).toBe(-(90 * 86_400 * 1e9) - 3);
  });
});
