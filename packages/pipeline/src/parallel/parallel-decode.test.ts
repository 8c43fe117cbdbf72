import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCaptureReader, createPacketDecoder, DecodedPacket, type DecodeOptions } from '@l1t/capture';
import { concatBytes, synthFronthaul } from '../../../capture/src/synth/index.js';
import { appendSeqDigest, flowKey } from './flow-stats.js';
import { decodeCaptureParallel } from './parallel-decode.js';

const DECODE: Partial<DecodeOptions> = { compMethod: 'bfp', iqWidth: 9, compHdr: 'static', nrb: 273, computeIq: false };

interface RefFlow {
  packets: number;
  hist: number[];
  seqs: number[];
  firstIndex: number;
  lastIndex: number;
}

/** The single-threaded reference: one reader over the whole file, one decoder, nothing shared with parallel/. */
function reference(bytes: Uint8Array, format: 'pcap' | 'pcapng') {
  const reader = createCaptureReader(format);
  const decoder = createPacketDecoder(DECODE);
  const out = new DecodedPacket();
  const flows = new Map<number, RefFlow>();
  const recordStarts: number[] = [];
  let packets = 0;
  let truncated = false;
  reader.append(bytes);
  reader.end();
  try {
    for (let rec = reader.next(); rec !== undefined; rec = reader.next()) {
      recordStarts.push(rec.byteOffset);
      if (rec.kind !== 'packet') continue;
      packets++;
      decoder.decode(rec.linkType, rec.data, rec.tsNs, rec.index, out);
      if (!out.hasOran) continue;
      const m = out.oran;
      const key = flowKey(m.plane, m.dataDirection, m.eaxc);
      let f = flows.get(key);
      if (!f) flows.set(key, (f = { packets: 0, hist: new Array<number>(16).fill(0), seqs: [], firstIndex: rec.index, lastIndex: 0 }));
      f.packets++;
      f.seqs.push(m.sequenceId);
      f.lastIndex = rec.index;
      if (m.plane === 'u') for (let k = 0; k < m.prbCount; k++) f.hist[m.prbExponent[k]!]!++;
    }
  } catch (err) {
    if (!(err as { truncated?: boolean }).truncated) throw err;
    truncated = true;
  }
  return { packets, flows, recordStarts, truncated };
}

function synth(format: 'pcap' | 'pcapng', durationS: number, seed: number): Uint8Array {
  return concatBytes([...synthFronthaul({ format, durationS }, [], seed)]);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'l1t-parallel-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function expectSameAsSequential(bytes: Uint8Array, format: 'pcap' | 'pcapng', name: string, rangeBytes: number) {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  const ref = reference(bytes, format);
  const par = await decodeCaptureParallel(path, { threads: 'off', rangeBytes, decode: DECODE });

  // At least one range boundary falls strictly inside a record.
  const bounds = Array.from({ length: par.ranges - 1 }, (_, i) => Math.floor((bytes.length * (i + 1)) / par.ranges));
  const starts = new Set(ref.recordStarts);
  expect(bounds.some((b) => !starts.has(b))).toBe(true);
  expect(par.ranges).toBeGreaterThan(5);

  expect(par.counts.packets).toBe(ref.packets);
  expect(par.flows.length).toBe(ref.flows.size);
  for (const f of par.flows) {
    const r = ref.flows.get(flowKey(f.plane, f.direction === 'dl' ? 1 : 0, f.eaxc))!;
    expect(r, `flow ${f.plane} ${f.direction} ${f.eaxc}`).toBeDefined();
    expect(f.packets).toBe(r.packets);
    expect(f.exponentHistogram).toEqual(r.hist);
    expect([f.firstIndex, f.lastIndex]).toEqual([r.firstIndex, r.lastIndex]);
    expect(f.seqDigest).toBe(r.seqs.reduce(appendSeqDigest, 0));
    const disc = r.seqs.filter((s, i) => i > 0 && ((s - r.seqs[i - 1]!) & 0xff) !== 1).length;
    expect(f.seqDiscontinuities).toBe(disc);
  }
  return { par, ref };
}

describe('decodeCaptureParallel', () => {
  it('pcap: ranges cut inside records give the same packets, exponent histograms and per-flow seqId order as one pass', async () => {
    const bytes = synth('pcap', 0.003, 7);
    expect(bytes.length).toBeGreaterThan(1_500_000);
    const { par } = await expectSameAsSequential(bytes, 'pcap', 'a.pcap', 100_003);
    expect(par.rerunRanges).toBe(0);
    expect(par.flows.some((f) => f.prbs > 0 && f.exponentHistogram.some((n) => n > 0))).toBe(true);
    expect(par.flows.filter((f) => f.plane === 'u').length).toBe(6);
  });

  it('pcapng: ranges carry the SHB + IDB context', async () => {
    const bytes = synth('pcapng', 0.003, 8);
    const { par } = await expectSameAsSequential(bytes, 'pcapng', 'a.pcapng', 123_457);
    expect(par.rerunRanges).toBe(0);
  });

  it('pcapng with a second section: ranges decoded with a stale context are decoded again', async () => {
    const bytes = concatBytes([synth('pcapng', 0.002, 9), synth('pcapng', 0.002, 10)]);
    const { par } = await expectSameAsSequential(bytes, 'pcapng', 'two-sections.pcapng', 99_991);
    expect(par.rerunRanges).toBeGreaterThan(0);
  });

  it('a capture cut inside its last record: every packet before the cut, then a truncation', async () => {
    const whole = synth('pcap', 0.002, 11);
    const bytes = whole.subarray(0, whole.length - 1000);
    const { par, ref } = await expectSameAsSequential(bytes, 'pcap', 'cut.pcap', 77_777);
    expect(ref.truncated).toBe(true);
    expect(par.error?.truncated).toBe(true);
  });

  it('a corrupt record in the middle: the same packets before it and the same located error as one pass', async () => {
    const bytes = synth('pcap', 0.002, 13).slice();
    const ref = reference(bytes, 'pcap');
    const at = ref.recordStarts[Math.floor(ref.recordStarts.length / 2)]!;
    new DataView(bytes.buffer, bytes.byteOffset).setUint32(at + 8, 0x7fffffff, true); // caplen 2^31 - 1
    const path = join(dir, 'corrupt.pcap');
    writeFileSync(path, bytes);
    const seq = await decodeCaptureParallel(path, { workers: 1, decode: DECODE });
    const par = await decodeCaptureParallel(path, { threads: 'off', rangeBytes: 50_021, decode: DECODE });
    expect(seq.error).toMatchObject({ byteOffset: at, truncated: false });
    expect(seq.counts.packets).toBe(Math.floor(ref.recordStarts.length / 2) - 1); // the file header is record 0
    expect(par.error).toEqual(seq.error);
    expect(par.counts).toEqual(seq.counts);
    expect(par.flows).toEqual(seq.flows);
  });

  it('one range (single thread) gives the same result as many', async () => {
    const bytes = synth('pcap', 0.002, 12);
    const path = join(dir, 'one.pcap');
    writeFileSync(path, bytes);
    const one = await decodeCaptureParallel(path, { workers: 1, decode: DECODE });
    const many = await decodeCaptureParallel(path, { threads: 'off', rangeBytes: 65_536, decode: DECODE });
    expect(one.ranges).toBe(1);
    expect({ ...many, ranges: 1, bytesRead: 0 }).toEqual({ ...one, bytesRead: 0 });
  });
});
