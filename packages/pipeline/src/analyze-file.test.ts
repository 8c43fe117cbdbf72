import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPcap } from '../../capture/src/test-support/pcap-builder.js';
import { requireSharedDir } from '../../../test-support/shared.js';
import type { FileAnalyzer } from './analysis-types.js';
import { analyzeFile, type AnalyzeInput, type ReleasingAnalyzer } from './analyze-file.js';
import { fileInput } from './sources.js';

function bytesInput(name: string, bytes: Uint8Array, chunk = 7): AnalyzeInput {
  return {
    name,
    size: bytes.length,
    async *open() {
      for (let i = 0; i < bytes.length; i += chunk) yield bytes.subarray(i, i + chunk);
    },
  };
}

const frame = (n: number): Uint8Array => {
  const f = new Uint8Array(60);
  f.fill(n);
  f[12] = 0x08; // Ethertype IPv4 (content irrelevant to the container)
  f[13] = 0x00;
  return f;
};

const threePackets = buildPcap({
  nanos: true,
  packets: [1, 2, 3].map((i) => ({ tsSec: 1_790_000_000, tsFrac: i * 1000, data: frame(i) })),
});

describe('analyzeFile', () => {
  it('recognises a pcap from its bytes, counts its packets and hashes it, whatever the chunking', async () => {
    const a = await analyzeFile(bytesInput('x.bin', threePackets, 5));
    const b = await analyzeFile(bytesInput('x.bin', threePackets, 1 << 20));
    expect(a.status).toBe('done');
    expect(a.format).toBe('pcap');
    expect(a.summary.records).toBe(3);
    expect(a.summary.firstTimestampNs).toBe(1_790_000_000_000_001_000n);
    expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(b.sha256).toBe(a.sha256);
    expect(b.fileId).toBe(a.fileId);
  });

  it('keeps every packet before a cut and warns instead of failing', async () => {
    const cut = threePackets.subarray(0, threePackets.length - 10);
    const r = await analyzeFile(bytesInput('cut.pcap', cut));
    expect(r.status).toBe('done');
    expect(r.summary.records).toBe(2);
    expect(r.warning).toMatch(/offset \d+/);
  });

  it('fails random bytes with a located one-line reason', async () => {
    const random = new Uint8Array(4096).map((_, i) => (i * 7919 + 13) % 251);
    random[0] = 0x00;
    const r = await analyzeFile(bytesInput('random.bin', random));
    expect(r.status).toBe('failed');
    expect(r.error).toMatch(/^offset 0: unrecognised format/);
    expect(r.error).not.toContain('\n');
  });

  it('fails an empty file and a corrupt container header', async () => {
    expect((await analyzeFile(bytesInput('empty', new Uint8Array(0)))).error).toBe('offset 0: empty file');
    // A pcap whose 24-byte file header is cut short has nothing readable at all.
    const header = await analyzeFile(bytesInput('short.pcap', threePackets.subarray(0, 12)));
    expect(header.status).toBe('failed');
    expect(header.error).toMatch(/^offset 0: /);
  });

  it('reports an unreadable path as a failed file, not a crash', async () => {
    const r = await analyzeFile(fileInput('/no/such/file.pcap'));
    expect(r).toMatchObject({ status: 'failed', error: 'offset 0: no such file or directory' });
  });

  const samples = requireSharedDir('samples');
  it.runIf(samples.available)('reads every shared sample without an internal error', async () => {
    const dirs = readdirSync(samples.path).filter((d) => statSync(join(samples.path, d)).isDirectory());
    const seen = new Set<string>();
    for (const d of dirs) {
      for (const f of readdirSync(join(samples.path, d))) {
        const p = join(samples.path, d, f);
        const r = await analyzeFile(fileInput(p, `${d}/${f}`));
        seen.add(r.format);
        if (/\.(pcap|pcapng)$/.test(f)) {
          expect(r.status, `${d}/${f}: ${r.error}`).toBe('done');
          expect(r.summary.records, `${d}/${f}`).toBeGreaterThan(0);
        }
        if (f.endsWith('.mi2log')) expect(r.format, f).toBe('diag_hdlc');
      }
    }
    expect([...seen]).toEqual(expect.arrayContaining(['pcap', 'pcapng', 'diag_hdlc', 'text']));
  });

  it.each([0, 3 << 20, 9 << 20])(
    'reuses its read buffers only once the analyzer released their bytes (analyzer holding the last %i bytes)',
    async (lag) => {
      const dir = mkdtempSync(join(tmpdir(), 'l1t-pipeline-'));
      const path = join(dir, 'big.bin');
      const file = new Uint8Array(21 << 20).map((_, i) => (i * 2654435761) >>> 24);
      writeFileSync(path, file);
      let pushed = 0;
      let intact = true;
      const buffers = new Set<ArrayBufferLike>();
      let held: { at: number; chunk: Uint8Array }[] = [];
      // An analyzer that keeps views of the chunks it was given, like a reader holding a record in progress.
      const holding: FileAnalyzer & ReleasingAnalyzer = {
        push(chunk) {
          buffers.add(chunk.buffer);
          held.push({ at: pushed, chunk });
          pushed += chunk.length;
          for (const h of held) {
            const want = file.subarray(h.at, h.at + h.chunk.length);
            if (!h.chunk.every((b, i) => b === want[i])) intact = false;
          }
          held = held.filter((h) => h.at + h.chunk.length > pushed - lag);
        },
        releasedBefore: () => pushed - lag,
        finish: () => ({
          summary: { records: 0, unknownRecords: 0, malformedRecords: 0, details: {} },
          anomalies: [],
          metrics: [],
        }),
      };
      const r = await analyzeFile(fileInput(path, 'big.bin'), { analyzerFactory: () => holding });
      expect(r.status).toBe('done');
      expect(pushed).toBe(file.length);
      expect(intact).toBe(true);
      // 6 chunks of 4 MiB: at most the pool's 4 buffers when nothing is held; more while chunks are held
      if (lag === 0) expect(buffers.size).toBeLessThanOrEqual(4);
      else expect(buffers.size).toBeGreaterThan(1);
      pushed = 0;
      held = [];
      const streamed = await analyzeFile(
        { name: 'big.bin', open: () => fileInput(path).open() },
        { analyzerFactory: () => holding },
      );
      expect(streamed.sha256).toBe(r.sha256);
    },
  );

  it('reads a file from disk (pooled 4 MiB reads)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l1t-pipeline-'));
    const path = join(dir, 'three.pcap');
    writeFileSync(path, threePackets);
    const r = await analyzeFile(fileInput(path, 'three.pcap'));
    expect(r).toMatchObject({ status: 'done', format: 'pcap', size: threePackets.length, path });
  });
});
