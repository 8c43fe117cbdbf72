/**
 * Where one capture's analysis spends its CPU, split by what could run on several threads (issue 14 item 4,
 * "one large file across all cores"): each stage runs in a process of its own over the same bench:analyze
 * shape, and its CPU-seconds are those of the loop alone (process.cpuUsage after the imports; the least of
 * `L1T_SPLIT_REPEAT` runs, default 3):
 *
 *   read      the file read into pooled 4 MiB buffers and framed into records (capture reader)
 *   decode    + every packet decoded as the analysis decodes it (profile options, per-section IQ totals)
 *   detect    + every detector and the file views over the decoded packets (createFronthaulDetection)
 *   half-a    + only the detectors that feed the file views or the site model (rx-window, ptp-gm-change,
 *             window_stat_outlier) and the views
 *   half-b    + every other detector, no views
 *   analysis  the capture analysis itself (CaptureAnalyzer: decode, tallies, every detector, the file views)
 *   sha256    the file's hash alone (analyzeFile computes it beside the analysis on a worker thread)
 *
 * Two upper bounds of the analysis thread's speed-up on one file, both at no transfer or thread start-up
 * cost: (A) decode spread over any number of threads (record-aligned byte ranges, src/parallel/), the
 * stateful detection on one in file order: analysis ÷ (analysis − decode); (B) two threads that each read
 * and decode every packet and run half of the detectors (each half runs the whole detection framework:
 * packet-context ring, flow table, fronthaul stage with per-slot IQ statistics, PTP exchange pairing,
 * aggregator): detect ÷ max(half-a, half-b). One JSON line per shape on stdout, a table on stderr.
 *
 *   tsc -b packages/pipeline && tsx bench/analyze-split.ts        (L1T_BENCH_SHAPES, L1T_BENCH_SHAPE_BYTES
 *                                                                 and L1T_BENCH_DIR as for bench:analyze)
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Profile } from '@l1t/contracts';
import type * as Capture from '@l1t/capture';
import type * as Detect from '@l1t/detect';
import type * as Pipeline from '@l1t/pipeline';
import { build, DIR, SHAPES } from './analyze.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const PIPELINE_DIST = join(ROOT, 'packages/pipeline/dist');
const CAPTURE_DIST = join(ROOT, 'packages/capture/dist/index.js');
const DETECT_DIST = join(ROOT, 'packages/detect/dist/index.js');
const STAGES = ['read', 'decode', 'detect', 'half-a', 'half-b', 'analysis', 'sha256'] as const;
/** Detectors that feed the file views (`views` in their create options) or hold the site model. */
const HALF_A = new Set(['fronthaul/rx-window', 'ptp-gm-change', 'window_stat_outlier']);
type Stage = (typeof STAGES)[number];
/** Runs of each stage; the least CPU counts (L1T_SPLIT_REPEAT, default 3). */
const REPEAT = Math.max(1, Number(process.env['L1T_SPLIT_REPEAT'] ?? 3));

interface StageRun {
  stage: Stage;
  cpuS: number;
  wallS: number;
  packets: number;
}

/** One stage over one file, in this process (the child side). */
async function runStage(stage: Stage, path: string, profile: Profile): Promise<StageRun> {
  const cap = (await import(CAPTURE_DIST)) as typeof Capture;
  const pl = (await import(join(PIPELINE_DIST, 'index.js'))) as typeof Pipeline;
  const det = (await import(DETECT_DIST)) as typeof Detect;
  const { pooledFileChunks } = (await import(join(PIPELINE_DIST, 'file-chunks.js'))) as {
    pooledFileChunks: (path: string, released: () => number) => AsyncGenerator<Uint8Array>;
  };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let packets = 0;
  if (stage === 'sha256') {
    const h = createHash('sha256');
    for await (const chunk of pooledFileChunks(path, () => Infinity)) h.update(chunk);
    h.digest('hex');
  } else if (stage === 'analysis') {
    // the registry's analyzer, streaming to a sink that drops what it gets (as bench:analyze's in-process run)
    const analyzer = pl.createAnalyzer('pcap', 'pcap', {
      fileName: path,
      profile,
      sink: { anomalies: () => {}, metrics: () => {} },
    });
    const rel = analyzer as unknown as { releasedBefore(): number };
    for await (const chunk of pooledFileChunks(path, () => rel.releasedBefore())) analyzer.push(chunk);
    packets = analyzer.finish().summary.records;
  } else {
    const reader = cap.createCaptureReader('pcap');
    // as the capture analyzer decodes (analyzers/capture-analyzer.ts): the per-PRB sums kept by the SIMD pass
    // for the views' PRB heatmap — without them the heatmap decodes every drawn section again, PRB by PRB
    const decoder = cap.createPacketDecoder({ ...pl.decodeOptionsFromProfile(profile), prbIq: false, prbSums: true });
    const p = new cap.DecodedPacket();
    const defs =
      stage === 'half-a' || stage === 'half-b'
        ? det.DETECTORS.filter((d) => HALF_A.has(d.name) === (stage === 'half-a'))
        : det.DETECTORS;
    if (stage === 'half-a' && defs.length !== HALF_A.size) throw new Error('a detector of half-a was renamed');
    const detection =
      stage === 'detect' || stage === 'half-a' || stage === 'half-b'
        ? det.createFronthaulDetection({
            profile,
            definitions: defs,
            views: stage !== 'half-b',
            sink: { anomalies() {}, metrics() {} },
          })
        : undefined;
    let lastEnd = 0;
    for await (const chunk of pooledFileChunks(path, () => lastEnd)) {
      reader.append(chunk);
      for (let rec = reader.next(); rec !== undefined; rec = reader.next()) {
        if (rec.kind !== 'packet') continue;
        packets++;
        lastEnd = rec.byteOffset + rec.capLen;
        if (stage === 'read') continue;
        decoder.decode(rec.linkType, rec.data, rec.tsNs, rec.index, p);
        detection?.onPacket(p);
      }
    }
    reader.end();
    detection?.finish();
  }
  const c = process.cpuUsage(c0);
  return { stage, cpuS: (c.user + c.system) / 1e6, wallS: (performance.now() - t0) / 1000, packets };
}

const r2 = (v: number): number => Math.round(v * 100) / 100;

async function main(): Promise<void> {
  const stageArg = process.argv.indexOf('--stage');
  if (stageArg > 0) {
    const [stage, path, profileJson] = process.argv.slice(stageArg + 1) as [Stage, string, string];
    process.stdout.write(JSON.stringify(await runStage(stage, path, JSON.parse(profileJson) as Profile)) + '\n');
    return;
  }
  if (!existsSync(join(PIPELINE_DIST, 'index.js'))) throw new Error('run "npx tsc -b packages/pipeline" first');
  mkdirSync(DIR, { recursive: true });
  const selected = process.env['L1T_BENCH_SHAPES']?.split(',').map((s) => s.trim()) ?? ['fh_ks', 'viavi', 'fh_1x1'];
  const load0 = loadavg()[0]!;
  process.stderr.write(
    `${'shape'.padEnd(13)} ${'MB'.padStart(5)} ${STAGES.map((s) => `${s} cpu-s`.padStart(15)).join('')} ${'decode share'.padStart(13)} ${'bound A'.padStart(8)} ${'bound B'.padStart(8)}\n`,
  );
  for (const shape of SHAPES.filter((s) => selected.includes(s.name))) {
    const built = build(shape);
    const runs = {} as Record<Stage, StageRun>;
    // each stage REPEAT times, interleaved, keeping the least CPU: a shared host's load inflates CPU time too
    for (let i = 0; i < REPEAT; i++)
      for (const stage of STAGES) {
        const child = spawnSync(
          process.execPath,
          [
            ...process.execArgv,
            fileURLToPath(import.meta.url),
            '--stage',
            stage,
            built.path,
            JSON.stringify(shape.profile),
          ],
          { encoding: 'utf8', maxBuffer: 1 << 20 },
        );
        if (child.status !== 0) throw new Error(`${shape.name} ${stage}: ${child.stderr.slice(-2000)}`);
        const run = JSON.parse(child.stdout.trim().split('\n').pop()!) as StageRun;
        if (runs[stage] === undefined || run.cpuS < runs[stage].cpuS) runs[stage] = run;
      }
    const serial = runs.analysis.cpuS - runs.decode.cpuS;
    const out = {
      shape: shape.name,
      bytes: built.bytes,
      packets: runs.analysis.packets,
      cpuS: Object.fromEntries(STAGES.map((s) => [s, r2(runs[s].cpuS)])),
      wallS: Object.fromEntries(STAGES.map((s) => [s, r2(runs[s].wallS)])),
      decodeShareOfAnalysis: r2(runs.decode.cpuS / runs.analysis.cpuS),
      detectionCpuS: r2(serial),
      boundDecodeSpread: r2(runs.analysis.cpuS / serial),
      halvesCpuS: [r2(runs['half-a'].cpuS), r2(runs['half-b'].cpuS)],
      boundDetectorsHalved: r2(runs.detect.cpuS / Math.max(runs['half-a'].cpuS, runs['half-b'].cpuS)),
      repeat: REPEAT,
      loadavg1m: [load0, loadavg()[0]!],
    };
    process.stderr.write(
      `${shape.name.padEnd(13)} ${(built.bytes / 1e6).toFixed(0).padStart(5)} ${STAGES.map((s) => runs[s].cpuS.toFixed(2).padStart(15)).join('')} ${`${Math.round(out.decodeShareOfAnalysis * 100)} %`.padStart(13)} ${`×${out.boundDecodeSpread.toFixed(2)}`.padStart(8)} ${`×${out.boundDetectorsHalved.toFixed(2)}`.padStart(8)}\n`,
    );
    process.stdout.write(JSON.stringify(out) + '\n');
  }
  process.stderr.write(
    `bound A: decode spread over any number of threads, detection on one (analysis ÷ (analysis − decode));\n` +
      `bound B: two threads each decoding every packet and running half of the detectors (detect ÷ max(half-a, half-b));\n` +
      `both ignore transfer and thread start-up. Load (1 min) before ${load0.toFixed(2)}, after ${loadavg()[0]!.toFixed(2)}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`analyze-split: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
