import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { concatBytes } from './capture-writer.js';
import { createPcapWriter } from './pcap-writer.js';
import { createPcapngWriter } from './pcapng-writer.js';
import { readRecords, tsharkAvailable, tsharkFields } from './test-support/synth-reader.js';
import { writeCapture } from './write-capture.js';

const HAVE_TSHARK = tsharkAvailable();
const dir = mkdtempSync(join(tmpdir(), 'l1t-synth-writers-'));

function frame(n: number): Uint8Array {
  const f = new Uint8Array(60 + n);
  f.set([0x02, 0, 0, 0, 0, 1, 0x02, 0, 0, 0, 0, 2, 0x08, 0x00]);
  for (let i = 14; i < f.length; i++) f[i] = i & 0xff;
  return f;
}

const T = 1_767_225_600_123_456_789n;
const records = [0, 1, 2, 3].map((i) => ({
  timestampNs: T + BigInt(i) * 1_000_001n,
  data: frame(i),
  comment: i === 2 ? 'fault here: seq_gap' : undefined,
}));

describe('pcap writer', () => {
  it('writes the nanosecond global header and records', () => {
    const w = createPcapWriter();
    const h = w.header();
    expect(Array.from(h.subarray(0, 4))).toEqual([0x4d, 0x3c, 0xb2, 0xa1]);
    expect(new DataView(h.buffer).getUint32(20, true)).toBe(1);
    const bytes = concatBytes([h, ...records.map((r) => w.record(r))]);
    const back = readRecords(bytes);
    expect(back.map((r) => r.tsNs)).toEqual(records.map((r) => r.timestampNs));
    expect(back[3]?.data).toEqual(records[3]?.data);
  });

  it('writes microsecond timestamps when asked', () => {
    const w = createPcapWriter({ nanosecond: false });
    expect(Array.from(w.header().subarray(0, 4))).toEqual([0xd4, 0xc3, 0xb2, 0xa1]);
    const back = readRecords(concatBytes([w.header(), w.record(records[0]!)]));
    expect(back[0]?.tsNs).toBe(1_767_225_600_123_456_000n);
  });

  it.runIf(HAVE_TSHARK)('is read by tshark with exact ns timestamps', () => {
    const file = join(dir, 'w.pcap');
    writeFileSync(file, writeCapture(records, { format: 'pcap' }));
    const rows = tsharkFields(file, ['frame.number', 'frame.time_epoch', 'frame.len']);
    expect(rows.map((r) => r[1])).toEqual([
      '1767225600.123456789',
      '1767225600.124456790',
      '1767225600.125456791',
      '1767225600.126456792',
    ]);
    expect(rows.map((r) => Number(r[2]))).toEqual([60, 61, 62, 63]);
  });
});

describe('pcapng writer', () => {
  it('writes SHB, IDB (if_tsresol 9) and EPBs with comments', () => {
    const bytes = writeCapture(records, { format: 'pcapng', comment: 'made by a test', interfaceName: 'fh0' });
    const back = readRecords(bytes);
    expect(back.map((r) => r.tsNs)).toEqual(records.map((r) => r.timestampNs));
    expect(back[2]?.comment).toBe('fault here: seq_gap');
    expect(back[1]?.comment).toBeUndefined();
    expect(bytes.length % 4).toBe(0);
  });

  it('fast path finishRecord matches record()', () => {
    const w = createPcapngWriter();
    const r = records[1]!;
    const buf = new Uint8Array(256);
    buf.set(r.data, w.recordHeaderLength);
    const sec = Number(r.timestampNs / 1_000_000_000n);
    const nsec = Number(r.timestampNs % 1_000_000_000n);
    const n = w.finishRecord(buf, new DataView(buf.buffer), 0, r.data.length, sec, nsec);
    expect(buf.subarray(0, n)).toEqual(w.record(r));
    expect(n).toBeLessThanOrEqual(w.maxRecordLength(r.data.length));
  });

  it.runIf(HAVE_TSHARK)('is read by tshark with comments and ns timestamps', () => {
    const file = join(dir, 'w.pcapng');
    writeFileSync(file, writeCapture(records, { format: 'pcapng', comment: 'section comment' }));
    const rows = tsharkFields(file, ['frame.number', 'frame.time_epoch', 'frame.comment']);
    expect(rows.map((r) => r[1])).toEqual([
      '1767225600.123456789',
      '1767225600.124456790',
      '1767225600.125456791',
      '1767225600.126456792',
    ]);
    expect(rows[2]?.[2]).toBe('fault here: seq_gap');
  });
});
