/**
 * `npm run bench:diag` — DIAG decode + UE detection (the readers, every decoder, the UE detectors and KPI
 * windows, findings and metrics streamed to a counting sink as the server's store sink takes them) on the 19
 * real logs of ../shared/samples (mobileinsight-core, MECProj1) concatenated and repeated to two sizes
 * (100 MB and 400 MB by default). A table goes to stderr, ONE JSON document to stdout.
 *
 * The logs are put in time order and each repetition is shifted in time past the previous one (timestamps
 * rewritten, CRCs recomputed), so the input reads as one long log whose clock only moves forward — as a
 * 100 MB log from one phone does — rather than jumping back every 20 MB.
 *
 * Each run also splits its CPU time (Linux) into the main thread's and the other threads' (`mainThreadCpuS`,
 * `otherThreadsCpuS`): the latter are mostly V8's concurrent compiler, where the fresh process's extra cost
 * over a warm one is (diag-child.mjs).
 *
 * Each size runs in three modes, each run in a node process of its own under /usr/bin/time -v (diag-child.mjs):
 * the DIAG analyzer alone fed as analyzeFile() feeds it (decode + UE detection: the figure the issue's target
 * is about; L1T_BENCH_DIAG_RUNS runs, the median reported); the same measured on a second pass in one process (`analyzerWarm`: the one-time JIT compilation
 * and heap growth of a fresh process — about 1 CPU-s — paid by an uncounted first pass, as a long-running
 * worker has; shown beside the fresh-process figure, which stays the one `targetMet` judges); and
 * analyzeFile() — what a user's run costs, with its SHA-256 of the file and the pooled reader.
 * A process's peak RSS is that run alone, reported at both sizes. Whether memory stays flat in file size is
 * judged on the analyzer's heap in use after a full collection once the whole file is pushed (diag-child.mjs:
 * what the analysis holds): `memory.flat` when it grows by at most {@link FLAT_HEAP_MB} MB from the small input
 * to the large one. Peak RSS also counts garbage not yet collected, whose amount V8's heap sizing lets drift
 * between runs (tens of MB on a loaded machine), so it is shown, not judged. Rates are per CPU-second of the run (user + system of every thread: "per core"; the machine may
 * be shared), beside the wall clock and the process total (start-up and module loading included).
 *
 * Environment (all optional):
 *   L1T_BENCH_DIAG_BYTES  size of the large input (default 4e8); the small one is a quarter of it
 *   L1T_BENCH_DIR         cache folder of the generated inputs (default <repo>/.l1t/bench)
 *   L1T_BENCH_DIAG_RUNS   fresh-process runs of the analyzer per size (default 3): this shared 2-core host moves
 *                         one process's CPU time by up to 30 % from run to run (2.35 and 3.36 CPU-s for the same
 *                         400 MB pass minutes apart on 2026-12-07, load < 1), so the figure judged is the median
 *                         run, and every run's CPU time is listed beside it (`cpuSRuns`)
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiagStreamReader } from '../packages/capture/src/diag/diag-stream-reader.js';
import { hdlcFrame } from '../packages/capture/src/diag/build/diag-frames.js';
import { runMeasured } from './bench-support.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const LARGE = Number(env['L1T_BENCH_DIAG_BYTES'] ?? 4e8);
const SIZES = [Math.round(LARGE / 4), LARGE];
const DIR = env['L1T_BENCH_DIR'] ?? join(ROOT, '.l1t', 'bench');
const SAMPLES = resolve(ROOT, '..', 'shared', 'samples');
const PIPELINE = join(ROOT, 'packages/pipeline/dist/index.js');
/** issue 13: DIAG decode + UE detection ≥ 200 MB/s per core. */
const TARGET_MB_PER_S = 200;
/**
 * Growth (MB) of the heap the analyzer holds, from the small input to the large one (4× its size), still called
 * flat: findings of the few detectors that return theirs at the end stay (~1 MB per 1000), whereas state that
 * grows with the file adds tens of MB per 100 MB (the serving-cell KPI rows held to the end: ~23 MB).
 */
const FLAT_HEAP_MB = 4;
/** Fresh-process runs of the analyzer per size; the median (by CPU time) is the one reported. */
const RUNS = Math.max(1, Math.floor(Number(env['L1T_BENCH_DIAG_RUNS'] ?? 3)));

/** The measured process (a file of its own: see there). */
const CHILD = join(ROOT, 'bench', 'diag-child.mjs');

const log = (s: string): void => {
  process.stderr.write(s + '\n');
};
const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;

/** One real log as its HDLC frames' payloads (CRC stripped) and its timestamp span (raw: ticks << 16). */
interface Log {
  name: string;
  payloads: Uint8Array[];
  first: bigint;
  last: bigint;
}

/** Where a frame's 8-byte timestamp is: a 0x10 log packet, or one inside the 0x98 multi-SIM wrapper. */
function tsOffset(p: Uint8Array): number {
  if (p[0] === 0x10 && p.length >= 16) return 8;
  if (p[0] === 0x98 && p[8] === 0x10 && p.length >= 24) return 16;
  return -1;
}

/** The 19 real logs, in time order of their first record (good frames only: bad ones are not repeated). */
function realLogs(): Log[] {
  const logs: Log[] = [];
  for (const dir of ['mobileinsight-core', 'MECProj1']) {
    for (const f of readdirSync(join(SAMPLES, dir)).sort()) {
      if (!f.endsWith('.mi2log')) continue;
      const r = new DiagStreamReader({ framing: 'hdlc' });
      r.append(new Uint8Array(readFileSync(join(SAMPLES, dir, f))));
      r.end();
      const log: Log = { name: `${dir}/${f}`, payloads: [], first: -1n, last: -1n };
      try {
        for (let fr = r.next(); fr; fr = r.next()) {
          if (fr.kind !== 'frame') continue;
          const p = fr.payload.slice();
          log.payloads.push(p);
          const o = tsOffset(p);
          const ts = o < 0 ? 0n : new DataView(p.buffer).getBigUint64(o, true);
          if (ts === 0n) continue;
          if (log.first < 0n || ts < log.first) log.first = ts;
          if (ts > log.last) log.last = ts;
        }
      } catch {
        // the log that ends inside a frame: its complete frames are kept
      }
      logs.push(log);
    }
  }
  return logs.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
}

/** The logs repeated until `bytes`, each pass shifted past the previous one; cached by size. */
function generate(logs: Log[], bytes: number): { path: string; bytes: number } {
  const path = join(DIR, `diag-${bytes}.qmdl`);
  if (existsSync(path) && statSync(path).size >= bytes) return { path, bytes: statSync(path).size };
  mkdirSync(DIR, { recursive: true });
  const first = logs.reduce((m, l) => (l.first >= 0n && l.first < m ? l.first : m), 2n ** 63n);
  const last = logs.reduce((m, l) => (l.last > m ? l.last : m), 0n);
  const passSpan = last - first + (800n << 16n); // + 1 s of 1.25 ms ticks
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    for (let pass = 0n; written < bytes; pass++) {
      for (const l of logs) {
        for (const p of l.payloads) {
          const o = tsOffset(p);
          const q = o < 0 ? p : p.slice();
          if (o >= 0) {
            const v = new DataView(q.buffer);
            const ts = v.getBigUint64(o, true);
            if (ts !== 0n) v.setBigUint64(o, ts + pass * passSpan, true);
          }
          written += writeSync(fd, hdlcFrame(q));
        }
      }
    }
  } finally {
    closeSync(fd);
  }
  return { path, bytes: written };
}

interface ChildOut {
  wallS: number;
  cpuS: number;
  records: number;
  /** mode `analyzer`, under --expose-gc */
  retainedHeapMb?: number;
  /** Linux only: CPU-s of the main thread and of the other threads (V8's compiler and GC workers, libuv's pool). */
  mainThreadCpuS?: number;
  otherThreadsCpuS?: number;
  anomalies: number;
  metrics: number;
  // mode `file` only
  status?: string;
  decoded?: number;
  notDecoded?: number;
  badFrames?: number;
  byType?: Record<string, number>;
}

/** One mode of diag-child.mjs on one input, in a process of its own. */
async function measure(path: string, mode: 'file' | 'analyzer' | 'analyzer-warm', bytes: number) {
  const run = await runMeasured(process.execPath, ['--expose-gc', CHILD, PIPELINE, path, mode], true);
  const c = JSON.parse(run.stdout.trim().split('\n').pop()!) as ChildOut;
  const mb = bytes / 1e6;
  return {
    out: c,
    cpuS: round(c.cpuS, 3),
    mbPerCpuS: round(mb / c.cpuS),
    wallS: round(c.wallS, 3),
    mbPerWallS: round(mb / c.wallS),
    processCpuS: run.cpuS === undefined ? undefined : round(run.cpuS, 3),
    ...(c.mainThreadCpuS !== undefined && c.otherThreadsCpuS !== undefined
      ? { mainThreadCpuS: round(c.mainThreadCpuS, 2), otherThreadsCpuS: round(c.otherThreadsCpuS, 2) }
      : {}),
    peakRssMb: run.maxRssBytes === undefined ? undefined : round(run.maxRssBytes / 2 ** 20),
    ...(c.retainedHeapMb !== undefined ? { retainedHeapMb: round(c.retainedHeapMb) } : {}),
  };
}

async function main(): Promise<void> {
  if (!existsSync(SAMPLES)) throw new Error(`the real logs are not at ${SAMPLES}`);
  if (!existsSync(PIPELINE)) throw new Error(`${PIPELINE} is missing: run tsc -b first`);
  const logs = realLogs();
  const sampleBytes = logs.reduce((n, l) => n + l.payloads.reduce((m, p) => m + p.length, 0), 0);
  const load0 = loadavg()[0]!;
  const runs = [];
  for (const size of SIZES) {
    const g = generate(logs, size);
    const fresh = [];
    for (let i = 0; i < RUNS; i++) fresh.push(await measure(g.path, 'analyzer', g.bytes));
    const byCpu = [...fresh].sort((a, b) => a.cpuS - b.cpuS);
    const analyzer = { ...byCpu[(byCpu.length - 1) >> 1]!, cpuSRuns: fresh.map((r) => r.cpuS) };
    const warm = await measure(g.path, 'analyzer-warm', g.bytes);
    const file = await measure(g.path, 'file', g.bytes);
    const c = file.out;
    for (const a of [analyzer, warm])
      if (a.out.anomalies !== c.anomalies || a.out.metrics !== c.metrics)
        throw new Error(`the analyzer alone and analyzeFile() disagree on ${g.path}`);
    runs.push({
      bytes: g.bytes,
      records: c.records,
      decodedRecords: c.decoded,
      notDecodedRecords: c.notDecoded,
      badFrames: c.badFrames,
      anomalies: c.anomalies,
      anomaliesByType: c.byType,
      metrics: c.metrics,
      analyzer: { ...analyzer, out: undefined },
      analyzerWarm: {
        cpuS: warm.cpuS,
        mbPerCpuS: warm.mbPerCpuS,
        wallS: warm.wallS,
        mbPerWallS: warm.mbPerWallS,
        processCpuS: warm.processCpuS,
        mainThreadCpuS: warm.mainThreadCpuS,
        otherThreadsCpuS: warm.otherThreadsCpuS,
      },
      analyzeFile: { ...file, out: undefined },
    });
  }
  const [small, large] = runs;
  const growth = (k: 'analyzer' | 'analyzeFile'): number | undefined =>
    small![k].peakRssMb !== undefined && large![k].peakRssMb !== undefined
      ? round(large![k].peakRssMb - small![k].peakRssMb)
      : undefined;
  const heap = [small!.analyzer.retainedHeapMb, large!.analyzer.retainedHeapMb];
  const heapGrowthMb = heap[0] !== undefined && heap[1] !== undefined ? round(heap[1] - heap[0]) : undefined;
  const memory = {
    analyzerRetainedHeapMb: heap,
    analyzerRetainedHeapGrowthMb: heapGrowthMb,
    flatWithinMb: FLAT_HEAP_MB,
    flat: heapGrowthMb === undefined ? undefined : heapGrowthMb <= FLAT_HEAP_MB,
    analyzerPeakRssMb: [small!.analyzer.peakRssMb, large!.analyzer.peakRssMb],
    analyzeFilePeakRssMb: [small!.analyzeFile.peakRssMb, large!.analyzeFile.peakRssMb],
    analyzerRssGrowthMb: growth('analyzer'),
    analyzeFileRssGrowthMb: growth('analyzeFile'),
  };
  const result = {
    bench: 'diag',
    what: 'DIAG HDLC reader, every (log code, version) decoder, UE detectors, KPI windows, findings and metrics to a counting sink: the analyzer alone (fed as analyzeFile feeds it) and analyzeFile()',
    input: { logs: logs.length, sampleBytes, sizes: runs.map((r) => r.bytes), dir: DIR },
    runs,
    targetMbPerCoreS: TARGET_MB_PER_S,
    targetMet: large!.analyzer.mbPerCpuS >= TARGET_MB_PER_S,
    /** The same on a second pass in a warm process (start-up costs paid): shown beside, never instead. */
    warmTargetMet: large!.analyzerWarm.mbPerCpuS >= TARGET_MB_PER_S,
    memory,
    loadavg1m: { before: round(load0, 2), after: round(loadavg()[0]!, 2) },
  };
  log(
    `bench:diag — ${logs.length} real DIAG logs (${round(sampleBytes / 1e6)} MB) repeated; load ${result.loadavg1m.before}`,
  );
  log(
    `analyzer: the median of ${RUNS} fresh-process run(s) per size (CPU s of each: ${runs.map((r) => r.analyzer.cpuSRuns.join(', ')).join(' | ')})`,
  );
  log(
    '   size MB   records  anomalies   metrics  run            CPU s  MB/s/core  wall MB/s  peak RSS MB  main/other CPU s',
  );
  for (const r of runs)
    for (const k of ['analyzer', 'analyzerWarm', 'analyzeFile'] as const)
      log(
        `${String(round(r.bytes / 1e6)).padStart(10)}${String(r.records).padStart(10)}${String(r.anomalies).padStart(11)}${String(r.metrics).padStart(10)}  ${k.padEnd(13)}${String(r[k].cpuS).padStart(7)}${String(r[k].mbPerCpuS).padStart(11)}${String(r[k].mbPerWallS).padStart(11)}${String(('peakRssMb' in r[k] ? r[k].peakRssMb : undefined) ?? '-').padStart(13)}${`${r[k].mainThreadCpuS ?? '-'}/${r[k].otherThreadsCpuS ?? '-'}`.padStart(18)}`,
      );
  log(
    `target ≥ ${TARGET_MB_PER_S} MB/s per core (the analyzer alone, largest size): ${result.targetMet ? 'met' : 'MISSED'} in a fresh process, ${result.warmTargetMet ? 'met' : 'missed'} on a warm process's second pass`,
  );
  log(
    `memory ${memory.flat === undefined ? '?' : memory.flat ? 'flat' : 'NOT flat'} from ${round(small!.bytes / 1e6)} to ${round(large!.bytes / 1e6)} MB: heap held by the analyzer ${heap[0] ?? '?'} → ${heap[1] ?? '?'} MB (flat within ${FLAT_HEAP_MB} MB); peak RSS +${memory.analyzerRssGrowthMb ?? '?'} MB (analyzer), +${memory.analyzeFileRssGrowthMb ?? '?'} MB (analyzeFile)`,
  );
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

await main();
