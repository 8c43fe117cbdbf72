import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Anomaly, Metric, Profile } from '@l1t/contracts';
import { concatBytes, parseFaultSpec, synthFronthaul } from '../../capture/src/synth/index.js';
import { requireSharedDir } from '../../../test-support/shared.js';
import { analyzeFile, type AnalyzeOptions } from './analyze-file.js';
import { fileIdFromSha256 } from './ids.js';
import type { FileResultSink } from './result-sink.js';
import { fileInput } from './sources.js';

/** A sink that keeps what it is given and notes how: batch sizes, call order, how far the reader had got. */
class RecordingSink implements FileResultSink {
  readonly calls: string[] = [];
  readonly anomalyRows: Anomaly[] = [];
  readonly metricRows: Metric[] = [];
  maxBatch = 0;
  batches = 0;
  /** Input bytes read when the first batch came (set by the test's progress callback). */
  bytesRead = 0;
  bytesAtFirstBatch: number | undefined;
  bytesAtFirstAnomaly: number | undefined;

  begin(file: { fileId: string }): Promise<void> {
    this.calls.push(`begin ${file.fileId}`);
    return Promise.resolve();
  }
  anomalies(batch: Anomaly[]): void {
    this.take(batch.length);
    this.bytesAtFirstAnomaly ??= this.bytesRead;
    this.anomalyRows.push(...batch);
  }
  metrics(batch: Metric[]): void {
    this.take(batch.length);
    this.metricRows.push(...batch);
  }
  drain(): Promise<void> {
    return Promise.resolve();
  }
  end(): Promise<void> {
    this.calls.push('end');
    return Promise.resolve();
  }
  private take(n: number): void {
    this.batches++;
    this.maxBatch = Math.max(this.maxBatch, n);
    this.bytesAtFirstBatch ??= this.bytesRead;
  }
}

const byId = (a: Anomaly, b: Anomaly): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const metricKey = (m: Metric): string => JSON.stringify([m.timestamp, m.name, m.labels, m.value]);

/** Streams a file into a RecordingSink and analyses it again without one: both must store the same rows. */
async function both(path: string, options: AnalyzeOptions = {}) {
  const sink = new RecordingSink();
  const streamed = await analyzeFile(fileInput(path), {
    ...options,
    sessionId: 's1',
    sink,
    onProgress: (b) => (sink.bytesRead = b),
  });
  const kept = await analyzeFile(fileInput(path), { ...options, sessionId: 's1' });
  return { sink, streamed, kept };
}

function expectSameRows(r: Awaited<ReturnType<typeof both>>): void {
  const { sink, streamed, kept } = r;
  expect(streamed.streamed).toBe(true);
  expect(streamed.anomalies).toEqual([]);
  expect(streamed.fileId).toBe(kept.fileId);
  expect(sink.calls).toEqual([`begin ${kept.fileId}`, 'end']);
  expect([...sink.anomalyRows].sort(byId)).toEqual([...kept.anomalies].sort(byId));
  expect(sink.metricRows.map(metricKey).sort()).toEqual(kept.metrics.map(metricKey).sort());
  expect(streamed.counts).toEqual(kept.counts);
  expect(streamed.counts.anomalyCount).toBe(kept.anomalies.length);
  expect(streamed.counts.metricCount).toBe(kept.metrics.length);
  expect(streamed.summary).toEqual({ ...kept.summary });
}

const samples = requireSharedDir('samples');

describe.runIf(samples.available)('streamed results of real captures', () => {
  for (const sample of [
    'Vikas_python/ecpri.pcap',
    'Utilities/nv_offset0_ref0_2sym.pcap',
    'dos-attacker/cp_dl_short_1mb.pcap',
    'pcap-analyzer/sample_oran.pcap',
  ]) {
    it(`hands over exactly the rows a kept analysis returns: ${sample}`, async () => {
      const r = await both(join(samples.path, sample));
      expectSameRows(r);
      expect(r.kept.anomalies.length + r.kept.metrics.length).toBeGreaterThan(0);
    });
  }
});

describe.runIf(samples.available)('streamed results under a known sha256 (an upload hashed on arrival)', () => {
  const path = () => join(samples.path, 'Vikas_python/ecpri.pcap');

  it('needs no read-ahead hash when the sha256 is right, and gives the same rows', async () => {
    const kept = await analyzeFile(fileInput(path()), { sessionId: 's1' });
    const sink = new RecordingSink();
    const r = await analyzeFile(fileInput(path()), { sessionId: 's1', sink, knownSha256: kept.sha256 });
    expect(r).toMatchObject({ status: 'done', fileId: kept.fileId, counts: kept.counts });
    expect([...sink.anomalyRows].sort(byId)).toEqual([...kept.anomalies].sort(byId));
  });

  it('fails a file whose bytes no longer match, under the id its rows were streamed with', async () => {
    const sink = new RecordingSink();
    const stale = 'a'.repeat(64);
    const r = await analyzeFile(fileInput(path()), { sink, knownSha256: stale });
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/no longer matches the sha256 recorded for it/);
    expect(r.fileId).toBe(fileIdFromSha256(stale));
    expect(sink.calls).toEqual([`begin ${r.fileId}`, 'end']);
  });
});

describe.runIf(samples.available)('a sink that fails', () => {
  it('is an internal error (the job is retried), never an input fault of the file', async () => {
    const down = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    const sink = new RecordingSink();
    sink.begin = () => Promise.reject(down);
    await expect(analyzeFile(fileInput(join(samples.path, 'Vikas_python/ecpri.pcap')), { sink })).rejects.toBe(down);
  });
});

describe('streamed results of a long capture', () => {
  let dir: string;
  let path: string;
  const PROFILE: Profile = { name: 'stream', scs_khz: 15, nrb: 12, timing: { mode: 'absolute' } };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-stream-'));
    path = join(dir, 'long.pcap');
    // A fault every 2.5 s for 12 s (further apart than a burst): findings close all along the file.
    const faults = [0.5, 3, 5.5, 8, 10.5].map((t) => `seq_gap@${t}`).join(';');
    const synth = synthFronthaul(
      { durationS: 12, scsKhz: 15, nrb: 12, eaxc: { dl: [0, 1], ul: [0] }, ptp: true },
      parseFaultSpec(faults),
      7,
    );
    writeFileSync(path, concatBytes([...synth]));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('hands findings and metrics over in bounded batches while the file is still being read', async () => {
    const r = await both(path, { profile: PROFILE });
    expectSameRows(r);
    const size = statSync(path).size;
    expect(size).toBeGreaterThan(3 * (4 << 20)); // several read chunks
    expect(r.kept.anomalies.length).toBeGreaterThanOrEqual(4);
    expect(r.sink.batches).toBeGreaterThan(2);
    expect(r.sink.maxBatch).toBeLessThanOrEqual(1000);
    // Streaming, not collecting: the first batch left long before the end of the file.
    expect(r.sink.bytesAtFirstBatch).toBeLessThan(size / 2);
    expect(r.sink.bytesAtFirstAnomaly).toBeLessThan(size / 2);
  });

  it('hashed on a worker thread beside the analysis (a large file): the same id and rows, sha256 once', async () => {
    const r = await both(path, { profile: PROFILE, hashOnWorkerFromBytes: 0 });
    expectSameRows(r);
    expect(r.streamed.sha256).toBe(r.kept.sha256);
    expect(r.sink.batches).toBeGreaterThan(2);
  });

  for (const [how, hashOnWorkerFromBytes] of [
    ['read ahead', Infinity],
    ['hashed beside', 0],
  ] as const) {
    it(`fails a file that grows while it is analysed (${how}): the sha256 was taken once, its stat changed`, async () => {
      const copy = join(dir, `growing-${hashOnWorkerFromBytes}.pcap`);
      writeFileSync(copy, readFileSync(path));
      let grown = false;
      const r = await analyzeFile(fileInput(copy), {
        profile: PROFILE,
        sink: new RecordingSink(),
        hashOnWorkerFromBytes,
        onProgress: () => {
          if (!grown) appendFileSync(copy, new Uint8Array(100));
          grown = true;
        },
      });
      expect(r.status).toBe('failed');
      expect(r.error).toMatch(/the file changed while it was analysed/);
    });
  }
});

describe('analyzeFile while the sha256 is computed beside it', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'l1t-held-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps at most maxRowsHeldForHash rows (+ one chunk of them): past it, it waits for the hash', async () => {
    // 6 read chunks of 4 MiB; the analyzer hands 40,000 metric rows per chunk (one prepared batch, again and
    // again: ~1 ms a chunk). The bound holds whenever the hash is late; how late it is depends on the host (on
    // an idle one it is often done after a chunk or two, and then nothing waits)
    const path = join(dir, 'rows.bin');
    writeFileSync(path, new Uint8Array(6 * (4 << 20)).fill(7));
    const PER_CHUNK = 40_000;
    const batch = Array.from({ length: PER_CHUNK }, (_, i) => ({
      timestamp: String(1_790_000_000_000_000_000n + BigInt(i)),
      source: 'fronthaul' as const,
      name: 'rows',
      labels: {},
      value: i,
    }));
    let made = 0;
    let madeAtBegin: number | undefined;
    const sink = new RecordingSink();
    const begin = sink.begin.bind(sink);
    sink.begin = (file) => {
      madeAtBegin ??= made;
      return begin(file);
    };
    const r = await analyzeFile(fileInput(path), {
      sink,
      hashOnWorkerFromBytes: 0,
      maxRowsHeldForHash: 50_000,
      analyzerFactory: (_format, _detail, ctx) => ({
        push: () => {
          made += PER_CHUNK;
          ctx.sink!.metrics(batch);
        },
        finish: () => ({
          summary: { records: 0, unknownRecords: 0, malformedRecords: 0, details: {} },
          anomalies: [],
          metrics: [],
        }),
      }),
    });
    expect(r.status).toBe('done');
    expect(made).toBe(6 * PER_CHUNK);
    expect(sink.metricRows).toHaveLength(made);
    expect(madeAtBegin).toBeDefined();
    expect(madeAtBegin!).toBeLessThanOrEqual(50_000 + PER_CHUNK);
    expect(sink.metricRows.filter((m, i) => m.value !== i % PER_CHUNK)).toEqual([]); // all, in order
  });
});
