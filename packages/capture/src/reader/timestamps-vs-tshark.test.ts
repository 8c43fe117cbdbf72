import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildPcap } from '../test-support/pcap-builder.js';
import { PcapngBuilder } from '../test-support/pcapng-builder.js';
import type { CaptureFormat } from './capture-records.js';
import { readCaptureRecords } from './create-capture-reader.js';

/*
 * Timestamp conversion checked against Wireshark on crafted files: pcap µs/ns in both byte orders,
 * pcapng if_tsresol 2^-16/2^-20/2^-30, 10^-3/10^-9 and if_tsoffset (positive and negative), across
 * two sections of different byte order.
 */
const TSHARK = process.env.TSHARK ?? '/usr/bin/tshark';
const REQUIRE_ALL = process.env.L1T_REQUIRE_ALL_SUITES === '1';
const haveTshark = existsSync(TSHARK);
const dir = mkdtempSync(join(tmpdir(), 'l1t-ts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function epoch(ns: bigint): string {
  return `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`;
}

function compare(name: string, bytes: Uint8Array, format: CaptureFormat): void {
  const file = join(dir, name);
  writeFileSync(file, bytes);
  const want = execFileSync(TSHARK, ['-r', file, '-T', 'fields', '-e', 'frame.time_epoch'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .split('\n')
    .filter((l) => l.length > 0);
  const got: string[] = [];
  for (const r of readCaptureRecords(bytes, format)) if (r.kind === 'packet') got.push(epoch(r.tsNs));
  expect(got).toEqual(want);
}

const data = new Uint8Array(60);

describe('timestamps against tshark', () => {
  it.runIf(REQUIRE_ALL)('has tshark when L1T_REQUIRE_ALL_SUITES=1', () => {
    expect(haveTshark, `tshark not found at ${TSHARK}`).toBe(true);
  });

  it.runIf(haveTshark)('pcap µs and ns in both byte orders', () => {
    for (const byteOrder of ['le', 'be'] as const) {
      for (const nanos of [false, true]) {
        const packets = [
          { tsSec: 1_700_000_000, tsFrac: nanos ? 999_999_999 : 999_999, data },
          { tsSec: 4_294_967_295, tsFrac: 1, data },
          { tsSec: 0, tsFrac: 0, data },
        ];
        compare(`p-${byteOrder}-${nanos}.pcap`, buildPcap({ byteOrder, nanos, packets }), 'pcap');
      }
    }
  });

  it.runIf(haveTshark)('pcapng binary and decimal resolutions with offsets across sections', () => {
    const bytes = new PcapngBuilder()
      .section({ byteOrder: 'be' })
      .interface({ tsresol: 0x80 | 20 })
      .interface({ tsresol: 9, tsoffset: 100n })
      .interface({ tsresol: 3, tsoffset: -5n })
      .interface({ tsresol: 0x80 | 30 })
      .epb({ interfaceId: 0, ts: (1_700_000_000n << 20n) + 123_457n, data })
      .epb({ interfaceId: 1, ts: 1_700_000_000_123_456_789n, data })
      .epb({ interfaceId: 2, ts: 1_700_000_000_123n, data })
      .epb({ interfaceId: 3, ts: (1_700_000_000n << 30n) + 999_999_999n, data })
      .section({ byteOrder: 'le' })
      .interface({ tsresol: 0x80 | 16 })
      .interface({})
      .epb({ interfaceId: 0, ts: (1_700_000_001n << 16n) + 65_535n, data })
      .epb({ interfaceId: 1, ts: 1_700_000_002_654_321n, data })
      .build();
    compare('tsresol.pcapng', bytes, 'pcapng');
  });

  it('keeps resolutions finer than 1 ns exact where Wireshark 4.0 overflows', () => {
    // 10^-12 s units: Wireshark 4.0 multiplies the fraction by 10^9 in 64 bits and wraps
    // (it prints 1700000.012776325 for this packet); the exact value truncated to ns is below.
    const bytes = new PcapngBuilder()
      .section()
      .interface({ tsresol: 12 })
      .epb({ ts: 1_700_000_123_456_789_999n, data })
      .build();
    const [pk] = [...readCaptureRecords(bytes, 'pcapng')].filter((r) => r.kind === 'packet');
    expect(pk).toMatchObject({ tsNs: 1_700_000_123_456_789n });
  });
});
