import { describe, expect, it } from 'vitest';
import { ByteCursor, readU16, readU32 } from './byte-cursor.js';
import { CaptureFormatError, CaptureTruncatedError, hex32 } from './capture-errors.js';
import { decodeUtf8 } from './utf8.js';

const bytes = Uint8Array.of(0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x88, 0xff);

describe('ByteCursor', () => {
  it('reads little- and big-endian fields, 64-bit as bigint', () => {
    const le = new ByteCursor(bytes, 'le');
    expect([le.u8(), le.u16(), le.u32()]).toEqual([0x01, 0x0302, 0x07060504]);
    const be = new ByteCursor(bytes, 'be');
    expect(be.u16()).toBe(0x0102);
    expect(be.i32()).toBe(0x03040506);
    expect(new ByteCursor(bytes, 'le').u64()).toBe(0x8807060504030201n);
    expect(new ByteCursor(bytes, 'le').i64()).toBe(0x8807060504030201n - (1n << 64n));
    expect(new ByteCursor(bytes, 'be').u64()).toBe(0x0102030405060788n);
    expect([readU16(bytes, 7, false), readU32(bytes, 5, true)]).toEqual([0x88ff, 0xff880706]);
  });

  it('checks bounds before every read and locates the error in the whole input', () => {
    const c = new ByteCursor().reset(bytes, 4, 9, 'le', 1004, 'pcap record');
    c.skip(3);
    expect(c.absoluteOffset).toBe(1007);
    expect(() => c.u32()).toThrow(CaptureFormatError);
    try {
      c.u32();
    } catch (e) {
      const err = e as CaptureFormatError;
      expect(err.message).toBe('offset 1007: pcap record u32 needs 4 bytes but only 2 remain');
      expect([err.byteOffset, err.recordType, err.truncated]).toEqual([1007, 'pcap record', false]);
    }
    expect(c.u16()).toBe(0xff88);
    expect(() => c.u8()).toThrow(/u8 needs 1 bytes but only 0 remain/);
    expect(c.view(0)).toHaveLength(0);
  });

  it('returns views, not copies', () => {
    const v = new ByteCursor(bytes).view(4);
    expect(v.buffer).toBe(bytes.buffer);
  });
});

describe('capture errors', () => {
  it('formats one-line messages and marks truncation', () => {
    const e = new CaptureFormatError(1234, 'pcapng block 0x00000006', 'length 7 is not a multiple of 4');
    expect(e.message).toBe('offset 1234: pcapng block 0x00000006 length 7 is not a multiple of 4');
    const t = new CaptureTruncatedError(40, 'pcap record', 10, 76);
    expect(t).toBeInstanceOf(CaptureFormatError);
    expect(t.message).toBe('offset 40: pcap record is cut short: 10 of 76 bytes present');
    expect(t.truncated).toBe(true);
    expect(hex32(6)).toBe('0x00000006');
  });
});

describe('decodeUtf8', () => {
  it('decodes UTF-8, drops NUL padding and replaces malformed bytes', () => {
    const text = 'µ-law ✓ 𝄞';
    const enc = new TextEncoder().encode(text);
    expect(decodeUtf8(Uint8Array.from([...enc, 0, 0]))).toBe(text);
    expect(decodeUtf8(Uint8Array.of(0x41, 0xc3, 0x42, 0xff))).toBe('A\ufffdB\ufffd');
  });
});
