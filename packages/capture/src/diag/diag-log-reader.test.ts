import { describe, expect, it } from 'vitest';
import { CaptureFormatError, CaptureTruncatedError } from '../bytes/capture-errors.js';
import { DiagLogReader, type DiagContainer } from './diag-log-reader.js';
import { concat, diagLogPacket, dlfRecord, hdlcFrame, qmdl2Header, rawTs } from './test-support/diag-fixtures.js';

function readAll(container: DiagContainer, chunks: readonly Uint8Array[]) {
  const r = new DiagLogReader(container);
  const recs: { kind: string; index: number; offset: number; code: number; ticks: number; body: number[] }[] = [];
  let error: unknown;
  const drain = (): void => {
    for (let x = r.next(); x; x = r.next()) {
      recs.push({
        kind: x.kind,
        index: x.index,
        offset: x.byteOffset,
        code: x.packet.logCode,
        ticks: x.packet.ticks,
        body: [...x.packet.body],
      });
    }
  };
  try {
    for (const c of chunks) {
      r.append(c);
      drain();
    }
    r.end();
    drain();
  } catch (err) {
    error = err;
  }
  return { recs, error, reader: r };
}

const D = [
  dlfRecord(0xb193, rawTs(10), [1, 2, 3]),
  dlfRecord(0xb0c0, rawTs(11), []),
  dlfRecord(0xb139, rawTs(12), [7]),
];
const DLF = concat(D);
const DSTARTS = [0, D[0]!.length, D[0]!.length + D[1]!.length];

describe('DiagLogReader: .dlf', () => {
  it('reads back-to-back records with their codes, timestamps and bodies', () => {
    const { recs, error } = readAll('dlf', [DLF]);
    expect(error).toBeUndefined();
    expect(recs.map((r) => [r.kind, r.code, r.ticks, r.offset])).toEqual([
      ['log', 0xb193, 10, 0],
      ['log', 0xb0c0, 11, DSTARTS[1]],
      ['log', 0xb139, 12, DSTARTS[2]],
    ]);
    expect(recs[0]!.body).toEqual([1, 2, 3]);
  });

  it('gives the same records one byte at a time; a cut at any offset keeps every record before it', () => {
    const whole = readAll('dlf', [DLF]).recs;
    expect(
      readAll(
        'dlf',
        [...DLF].map((b) => Uint8Array.of(b)),
      ).recs,
    ).toEqual(whole);
    for (let n = 0; n <= DLF.length; n++) {
      const { recs, error } = readAll('dlf', [DLF.subarray(0, n)]);
      const complete = DSTARTS.filter((s, i) => s + D[i]!.length <= n).length;
      expect(recs, `cut at ${n}`).toEqual(whole.slice(0, complete));
      if (n === 0 || DSTARTS.includes(n) || n === DLF.length) expect(error).toBeUndefined();
      else expect((error as CaptureTruncatedError).byteOffset, `cut at ${n}`).toBe(DSTARTS[complete]);
    }
  });

  it('refuses a length below the 12-byte header with a located error, after the records before it', () => {
    const bad = concat([D[0]!, Uint8Array.of(5, 0, 0, 0)]);
    const { recs, error } = readAll('dlf', [bad]);
    expect(recs).toHaveLength(1);
    expect(error).toBeInstanceOf(CaptureFormatError);
    expect((error as CaptureFormatError).message).toBe(
      `offset ${D[0]!.length}: DLF record length 5 is below its 12-byte header`,
    );
  });
});

describe('DiagLogReader: .qmdl / .mi2log and .qmdl2', () => {
  const frames = [hdlcFrame(diagLogPacket(0xb193, rawTs(1), [1])), hdlcFrame(Uint8Array.of(0x73, 0, 0, 0))];

  it('reads log packets and other commands from an HDLC stream', () => {
    const { recs } = readAll('diag_hdlc', [concat(frames)]);
    expect(recs.map((r) => [r.kind, r.index, r.code])).toEqual([
      ['log', 1, 0xb193],
      ['command', 2, -1],
    ]);
  });

  it('skips the qmdl2 header and reads the stream behind it at absolute offsets, in any chunking', () => {
    const head = qmdl2Header(2);
    const file = concat([head, ...frames]);
    const whole = readAll('qmdl2', [file]);
    expect(whole.error).toBeUndefined();
    expect(whole.reader.qmdl2).toEqual({ headerLength: head.length, version: 2, hdlc: true, guids: 2 });
    expect(whole.recs.map((r) => r.offset)).toEqual([head.length, head.length + frames[0]!.length]);
    expect(
      readAll(
        'qmdl2',
        [...file].map((b) => Uint8Array.of(b)),
      ).recs,
    ).toEqual(whole.recs);
  });

  it('says plainly that a qmdl2 without HDLC framing is not decoded, and that a cut header is truncated', () => {
    const { error } = readAll('qmdl2', [concat([qmdl2Header(1, 2, 0), ...frames])]);
    expect((error as CaptureFormatError).message).toMatch(/offset 5: qmdl2 header hdlc_data_type 0: .* not decoded/);
    const cut = readAll('qmdl2', [qmdl2Header(1).subarray(0, 20)]);
    expect(cut.error).toBeInstanceOf(CaptureTruncatedError);
  });
});
