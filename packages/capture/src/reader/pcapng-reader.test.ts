import { describe, expect, it } from 'vitest';
import { MAX_INFO_ENTRIES } from './capture-records.js';
import { createCaptureReader } from './create-capture-reader.js';
import { CaptureFormatError, CaptureTruncatedError } from '../bytes/capture-errors.js';
import { ByteWriter } from '../test-support/byte-writer.js';
import {
  describeCaptureReaderSuite,
  packetsOf,
  readAll,
  type SuiteFileSpec,
} from '../test-support/capture-reader-suite.js';
import { PcapngBuilder } from '../test-support/pcapng-builder.js';
import { InterfaceClock } from './pcapng-blocks.js';

function build(spec: SuiteFileSpec): Uint8Array {
  const b = new PcapngBuilder()
    .section({ byteOrder: spec.byteOrder })
    .interface({ linkType: spec.linkType ?? 1, snapLen: spec.snapLen ?? 0, ...(spec.nanos ? { tsresol: 9 } : {}) });
  for (const p of spec.packets) {
    b.epb({ ts: spec.nanos ? p.tsNs : p.tsNs / 1000n, data: p.data, ...(p.origLen ? { origLen: p.origLen } : {}) });
  }
  return b.build();
}

const data = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]);

describeCaptureReaderSuite({
  format: 'pcapng',
  build,
  hostileLength() {
    const head = new PcapngBuilder().section().interface().epb({ ts: 1n, data }).build();
    const evil = new ByteWriter().u32(6).u32(0x80000000).u32(0).toBytes();
    return { bytes: new PcapngBuilder().raw(head).raw(evil).build(), offset: head.length };
  },
});

function errorOf(bytes: Uint8Array): CaptureFormatError {
  const { error } = readAll('pcapng', bytes);
  expect(error).toBeInstanceOf(CaptureFormatError);
  return error as CaptureFormatError;
}

describe('pcapng reader', () => {
  it('reads several sections whose byte orders differ, numbering packets across them', () => {
    const bytes = new PcapngBuilder()
      .section({ byteOrder: 'le', comment: 'first' })
      .interface({ linkType: 1 })
      .epb({ ts: 1_000_000n, data })
      .section({ byteOrder: 'be', hardware: 'probe' })
      .interface({ linkType: 276, tsresol: 9 })
      .interface({ linkType: 1 })
      .epb({ interfaceId: 0, ts: 5n, data })
      .epb({ interfaceId: 1, ts: 7n, data })
      .build();
    const { records, error } = readAll('pcapng', bytes);
    expect(error).toBeUndefined();
    expect(records.map((r) => r.kind)).toEqual([
      'section',
      'interface',
      'packet',
      'section',
      'interface',
      'interface',
      'packet',
      'packet',
    ]);
    const pk = packetsOf(records);
    expect(pk.map((p) => [p.index, p.sectionIndex, p.interfaceId, p.linkType, p.tsNs])).toEqual([
      [1, 0, 0, 1, 1_000_000_000n],
      [2, 1, 0, 276, 5n],
      [3, 1, 1, 1, 7_000n],
    ]);
    expect(records[3]).toMatchObject({ kind: 'section', byteOrder: 'be', hardware: 'probe', sectionIndex: 1 });
    expect(records[0]).toMatchObject({ comment: 'first', byteOrder: 'le' });
  });

  it('gives the same records for a multi-section file fed one byte at a time', () => {
    const bytes = new PcapngBuilder()
      .section({ byteOrder: 'be', comment: 'a' })
      .interface({ tsresol: 0x80 | 20, tsoffset: 5n, name: 'fh0' })
      .epb({ ts: 123_456_789n, data, comment: 'x' })
      .block(5, new Uint8Array(12))
      .section({ byteOrder: 'le' })
      .interface({ snapLen: 8 })
      .spb(data.subarray(0, 8), data.length)
      .build();
    const whole = readAll('pcapng', bytes);
    expect(whole.error).toBeUndefined();
    expect(whole.records).toHaveLength(7);
    expect(readAll('pcapng', bytes, 1)).toEqual(whole);
  });

  it('lists at most MAX_INFO_ENTRIES sections in fileInfo but counts them all', () => {
    const b = new PcapngBuilder();
    for (let i = 0; i < MAX_INFO_ENTRIES + 5; i++) b.section({ byteOrder: i % 2 ? 'be' : 'le' }).interface();
    const reader = createCaptureReader('pcapng');
    reader.append(b.build());
    reader.end();
    while (reader.next() !== undefined) {
      /* drain */
    }
    const info = reader.fileInfo()!;
    expect([info.sections.length, info.sectionCount]).toEqual([MAX_INFO_ENTRIES, MAX_INFO_ENTRIES + 5]);
    expect([info.interfaces.length, info.interfaceCount]).toEqual([MAX_INFO_ENTRIES, MAX_INFO_ENTRIES + 5]);
  });

  it('converts if_tsresol 10^-9, 2^-20 and 10^-12 timestamps and applies if_tsoffset', () => {
    const bytes = new PcapngBuilder()
      .section()
      .interface({ tsresol: 9 })
      .interface({ tsresol: 0x80 | 20 })
      .interface({ tsresol: 12 })
      .interface({ tsoffset: 1_600_000_000n })
      .interface({ tsoffset: -2n, tsresol: 3 })
      .epb({ interfaceId: 0, ts: 1_700_000_000_123_456_789n, data })
      .epb({ interfaceId: 1, ts: (3n << 20n) + (1n << 19n) + 1n, data }) // 3.5 s + 2^-20 s
      .epb({ interfaceId: 2, ts: 1_234_567_891_999n, data })
      .epb({ interfaceId: 3, ts: 5n, data })
      .epb({ interfaceId: 4, ts: 2_500n, data })
      .build();
    const pk = packetsOf(readAll('pcapng', bytes).records);
    expect(pk.map((p) => p.tsNs)).toEqual([
      1_700_000_000_123_456_789n,
      3_500_000_953n, // 953.67… ns truncated
      1_234_567_891n,
      1_600_000_000_000_005_000n,
      500_000_000n,
    ]);
  });

  it('converts every 64-bit timestamp of 10^-3 … 10^-9 units as the bigint arithmetic does', () => {
    // The one-bigint path (product halves in doubles) and its fallback past 2^63 ns, against ts · 10^(9−e).
    let x = 0x2545f491;
    const u32 = (): number => {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      return x >>> 0;
    };
    const edges = [0, 1, 0x1fffff, 0x200000, 2 ** 31 - 1, 2 ** 31, 2 ** 32 - 1];
    for (const exponent of [3, 4, 5, 6, 7, 8, 9]) {
      const clock = new InterfaceClock(1, 0, { base: 10, exponent }, 0n);
      const mul = 10n ** BigInt(9 - exponent);
      const cases: [number, number][] = [];
      for (const hi of edges) for (const lo of edges) cases.push([hi, lo]);
      for (let i = 0; i < 10_000; i++) cases.push([u32() >>> (i % 32), u32()]);
      for (const [hi, lo] of cases) {
        const exact = ((BigInt(hi) << 32n) | BigInt(lo)) * mul;
        const got = clock.toNs(hi, lo);
        if (got !== exact) expect(`10^-${exponent}: ${hi}·2^32 + ${lo} → ${got}`).toBe(String(exact));
      }
    }
  });

  it('returns NRB, ISB, DSB, custom and unknown blocks as unknown records', () => {
    const bytes = new PcapngBuilder()
      .section()
      .block(4, Uint8Array.of(0, 0, 0, 0))
      .interface()
      .block(5, new Uint8Array(12))
      .block(0x0a, new Uint8Array(8))
      .block(0x00000bad, Uint8Array.of(0, 0, 0x7e, 0x1a, 1))
      .block(0x12345678)
      .epb({ ts: 1n, data })
      .build();
    const { records, error } = readAll('pcapng', bytes);
    expect(error).toBeUndefined();
    const unknown = records.filter((r) => r.kind === 'unknown');
    expect(unknown.map((r) => [r.blockType, r.blockName])).toEqual([
      [4, 'name_resolution'],
      [5, 'interface_statistics'],
      [0x0a, 'decryption_secrets'],
      [0xbad, 'custom'],
      [0x12345678, 'unknown'],
    ]);
    expect(unknown[0]).toMatchObject({ byteOffset: 28, length: 16 });
    expect(packetsOf(records)).toHaveLength(1);
  });

  it('keeps packet, interface and section comments', () => {
    const bytes = new PcapngBuilder()
      .section({ comment: 'section ✓' })
      .interface({ comment: 'if', name: 'eth0' })
      .epb({ ts: 1n, data, comment: 'late U-plane here' })
      .epb({ ts: 2n, data })
      .build();
    const { records } = readAll('pcapng', bytes);
    expect(records[0]).toMatchObject({ comment: 'section ✓' });
    expect(records[1]).toMatchObject({ comment: 'if', name: 'eth0' });
    expect(packetsOf(records).map((p) => p.comment)).toEqual(['late U-plane here', undefined]);
  });

  it('keeps epb_flags and the capturer’s drop counts (epb_dropcount, OPB drops count)', () => {
    const b = new PcapngBuilder().section({ byteOrder: 'be' }).interface();
    const flags = b.writer().u32(0x00000001).toBytes(); // inbound
    const drops = b.writer().u64(7n).toBytes();
    const bytes = b
      .epb({
        ts: 1n,
        data,
        options: [
          { code: 2, value: flags },
          { code: 4, value: drops },
        ],
        comment: 'c',
      })
      .epb({ ts: 2n, data })
      .opb({ ts: 3n, data, drops: 5 })
      .build();
    const pk = packetsOf(readAll('pcapng', bytes).records);
    expect(pk.map((p) => [p.flags, p.dropCount, p.comment])).toEqual([
      [1, 7, 'c'],
      [undefined, undefined, undefined],
      [undefined, 5, undefined],
    ]);
  });

  it('reads simple packet blocks with the snaplen of interface 0, and obsolete packet blocks', () => {
    const big = new Uint8Array(100).fill(7);
    const bytes = new PcapngBuilder()
      .section()
      .interface({ snapLen: 64 })
      .spb(big.subarray(0, 64), 100)
      .opb({ ts: 3_000_000n, data })
      .build();
    const pk = packetsOf(readAll('pcapng', bytes).records);
    expect(pk.map((p) => [p.index, p.capLen, p.origLen, p.truncated, p.tsNs])).toEqual([
      [1, 64, 100, true, 0n],
      [2, data.length, data.length, false, 3_000_000_000n],
    ]);
  });

  describe('hostile blocks', () => {
    const head = new PcapngBuilder().section().interface().build();
    const withBlock = (w: ByteWriter): Uint8Array => new PcapngBuilder().raw(head).raw(w.toBytes()).build();

    it.each([
      [0, 'length 0 is less than 12'],
      [8, 'length 8 is less than 12'],
      [17, 'length 17 is not a multiple of 4'],
      [0x7ffffff0, 'length 2147483632 exceeds the maximum 268435456'],
    ])('rejects block length %d', (len, reason) => {
      const e = errorOf(withBlock(new ByteWriter().u32(6).u32(len).u32(0).u32(0)));
      expect(e.message).toBe(`offset ${head.length}: pcapng block 0x00000006 ${reason}`);
      expect(e.truncated).toBe(false);
    });

    it('rejects a trailing length that differs from the leading one', () => {
      const e = errorOf(withBlock(new ByteWriter().u32(4).u32(16).u32(0).u32(20)));
      expect(e.reason).toBe('trailing length 20 does not match length 16');
      expect(e.byteOffset).toBe(head.length);
    });

    it('rejects a captured length larger than its block', () => {
      const bytes = new PcapngBuilder().raw(head).epb({ ts: 1n, data, capLen: 1000 }).build();
      expect(errorOf(bytes).reason).toMatch(/captured length 1000 does not fit/);
    });

    it('rejects a packet for an interface that was never described', () => {
      const bytes = new PcapngBuilder().raw(head).epb({ interfaceId: 3, ts: 1n, data }).build();
      expect(errorOf(bytes).reason).toBe('interface id 3 has no interface description block');
    });

    it('rejects an option that overruns its block', () => {
      const w = new ByteWriter().u32(6).u32(40).u32(0).u32(0).u32(0).u32(0).u32(0);
      w.u16(1).u16(200).u32(0).u32(40); // opt_comment claiming 200 bytes
      expect(errorOf(withBlock(w)).reason).toBe('option 1 length 200 overruns the block');
    });

    it('rejects a file that does not start with a section header', () => {
      const e = errorOf(head.subarray(28)); // the IDB alone
      expect(e.byteOffset).toBe(0);
      expect(e.reason).toBe('does not start with a section header block');
    });

    it('rejects a short non-pcapng input as corrupt, not as cut short', () => {
      const e = errorOf(Uint8Array.of(1, 0, 0, 0, 9));
      expect([e.truncated, e.byteOffset]).toEqual([false, 0]);
    });

    it('rejects a bad byte-order magic and an unknown major version', () => {
      const bad = head.slice();
      bad[8] = 0x99;
      expect(errorOf(bad).reason).toMatch(/byte-order magic/);
      expect(errorOf(new PcapngBuilder().section({ versionMajor: 2 }).build()).reason).toBe(
        'version 2.0 is not supported',
      );
    });

    it('reports a block cut short with the offset of that block', () => {
      const full = new PcapngBuilder().raw(head).epb({ ts: 1n, data }).build();
      const { error, records } = readAll('pcapng', full.subarray(0, full.length - 3));
      expect(packetsOf(records)).toHaveLength(0);
      expect(error).toBeInstanceOf(CaptureTruncatedError);
      expect((error as CaptureTruncatedError).byteOffset).toBe(head.length);
      expect((error as CaptureTruncatedError).neededBytes).toBe(full.length - head.length);
    });
  });
});
