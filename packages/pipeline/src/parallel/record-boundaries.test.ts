import { describe, expect, it } from 'vitest';
import { readCaptureRecords } from '@l1t/capture';
import { concatBytes, synthFronthaul } from '../../../capture/src/synth/index.js';
import { findPcapngBlockStart, findPcapRecordStart, parsePcapLayout } from './record-boundaries.js';

function capture(format: 'pcap' | 'pcapng'): { bytes: Uint8Array; starts: number[] } {
  const bytes = concatBytes([...synthFronthaul({ format, durationS: 0.001 }, [], 3)]);
  const starts = [...readCaptureRecords(bytes, format)].map((r) => r.byteOffset).filter((o, i, a) => a.indexOf(o) === i);
  return { bytes, starts };
}

/** The first record start ≥ p. */
function nextStart(starts: number[], p: number): number {
  return starts.find((s) => s >= p) ?? -1;
}

describe('record boundaries (resynchronisation)', () => {
  it('pcap: from any offset, finds the next record start (IQ bytes are not mistaken for headers)', () => {
    const { bytes, starts } = capture('pcap');
    const layout = parsePcapLayout(bytes)!;
    expect(layout).toMatchObject({ littleEndian: true, nanosecond: true });
    for (let p = 24; p < bytes.length - 40_000; p += 97) {
      expect(findPcapRecordStart(bytes, p, bytes.length, layout, true)).toBe(nextStart(starts, p));
    }
  });

  it('pcapng: from any offset, finds the next block start', () => {
    const { bytes, starts } = capture('pcapng');
    for (let p = 1; p < bytes.length - 40_000; p += 101) {
      const found = findPcapngBlockStart(bytes, p, bytes.length, 0, { littleEndian: true, interfaceCount: 1 }, true);
      expect(found).toBe(nextStart(starts, p));
    }
  });

  it('random bytes give no boundary, and a window without one says so', () => {
    let x = 12345;
    const noise = Uint8Array.from({ length: 200_000 }, () => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 24));
    const layout = { littleEndian: true, nanosecond: true, snapLen: 65535, maxCapLen: 262144 };
    expect(findPcapRecordStart(noise, 0, noise.length, layout, true)).toBe(-1);
    expect(findPcapngBlockStart(noise, 0, noise.length, 0, { littleEndian: true, interfaceCount: 1 }, true)).toBe(-1);
  });
});
