import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatBytes, utf8 } from '../test-support/byte-writer.js';
import { diagLogPacket, dlfRecord, hdlcFrame, qmdl2Header } from '../test-support/diag-builder.js';
import { buildPcap } from '../test-support/pcap-builder.js';
import { PcapngBuilder } from '../test-support/pcapng-builder.js';
import { crc16X25 } from './crc16-x25.js';
import { SNIFF_HEAD_BYTES, sniffFormat, type SniffedFormat } from './sniff-format.js';

const SAMPLES = process.env.L1T_SAMPLES_DIR ?? '/work/shared/samples';
const REQUIRE_ALL = process.env.L1T_REQUIRE_ALL_SUITES === '1';
const TS = 1_000_000_000_000n << 16n; // 10^12 ticks of 1.25 ms after 1980-01-06: 2019

const diagStream = (n: number): Uint8Array =>
  concatBytes(
    ...Array.from({ length: n }, (_, i) => hdlcFrame(diagLogPacket(0xb193, TS + BigInt(i), [0x7e, 0x7d, i]))),
  );

describe('sniffFormat', () => {
  it('computes CRC-16/X.25 (check value of "123456789" is 0x906E)', () => {
    expect(crc16X25(utf8('123456789'))).toBe(0x906e);
  });

  it.each<[string, Uint8Array, SniffedFormat, RegExp]>([
    ['pcap µs LE', buildPcap({ packets: [] }), 'pcap', /little-endian, µs.*link type 1 \(ETHERNET\)/],
    [
      'pcap ns BE',
      buildPcap({ byteOrder: 'be', nanos: true, linkType: 276, packets: [] }),
      'pcap',
      /big-endian, ns.*LINUX_SLL2/,
    ],
    ['pcapng LE', new PcapngBuilder().section().build(), 'pcapng', /little-endian first section, version 1.0/],
    ['pcapng BE', new PcapngBuilder().section({ byteOrder: 'be' }).build(), 'pcapng', /big-endian/],
    ['DIAG HDLC with escapes', diagStream(5), 'diag_hdlc', /5 of 5 frames verify/],
    ['DIAG HDLC starting mid-frame', diagStream(5).subarray(7), 'diag_hdlc', /4 of 5 frames verify/],
    ['one-frame DIAG file', diagStream(1), 'diag_hdlc', /1 of 1/],
    [
      'DIAG non-HDLC framing',
      concatBytes(
        ...[0, 1, 2].map((i) => {
          const p = diagLogPacket(0xb193, TS, [i, 0x7e]);
          return Uint8Array.from([0x7e, 0x01, p.length & 0xff, p.length >> 8, ...p, 0x7e]);
        }),
      ),
      'diag_hdlc',
      /non-HDLC framing .*: 3 frames/,
    ],
    [
      'qmdl2 + HDLC',
      concatBytes(qmdl2Header(2), diagStream(3)),
      'qmdl2',
      /version 2, header 42 bytes, 2 GUIDs, HDLC; 3 of 3/,
    ],
    ['qmdl2 header only', qmdl2Header(0, 1), 'qmdl2', /version 1, header 10 bytes, 0 GUIDs/],
    [
      'dlf',
      concatBytes(dlfRecord(0xb193, TS, [1, 2, 3]), dlfRecord(0xb173, TS + 5n, [4]), dlfRecord(0xb0c0, TS, [])),
      'dlf',
      /3 records tile the head, first log code 0xb193/,
    ],
    ['text', utf8('2025-01-01 10:00:00 RRC connected\n\tµ-law ✓\n'), 'text', /text \(UTF-8\)/],
    ['binary noise', Uint8Array.from({ length: 300 }, (_, i) => (i * 97 + 13) & 0xff), 'unknown', /no known signature/],
    ['empty', new Uint8Array(0), 'unknown', /empty/],
  ])('recognises %s', (_name, head, format, detail) => {
    const r = sniffFormat(head);
    expect(r.format).toBe(format);
    expect(r.detail).toMatch(detail);
  });

  it('does not take HDLC frames with bad CRCs for DIAG', () => {
    const s = diagStream(4);
    const bad = s.slice();
    for (let i = 0; i < bad.length; i++) if (bad[i] === 0xb1) bad[i] = 0xb2; // corrupt every log code
    expect(sniffFormat(bad).format).not.toBe('diag_hdlc');
  });

  it('never throws on short or random heads', () => {
    let seed = 1;
    for (let n = 0; n < 400; n++) {
      const len = n % 40;
      const head = Uint8Array.from({ length: len }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
      expect(() => sniffFormat(head)).not.toThrow();
    }
  });

  const samplesPresent = existsSync(SAMPLES);
  it.skipIf(!samplesPresent && !REQUIRE_ALL)('recognises every sample file by content', () => {
    expect(samplesPresent, `samples directory ${SAMPLES} is missing`).toBe(true);
    const walk = (d: string): string[] =>
      readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
    const files = walk(SAMPLES).filter((f) => !f.includes('/_dissect/'));
    expect(files.length).toBeGreaterThan(20);
    for (const f of files) {
      const head = readFileSync(f).subarray(0, SNIFF_HEAD_BYTES);
      const name = basename(f);
      let want: SniffedFormat;
      if (name.endsWith('.mi2log')) want = 'diag_hdlc';
      else if (/\.pcap(ng)?$/.test(name)) want = head[0] === 0x0a ? 'pcapng' : 'pcap';
      else if (/\.(txt|md|log)$/.test(name) || name.startsWith('LICENSE')) want = 'text';
      else continue;
      expect(sniffFormat(head).format, f).toBe(want);
    }
  });
});
