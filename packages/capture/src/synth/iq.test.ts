import { describe, expect, it } from 'vitest';
import { bfpExponent, compressCarrier, compressPrb, decompressPrb, generateSymbolSamples, prbBytes } from './iq.js';
import { Prng } from './prng.js';

const BFP9 = { method: 'bfp', iqWidth: 9 } as const;

describe('BFP compression (CUS Annex A.1)', () => {
  it('packs mantissas MSB first after the exponent byte', () => {
    const s = new Int32Array(24);
    s[0] = 255 * 16; // exponent 4 → mantissa 255 = 0b011111111
    s[1] = -256 * 16; // −256 = 0b100000000
    const out = new Uint8Array(prbBytes(BFP9));
    compressPrb(s, 0, BFP9, out, 0);
    expect(out.length).toBe(28);
    expect(out[0]).toBe(4);
    // 011111111 100000000 000… → 0x7f 0xc0 0x00
    expect(Array.from(out.subarray(1, 4))).toEqual([0x7f, 0xc0, 0x00]);
    expect(decompressPrb(out, 0, BFP9).mantissas.slice(0, 3)).toEqual([255, -256, 0]);
  });

  it('chooses the smallest exponent that fits and round-trips within one quantisation step', () => {
    const prng = new Prng(3);
    const samples = generateSymbolSamples(prng, 10);
    const bytes = compressCarrier(samples, 10, BFP9);
    for (let p = 0; p < 10; p++) {
      const { exponent, samples: back } = decompressPrb(bytes, p * 28, BFP9);
      expect(exponent).toBe(bfpExponent(samples, p * 24, 9));
      expect(exponent).toBeGreaterThan(0);
      expect(exponent).toBeLessThan(7);
      for (let i = 0; i < 24; i++)
        expect(Math.abs((back[i] ?? 0) - (samples[p * 24 + i] ?? 0))).toBeLessThanOrEqual(2 ** exponent);
    }
  });

  it('shows clipping as exponent 16 − w with extreme mantissas', () => {
    const samples = generateSymbolSamples(new Prng(1), 50, undefined, 1);
    const bytes = compressCarrier(samples, 50, BFP9);
    let clipped = 0;
    for (let p = 0; p < 50; p++) {
      const { exponent, mantissas } = decompressPrb(bytes, p * 28, BFP9);
      if (exponent === 7 && mantissas.some((m) => m === 255 || m === -256)) clipped++;
    }
    expect(clipped).toBe(50);
  });

  it('writes uncompressed 16-bit samples big-endian without an exponent byte', () => {
    const fmt = { method: 'none', iqWidth: 16 } as const;
    const s = new Int32Array(24).fill(-2);
    s[0] = 0x1234;
    const out = new Uint8Array(prbBytes(fmt));
    compressPrb(s, 0, fmt, out, 0);
    expect(out.length).toBe(48);
    expect(Array.from(out.subarray(0, 4))).toEqual([0x12, 0x34, 0xff, 0xfe]);
  });
});
