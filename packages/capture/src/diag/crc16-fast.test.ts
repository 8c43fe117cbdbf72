import { describe, expect, it } from 'vitest';
import { crc16X25 } from '../sniff/crc16-x25.js';
import { crc16X25Sliced } from './crc16-fast.js';

describe('crc16X25Sliced', () => {
  it('equals the byte-wise CRC-16/X.25 for every length and offset (check value 0x906E for "123456789")', () => {
    expect(crc16X25Sliced(new TextEncoder().encode('123456789'), 0, 9)).toBe(0x906e);
    const bytes = Uint8Array.from({ length: 300 }, (_, i) => (i * 73 + 11) & 0xff);
    for (let start = 0; start < 9; start++) {
      for (let end = start; end <= bytes.length; end += 7)
        expect(crc16X25Sliced(bytes, start, end)).toBe(crc16X25(bytes, start, end));
    }
  });
});
