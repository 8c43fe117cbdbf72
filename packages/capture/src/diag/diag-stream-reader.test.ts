import { describe, expect, it } from 'vitest';
import { CaptureTruncatedError } from '../bytes/capture-errors.js';
import { DiagStreamReader, type DiagFraming } from './diag-stream-reader.js';
import { concat, diagLogPacket, hdlcFrame, rawTs, unframed } from './test-support/diag-fixtures.js';

interface Got {
  kind: string;
  offset: number;
  payload: number[];
  reason?: string | undefined;
}

/** Feeds `chunks`, ends, and collects every frame (copied) plus the error that ended it, if any. */
function readAll(chunks: readonly Uint8Array[], framing: DiagFraming = 'auto', maxFrameBytes?: number) {
  const r = new DiagStreamReader({ framing, ...(maxFrameBytes ? { maxFrameBytes } : {}) });
  const frames: Got[] = [];
  let error: unknown;
  const drain = (): void => {
    for (let f = r.next(); f; f = r.next())
      frames.push({ kind: f.kind, offset: f.byteOffset, payload: [...f.payload], reason: f.reason });
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
  return { frames, error, reader: r };
}

// Payloads chosen to need escaping: 0x7E and 0x7D inside the payload.
const P1 = diagLogPacket(0xb193, rawTs(1000), [0x7e, 0x7d, 0x01]);
const P2 = diagLogPacket(0xb0c0, rawTs(2000), [0x00, 0x7e]);
const P3 = Uint8Array.from([0x73, 0x00, 0x00, 0x00]); // a non-log command
const F = [hdlcFrame(P1), hdlcFrame(P2), hdlcFrame(P3)];
const STREAM = concat(F);
const STARTS = [0, F[0]!.length, F[0]!.length + F[1]!.length];

describe('DiagStreamReader (HDLC)', () => {
  it('unescapes 0x7D 0x5E / 0x7D 0x5D and strips a verified CRC-16/X.25', () => {
    const { frames, error } = readAll([STREAM]);
    expect(error).toBeUndefined();
    expect(frames.map((f) => f.kind)).toEqual(['frame', 'frame', 'frame']);
    expect(frames[0]!.payload).toEqual([...P1]);
    expect(frames[1]!.payload).toEqual([...P2]);
    expect(frames.map((f) => f.offset)).toEqual(STARTS);
  });

  it('counts a frame whose CRC fails and resynchronises at the next flag', () => {
    const bad = hdlcFrame(P1);
    bad[3] = bad[3]! ^ 0x01; // flip a payload bit (byte 3 is not an escape)
    const { frames, reader } = readAll([concat([bad, hdlcFrame(P2)])]);
    expect(frames.map((f) => [f.kind, f.reason])).toEqual([
      ['bad', 'crc'],
      ['frame', undefined],
    ]);
    expect(frames[1]!.payload).toEqual([...P2]);
    expect(reader.counts).toMatchObject({ frames: 2, good: 1, crc: 1 });
  });

  it('skips bare flags between frames and reports frames too short for a CRC', () => {
    const { frames, reader } = readAll([Uint8Array.from([0x7e, 0x7e, 0x10, 0x7e]), hdlcFrame(P3)]);
    expect(frames.map((f) => [f.kind, f.reason])).toEqual([
      ['bad', 'short'],
      ['frame', undefined],
    ]);
    expect(reader.counts.short).toBe(1);
  });

  it('drops a frame longer than the frame limit without growing and reads the next one', () => {
    const long = hdlcFrame(new Uint8Array(300).fill(0x11));
    const { frames } = readAll([concat([long, hdlcFrame(P3)])], 'hdlc', 64);
    expect(frames.map((f) => [f.kind, f.reason])).toEqual([
      ['bad', 'oversize'],
      ['frame', undefined],
    ]);
  });

  it('gives the same frames fed one byte at a time', () => {
    const bytes = [...STREAM].map((b) => Uint8Array.of(b));
    expect(readAll(bytes).frames).toEqual(readAll([STREAM]).frames);
  });

  it('reads a first chunk over 128 KiB as its first 64 KiB and the rest: the same frames, whichever byte the cut meets', () => {
    // The reader splits such a chunk so that a chunk's end and a frame across chunks run within its first few
    // hundred frames (diag-stream-reader.ts, append). Frames with escapes at both ends are shifted by 0–39 bare
    // flags so that the 64 KiB mark falls on every byte of one, escapes included; small chunks are not split.
    const body = concat(Array.from({ length: 2500 }, () => concat(F)));
    for (let pad = 0; pad < 40; pad++) {
      const stream = concat([new Uint8Array(pad).fill(0x7e), body]);
      const small: Uint8Array[] = [];
      for (let at = 0; at < stream.length; at += 50_000) small.push(stream.subarray(at, at + 50_000));
      const whole = readAll([stream]);
      expect(whole.error).toBeUndefined();
      expect(stream.length).toBeGreaterThan(2 * 65_536);
      expect(whole.frames.length).toBe(7500);
      expect(whole.frames, `pad ${pad}`).toEqual(readAll(small).frames);
      expect(whole.reader.offset).toBe(stream.length);
    }
  });

  it('searches with the byte search it is given (the pipeline passes a faster one), frames unchanged', () => {
    let calls = 0;
    const search = (bytes: Uint8Array, byte: number, from: number): number => {
      calls++;
      for (let i = from; i < bytes.length; i++) if (bytes[i] === byte) return i;
      return -1;
    };
    const read = (chunks: readonly Uint8Array[]): Got[] => {
      const r = new DiagStreamReader({ framing: 'hdlc', indexOf: search });
      const out: Got[] = [];
      for (const c of chunks) {
        r.append(c);
        for (let f = r.next(); f; f = r.next())
          out.push({ kind: f.kind, offset: f.byteOffset, payload: [...f.payload], reason: f.reason });
      }
      return out;
    };
    const whole = readAll([STREAM], 'hdlc').frames;
    expect(read([STREAM])).toEqual(whole);
    for (let n = 1; n < STREAM.length; n++)
      expect(read([STREAM.subarray(0, n), STREAM.subarray(n)]), `split at ${n}`).toEqual(whole);
    // with the WebAssembly kernel, frames the chunk ends need no search; a frame split across chunks does
    expect(calls).toBeGreaterThan(0);
  });

  it('hands a frame without escapes out where it lies in its chunk, checked as a copied one is', () => {
    // Payloads without 0x7D/0x7E bytes and whose CRC has none either: no escape anywhere.
    const plain = [0x11, 0x22, 0x33, 0x44]
      .map((b) => diagLogPacket(0xb0c0, rawTs(3000 + b), [b, b + 1, b + 2]))
      .filter(
        (p) =>
          !hdlcFrame(p)
            .subarray(0, -1)
            .some((b) => b === 0x7d || b === 0x7e),
      );
    expect(plain.length).toBeGreaterThan(2);
    const stream = concat([hdlcFrame(P1), ...plain.map((p) => hdlcFrame(p))]);
    for (const wasm of [false, true]) {
      const r = new DiagStreamReader({ framing: 'hdlc', wasm });
      r.append(stream);
      r.end();
      // P1 has escapes: unescaped into the frame buffer (JS), or in place in the kernel's copy of the chunk
      const frameBuffer = r.next()!.bytes;
      expect(frameBuffer).not.toBe(stream);
      const inPlace: Uint8Array[] = [];
      for (const p of plain) {
        const f = r.next()!;
        expect(f.kind).toBe('frame');
        inPlace.push(f.bytes);
        expect([...f.payload]).toEqual([...p]);
      }
      expect(r.next()).toBeUndefined();
      // no copy per frame: the chunk itself, or (kernel) its one copy in the kernel's memory
      if (wasm) expect(inPlace[0]).not.toBe(stream);
      else expect(inPlace[0]).toBe(stream);
      for (const b of inPlace) expect(b).toBe(inPlace[0]);
      if (wasm) expect(inPlace[0]).toBe(frameBuffer);
      else expect(inPlace[0]).not.toBe(frameBuffer);
    }
    // split at every offset: the frames split across chunks are copied, the others read in place, all equal
    const whole = readAll([stream]).frames;
    for (let n = 1; n < stream.length; n++)
      expect(readAll([stream.subarray(0, n), stream.subarray(n)]).frames, `split at ${n}`).toEqual(whole);
    // a CRC failure of a frame read in place is counted, and the next frame still read
    const bad = stream.slice();
    const second = hdlcFrame(P1).length;
    bad[second + 3] = bad[second + 3]! ^ 0x01;
    expect(readAll([bad]).frames.map((f) => [f.kind, f.reason])).toEqual([
      ['frame', undefined],
      ['bad', 'crc'],
      ...plain.slice(1).map(() => ['frame', undefined]),
    ]);
  });

  it('keeps every frame before a cut at any offset and reports the cut frame as truncated', () => {
    const whole = readAll([STREAM]).frames;
    for (let n = 0; n <= STREAM.length; n++) {
      const { frames, error } = readAll([STREAM.subarray(0, n)]);
      const complete = STARTS.filter((s, i) => s + F[i]!.length <= n).length;
      expect(frames, `cut at ${n}`).toEqual(whole.slice(0, complete));
      const atBoundary = n === 0 || STARTS.includes(n) || n === STREAM.length;
      if (atBoundary) expect(error, `cut at ${n}`).toBeUndefined();
      else {
        expect(error, `cut at ${n}`).toBeInstanceOf(CaptureTruncatedError);
        expect((error as CaptureTruncatedError).byteOffset).toBe(STARTS[complete]);
      }
    }
  });
});

describe('DiagStreamReader (non-HDLC 0x7E 0x01 length variant)', () => {
  const U = [unframed(P1), unframed(P2), unframed(P3)];
  const STREAM_U = concat(U);

  it('is recognised from the first frame and read without CRC', () => {
    const { frames, reader, error } = readAll([STREAM_U]);
    expect(error).toBeUndefined();
    expect(reader.framingInUse).toBe('unframed');
    expect(frames.map((f) => f.payload)).toEqual([[...P1], [...P2], [...P3]]);
  });

  it('accepts a closing flag that also opens the next frame', () => {
    const shared = concat([U[0]!, U[1]!.subarray(1)]); // …7E | 01 len … 7E
    expect(readAll([shared]).frames.map((f) => f.payload)).toEqual([[...P1], [...P2]]);
  });

  it('reports broken framing and resynchronises on the next flag', () => {
    const broken = concat([U[0]!, Uint8Array.from([0x55, 0x66]), U[1]!]);
    const { frames } = readAll([broken], 'unframed');
    expect(frames.map((f) => [f.kind, f.reason])).toEqual([
      ['frame', undefined],
      ['bad', 'framing'],
      ['frame', undefined],
    ]);
  });

  it('gives the same frames one byte at a time, and truncation at every offset keeps what came before', () => {
    const whole = readAll([STREAM_U]).frames;
    expect(
      readAll(
        [...STREAM_U].map((b) => Uint8Array.of(b)),
        'unframed',
      ).frames,
    ).toEqual(whole);
    const starts = [0, U[0]!.length, U[0]!.length + U[1]!.length];
    for (let n = 1; n < STREAM_U.length; n++) {
      const { frames, error } = readAll([STREAM_U.subarray(0, n)], 'unframed');
      const complete = starts.filter((s, i) => s + U[i]!.length <= n).length;
      expect(frames, `cut at ${n}`).toEqual(whole.slice(0, complete));
      const boundary = starts.includes(n) || starts.includes(n - 1); // flag alone left over
      if (!boundary) expect(error, `cut at ${n}`).toBeInstanceOf(CaptureTruncatedError);
    }
  });
});
