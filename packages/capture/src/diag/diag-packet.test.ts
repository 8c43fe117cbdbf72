import { describe, expect, it } from 'vitest';
import { diagTimeToUtcMs, diagTimeToUtcNs, formatUtcNs, splitDiagTimestamp } from './diag-time.js';
import { newDiagPacket, parseDiagPayload, parseDiagPayloadAt } from './diag-packet.js';
import { diagLogPacket, multiSim, rawTs } from './test-support/diag-fixtures.js';

describe('parseDiagPayload', () => {
  it('reads a log packet: code, 48-bit ticks, 16-bit fraction and a body view', () => {
    const p = parseDiagPayload(diagLogPacket(0xb193, rawTs(0x123456789a, 0x8000), [1, 2, 3]), newDiagPacket());
    expect(p).toMatchObject({
      kind: 'log',
      command: 0x10,
      subscription: -1,
      logCode: 0xb193,
      ticks: 0x123456789a,
      fraction: 0x8000,
    });
    expect([...p.body]).toEqual([1, 2, 3]);
  });

  it('unwraps the 8-byte 0x98 multi-SIM header and keeps the subscription', () => {
    const p = parseDiagPayload(multiSim(2, diagLogPacket(0xb821, rawTs(5), [9])), newDiagPacket());
    expect(p).toMatchObject({ kind: 'log', subscription: 2, logCode: 0xb821, ticks: 5 });
    expect([...p.body]).toEqual([9]);
  });

  it('calls any other command a command, and lengths that do not fit the frame malformed', () => {
    expect(parseDiagPayload(Uint8Array.of(0x73, 0, 0, 0), newDiagPacket()).kind).toBe('command');
    const short = diagLogPacket(0xb0c0, rawTs(1), [1, 2, 3, 4]).subarray(0, 18);
    expect(parseDiagPayload(short, newDiagPacket())).toMatchObject({
      kind: 'malformed',
      reason: 'log length 16 runs past the frame (14 bytes)',
    });
    const tiny = Uint8Array.of(0x10, 0, 4, 0, 4, 0);
    expect(parseDiagPayload(tiny, newDiagPacket()).kind).toBe('malformed');
  });

  it('reads a payload in place inside a larger buffer; the body view follows the packet it is read for', () => {
    const a = diagLogPacket(0xb193, rawTs(1), [1, 2, 3]);
    const b = multiSim(1, diagLogPacket(0xb0c0, rawTs(2), [4, 5, 6, 7]));
    const buf = new Uint8Array(5 + a.length + b.length);
    buf.set(a, 5);
    buf.set(b, 5 + a.length);
    const p = newDiagPacket();
    parseDiagPayloadAt(buf, 5, 5 + a.length, p);
    expect(p).toMatchObject({ kind: 'log', logCode: 0xb193, ticks: 1, bodyOffset: 16 });
    expect([...p.body]).toEqual([1, 2, 3]);
    expect(p.body).toBe(p.body); // made once per packet
    expect(p.bodyBytes[p.bodyStart]).toBe(1);
    parseDiagPayloadAt(buf, 5 + a.length, buf.length, p);
    expect(p).toMatchObject({ kind: 'log', logCode: 0xb0c0, subscription: 1, ticks: 2, bodyOffset: 24 });
    expect([...p.body]).toEqual([4, 5, 6, 7]);
    expect(p.bodyEnd - p.bodyStart).toBe(4);
  });
});

describe('DIAG timestamps', () => {
  it('converts GPS-epoch 1.25 ms ticks plus 1/65536 tick to UTC ns with the leap-second offset', () => {
    // 2020-01-01T00:00:00Z = Unix 1577836800 s; GPS seconds = Unix − 315964800 + 18 (GPS − UTC in 2020).
    const gpsS = 1577836800 - 315964800 + 18;
    const ticks = gpsS * 800; // 800 ticks of 1.25 ms per second
    expect(formatUtcNs(diagTimeToUtcNs(ticks, 0))).toBe('2020-01-01T00:00:00.000000000Z');
    expect(formatUtcNs(diagTimeToUtcNs(ticks + 1, 32768))).toBe('2020-01-01T00:00:00.001875000Z'); // 1.5 ticks
    expect(formatUtcNs(diagTimeToUtcNs(ticks, 0, 17))).toBe('2020-01-01T00:00:01.000000000Z');
    expect(diagTimeToUtcMs(ticks + 1, 32768)).toBe(1577836800001.875);
    expect(splitDiagTimestamp(rawTs(ticks, 7))).toEqual({ ticks, fraction: 7 });
  });

  it('gives the exact bigint value for any tick, fraction and offset, in any order of calls', () => {
    const exact = (t: number, f: number, off: number): bigint =>
      BigInt(315964800 - off) * 1_000_000_000n + BigInt(t) * 1_250_000n + ((BigInt(f) * 1_250_000n) >> 16n);
    const cases: [number, number, number][] = [];
    for (const t of [0, 1, 1_100_000_000_123, 2 ** 48 - 1])
      for (const f of [0, 1, 32768, 52429, 65535]) for (const off of [18, 16]) cases.push([t, f, off]);
    // same tick with other offsets and fractions back to back, then the list reversed
    for (const [t, f, off] of [...cases, ...cases.reverse()]) expect(diagTimeToUtcNs(t, f, off)).toBe(exact(t, f, off));
    expect(() => diagTimeToUtcNs(5, 1.5)).toThrow(RangeError);
    // every fraction of one tick: the double product (fraction · 19.073486328125) floors as the bigint does
    const t = 1_100_000_000_123;
    let wrong = 0;
    for (let f = 0; f < 65536; f++) if (diagTimeToUtcNs(t, f) !== exact(t, f, 18)) wrong++;
    expect(wrong).toBe(0);
  });

  it('is exact across second boundaries and for random ticks up to 2^48 (the second is kept, the rest in a double)', () => {
    const exact = (t: number, f: number, off: number): bigint =>
      BigInt(315964800 - off) * 1_000_000_000n + BigInt(t) * 1_250_000n + ((BigInt(f) * 1_250_000n) >> 16n);
    let x = 12345;
    const rnd = (): number => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return x;
    };
    let wrong = 0;
    const check = (t: number, f: number, off = 18): void => {
      if (diagTimeToUtcNs(t, f, off) !== exact(t, f, off)) wrong++;
    };
    // ticks on both sides of whole seconds (multiples of 800), up and down, fractions at both ends
    for (const s of [0, 1, 1_374_999_999, 2 ** 48 / 800 - 1, Math.floor(2 ** 48 / 800)])
      for (const d of [-2, -1, 0, 1, 799, 800, 801])
        for (const f of [0, 65535]) if (s * 800 + d >= 0 && s * 800 + d <= 2 ** 48) check(s * 800 + d, f);
    // random 48-bit ticks and fractions, and runs within one second with the offset changing
    for (let k = 0; k < 20_000; k++) {
      const t = (rnd() % 65536) * 2 ** 32 + rnd();
      check(t, rnd() % 65536, k % 7 === 0 ? 17 : 18);
      check(t - (t % 800) + (rnd() % 800), rnd() % 65536);
    }
    expect(wrong).toBe(0);
    // a negative tick count is outside the counter's range but converts as the bigint formula does
    expect(diagTimeToUtcNs(-801, 3)).toBe(exact(-801, 3, 18));
  });
});
