import { describe, expect, it } from 'vitest';
import { CaptureFormatError, CaptureTruncatedError } from '../bytes/capture-errors.js';
import { createCaptureReader } from '../reader/create-capture-reader.js';
import type { CaptureFormat, CaptureReaderOptions, CaptureRecord, PacketRecord } from '../reader/capture-records.js';

/** A packet a suite fixture should contain. */
export interface SuitePacket {
  /** Epoch ns; whole µs unless the file is `nanos`. */
  tsNs: bigint;
  data: Uint8Array;
  origLen?: number;
}

export interface SuiteFileSpec {
  byteOrder: 'le' | 'be';
  nanos: boolean;
  packets: SuitePacket[];
  linkType?: number;
  snapLen?: number;
}

/** What each reader implementation supplies to {@link describeCaptureReaderSuite}. */
export interface CaptureReaderSuiteFixtures {
  format: CaptureFormat;
  /** A file of the implementation's format holding exactly these packets, in order. */
  build(spec: SuiteFileSpec): Uint8Array;
  /** A file whose second packet record claims an absurd length; `offset` is that record's offset. */
  hostileLength(): { bytes: Uint8Array; offset: number };
}

/** Outcome of reading a capture: records (copied) and the error that ended it, if any. */
export interface ReadOutcome {
  records: CaptureRecord[];
  error: unknown;
}

/** Feeds `bytes` in chunks of `chunkSize` (or all at once), pulling records after each append. */
export function readAll(
  format: CaptureFormat,
  bytes: Uint8Array,
  chunkSize = bytes.length,
  options: CaptureReaderOptions = { copyData: true },
): ReadOutcome {
  const reader = createCaptureReader(format, options);
  const records: CaptureRecord[] = [];
  try {
    const step = Math.max(1, chunkSize);
    for (let o = 0; o < bytes.length; o += step) {
      reader.append(bytes.subarray(o, Math.min(bytes.length, o + step)));
      for (let r = reader.next(); r !== undefined; r = reader.next()) records.push(r);
    }
    reader.end();
    for (let r = reader.next(); r !== undefined; r = reader.next()) records.push(r);
    return { records, error: undefined };
  } catch (error) {
    return { records, error };
  }
}

export function packetsOf(records: CaptureRecord[]): PacketRecord[] {
  return records.filter((r): r is PacketRecord => r.kind === 'packet');
}

function payload(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff);
}

const BASE_NS = 1_700_000_000_123_456_000n;

function samplePackets(nanos: boolean): SuitePacket[] {
  return [
    { tsNs: BASE_NS, data: payload(60, 1) },
    { tsNs: BASE_NS + (nanos ? 1_789n : 2_000n), data: payload(61, 2) },
    { tsNs: BASE_NS + 3_000_000_000n, data: payload(14, 3) },
  ];
}

/**
 * The shared case suite every capture reader passes (DESIGN.md §Conventions 10): decoding in both
 * byte orders and precisions, chunking independence, truncation at every offset, snaplen cuts,
 * unknown link types and hostile lengths.
 */
export function describeCaptureReaderSuite(fx: CaptureReaderSuiteFixtures): void {
  const { format } = fx;
  describe(`${format} reader (shared suite)`, () => {
    for (const byteOrder of ['le', 'be'] as const) {
      for (const nanos of [false, true]) {
        it(`decodes every packet of a ${byteOrder} ${nanos ? 'ns' : 'µs'} file`, () => {
          const packets = samplePackets(nanos);
          const { records, error } = readAll(format, fx.build({ byteOrder, nanos, packets }));
          expect(error).toBeUndefined();
          const got = packetsOf(records);
          expect(got.map((p) => p.index)).toEqual([1, 2, 3]);
          got.forEach((p, i) => {
            expect(p.tsNs).toBe(packets[i]!.tsNs);
            expect(p.data).toEqual(packets[i]!.data);
            expect(p.capLen).toBe(packets[i]!.data.length);
            expect(p.origLen).toBe(packets[i]!.data.length);
            expect(p.truncated).toBe(false);
            expect(p.linkType).toBe(1);
            expect(p.interfaceId).toBe(0);
          });
        });
      }
    }

    it('reports the file header in fileInfo()', () => {
      const reader = createCaptureReader(format);
      expect(reader.fileInfo()).toBeUndefined();
      reader.append(fx.build({ byteOrder: 'be', nanos: true, packets: samplePackets(true), snapLen: 1500 }));
      reader.end();
      while (reader.next() !== undefined) {
        /* drain */
      }
      const info = reader.fileInfo()!;
      expect(info.format).toBe(format);
      expect(info.byteOrder).toBe('be');
      expect(info.snapLen).toBe(1500);
      expect(info.linkTypes).toEqual([1]);
      expect(info.linkTypeSupported).toBe(true);
      expect(info.packetCount).toBe(3);
      expect(info.interfaces[0]!.tsResolution).toEqual({ base: 10, exponent: 9 });
    });

    it('gives the same records fed one byte at a time, in odd chunks, or whole', () => {
      const bytes = fx.build({ byteOrder: 'le', nanos: false, packets: samplePackets(false) });
      const whole = readAll(format, bytes);
      expect(whole.error).toBeUndefined();
      for (const chunk of [1, 3, 7, 64]) {
        const split = readAll(format, bytes, chunk);
        expect(split.error).toBeUndefined();
        expect(split.records).toEqual(whole.records);
      }
    });

    it('returns every record before a cut at any offset, then a truncation error at the cut record', () => {
      const bytes = fx.build({ byteOrder: 'be', nanos: true, packets: samplePackets(true) });
      const whole = readAll(format, bytes).records;
      const starts = whole.map((r) => r.byteOffset);
      const ends = [...starts.slice(1), bytes.length];
      for (let cut = 0; cut < bytes.length; cut++) {
        const { records, error } = readAll(format, bytes.subarray(0, cut));
        const complete = whole.filter((_, i) => ends[i]! <= cut);
        expect(records, `cut ${cut}`).toEqual(complete);
        if (cut > 0 && ends.includes(cut)) {
          expect(error, `cut ${cut} on a record boundary`).toBeUndefined();
        } else {
          expect(error, `cut ${cut}`).toBeInstanceOf(CaptureTruncatedError);
          const e = error as CaptureTruncatedError;
          expect(e.truncated).toBe(true);
          expect(e.byteOffset, `cut ${cut}`).toBe(complete.length === 0 ? 0 : ends[complete.length - 1]);
          expect(e.message).toMatch(/^offset \d+: /);
        }
      }
    });

    it('flags a packet cut by the snaplen and still delivers it', () => {
      const packets = [{ tsNs: BASE_NS, data: payload(64, 9), origLen: 1514 }];
      const got = packetsOf(readAll(format, fx.build({ byteOrder: 'le', nanos: false, packets, snapLen: 64 })).records);
      expect(got).toHaveLength(1);
      expect(got[0]!.truncated).toBe(true);
      expect(got[0]!.capLen).toBe(64);
      expect(got[0]!.origLen).toBe(1514);
    });

    it('reads frames of an unknown link type and reports the link type unsupported', () => {
      const reader = createCaptureReader(format, { copyData: true });
      reader.append(fx.build({ byteOrder: 'le', nanos: false, packets: samplePackets(false), linkType: 147 }));
      reader.end();
      const records: CaptureRecord[] = [];
      for (let r = reader.next(); r !== undefined; r = reader.next()) records.push(r);
      expect(packetsOf(records).map((p) => p.linkType)).toEqual([147, 147, 147]);
      expect(reader.fileInfo()!.linkTypeSupported).toBe(false);
      expect(records.find((r) => r.kind === 'interface')).toMatchObject({ linkType: 147, linkTypeSupported: false });
    });

    it('rejects an absurd record length with a located error at once, without waiting for the bytes', () => {
      const { bytes, offset } = fx.hostileLength();
      const reader = createCaptureReader(format);
      reader.append(bytes); // no end(): the error must not depend on more input
      let error: unknown;
      let packets = 0;
      try {
        for (let r = reader.next(); r !== undefined; r = reader.next()) if (r.kind === 'packet') packets++;
      } catch (e) {
        error = e;
      }
      expect(packets).toBe(1);
      expect(error).toBeInstanceOf(CaptureFormatError);
      expect(error).not.toBeInstanceOf(CaptureTruncatedError);
      expect((error as CaptureFormatError).byteOffset).toBe(offset);
      expect(() => reader.next()).toThrow(error as Error); // sticky
    });

    it('rejects input that is not this format at offset 0', () => {
      const { error } = readAll(
        format,
        Uint8Array.from({ length: 64 }, (_, i) => i),
      );
      expect(error).toBeInstanceOf(CaptureFormatError);
      expect((error as CaptureFormatError).byteOffset).toBe(0);
      expect((error as CaptureFormatError).truncated).toBe(false);
    });

    it('survives random corruption: every failure is a located CaptureFormatError, never a crash or hang', () => {
      const bytes = fx.build({ byteOrder: 'le', nanos: true, packets: samplePackets(true) });
      let seed = 0x1234567;
      const rand = (n: number): number => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return (seed >>> 8) % n;
      };
      for (let round = 0; round < 500; round++) {
        const bad = bytes.slice();
        for (let k = 1 + rand(4); k > 0; k--) bad[rand(bad.length)] = rand(256);
        const { records, error } = readAll(format, bad, 1 + rand(40));
        if (error !== undefined) {
          expect(error, `round ${round}`).toBeInstanceOf(CaptureFormatError);
          const at = (error as CaptureFormatError).byteOffset;
          expect(at).toBeGreaterThanOrEqual(0);
          expect(at).toBeLessThanOrEqual(bad.length);
        }
        expect(packetsOf(records).length).toBeLessThanOrEqual(3 + bad.length / 12);
      }
    });

    it('reuses one record with views by default, and copies under copyData', () => {
      const bytes = fx.build({ byteOrder: 'le', nanos: false, packets: samplePackets(false) });
      const view = packetsOf(readAll(format, bytes, bytes.length, {}).records);
      expect(new Set(view).size).toBe(1);
      expect(view[0]!.data.buffer).toBe(bytes.buffer);
      const copied = packetsOf(readAll(format, bytes, bytes.length, { copyData: true }).records);
      expect(new Set(copied).size).toBe(3);
      expect(copied[0]!.data.buffer).not.toBe(bytes.buffer);
    });
  });
}
