/**
 * `npm run bench:diag` — DIAG decode + UE detection (analyzeFile(): the readers, every decoder, the UE
 * detectors and KPI windows, findings and metrics streamed to a counting sink as the server's store sink
 * takes them) on the 19 real logs of ../shared/samples (mobileinsight-core, MECProj1) concatenated and
 * repeated to two sizes. A table goes to stderr, ONE JSON document to stdout.
 *
 * Each size runs in a node process of its own under /usr/bin/time -v: its peak RSS is that run alone, so two
 * sizes show whether memory stays flat in file size. Rates are per CPU-second of the analyzeFile() call
 * (user + system: "per core"; the machine may be shared) beside the wall clock and the process total.
 *
 * Environment (all optional):
 *   L1T_BENCH_DIAG_BYTES  size of the large input (default 1e8); the small one is a quarter of it
 *   L1T_BENCH_DIR         cache folder of the generated inputs (default <repo>/.l1t/bench)
 */
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, writeSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runMeasured } from './bench-support.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const LARGE = Number(env['L1T_BENCH_DIAG_BYTES'] ?? 1e8);
const SIZES = [Math.round(LARGE / 4), LARGE];
const DIR = env['L1T_BENCH_DIR'] ?? join(ROOT, '.l1t', 'bench');
const SAMPLES = resolve(ROOT, '..', 'shared', 'samples');
const PIPELINE = join(ROOT, 'packages/pipeline/dist/index.js');
/** issue 13: DIAG decode + UE detection ≥ 200 MB/s per core. */
const TARGET_MB_PER_S = 200;

/** analyzeFile() on one file in this process; prints one JSON line (the call's own CPU and wall time). */
const CHILD = `
const { analyzeFile, fileInput } = await import(process.argv[1]);
let anomalies = 0, metrics = 0;
const sink = { begin: async () => {}, anomalies: (b) => { anomalies += b.length; },
  metrics: (b) => { metrics += b.length; }, drain: async () => {}, end: async () => {} };
const c0 = process.cpuUsage(); const t0 = performance.now();
const r = await analyzeFile(fileInput(process.argv[2]), { sink });
const c = process.cpuUsage(c0);
const d = r.summary.details;
process.stdout.write(JSON.stringify({ wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6,
  status: r.status, records: r.summary.records, decoded: d.decoded_records, notDecoded: d.not_decoded_records,
  badFrames: d.bad_frames, anomalies, metrics, byType: r.counts.byType }) + '\\n');
`;

const log = (s: string): void => {
  process.stderr.write(s + '\n');
};
const round = (v: number, d = 1): number => Math.round(v * 10 ** d) / 10 ** d;

/** The real logs, each cut after its last frame flag (one of them ends inside a frame). */
function realLogs(): { name: string; bytes: Uint8Array }[] {
  const out: { name: string; bytes: Uint8Array }[] = [];
  for (const dir of ['mobileinsight-core', 'MECProj1']) {
    for (const f of readdirSync(join(SAMPLES, dir)).sort()) {
      if (!f.endsWith('.mi2log')) continue;
      const b = new Uint8Array(readFileSync(join(SAMPLES, dir, f)));
      out.push({ name: `${dir}/${f}`, bytes: b.subarray(0, b.lastIndexOf(0x7e) + 1) });
    }
  }
  return out;
}

/** The logs concatenated and repeated until `bytes` (an HDLC stream: a .qmdl), cached by size. */
function generate(logs: { bytes: Uint8Array }[], bytes: number): { path: string; bytes: number } {
  const path = join(DIR, `diag-${bytes}.qmdl`);
  if (existsSync(path) && statSync(path).size >= bytes) return { path, bytes: statSync(path).size };
  mkdirSync(DIR, { recursive: true });
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    while (written < bytes) for (const l of logs) written += writeSync(fd, l.bytes);
  } finally {
    closeSync(fd);
  }
  return { path, bytes: written };
}

interface ChildOut {
  wallS: number;
  cpuS: number;
  status: string;
  records: number;
  decoded: number;
  notDecoded: number;
  badFrames: number;
  anomalies: number;
  metrics: number;
  byType: Record<string, number>;
}

async function main(): Promise<void> {
  if (!existsSync(SAMPLES)) throw new Error(`the real logs are not at ${SAMPLES}`);
  if (!existsSync(PIPELINE)) throw new Error(`${PIPELINE} is missing: run tsc -b first`);
  const logs = realLogs();
  const sampleBytes = logs.reduce((n, l) => n + l.bytes.length, 0);
  const load0 = loadavg()[0]!;
  const runs = [];
  for (const size of SIZES) {
    const g = generate(logs, size);
    const run = await runMeasured(process.execPath, ['--input-type=module', '-e', CHILD, PIPELINE, g.path], true);
    const c = JSON.parse(run.stdout.trim().split('\n').pop()!) as ChildOut;
    const mb = g.bytes / 1e6;
    runs.push({
      bytes: g.bytes,
      records: c.records,
      decodedRecords: c.decoded,
      notDecodedRecords: c.notDecoded,
      badFrames: c.badFrames,
      anomalies: c.anomalies,
      anomaliesByType: c.byType,
      metrics: c.metrics,
      analyzeCpuS: round(c.cpuS, 3),
      analyzeWallS: round(c.wallS, 3),
      processCpuS: run.cpuS === undefined ? undefined : round(run.cpuS, 3),
      mbPerCpuS: round(mb / c.cpuS),
      mbPerWallS: round(mb / c.wallS),
      recordsPerCpuS: Math.round(c.records / c.cpuS),
      peakRssMb: run.maxRssBytes === undefined ? undefined : round(run.maxRssBytes / 2 ** 20),
    });
  }
  const [small, large] = runs;
  const result = {
    bench: 'diag',
    what: 'analyzeFile(): DIAG HDLC reader, every (log code, version) decoder, UE detectors, KPI windows; findings and metrics to a counting sink',
    input: { logs: logs.length, sampleBytes, sizes: runs.map((r) => r.bytes), dir: DIR },
    runs,
    targetMbPerCoreS: TARGET_MB_PER_S,
    targetMet: large!.mbPerCpuS >= TARGET_MB_PER_S,
    rssGrowthMb:
      small!.peakRssMb !== undefined && large!.peakRssMb !== undefined
        ? round(large!.peakRssMb - small!.peakRssMb)
        : undefined,
    loadavg1m: { before: round(load0, 2), after: round(loadavg()[0]!, 2) },
  };
  log(
    `bench:diag — ${logs.length} real DIAG logs (${round(sampleBytes / 1e6)} MB) repeated; load ${result.loadavg1m.before}`,
  );
  log('   size MB   records   anomalies  metrics   CPU s   MB/s/core   wall MB/s   peak RSS MB');
  for (const r of runs)
    log(
      `${String(round(r.bytes / 1e6)).padStart(10)}${String(r.records).padStart(10)}${String(r.anomalies).padStart(12)}${String(r.metrics).padStart(9)}${String(r.analyzeCpuS).padStart(8)}${String(r.mbPerCpuS).padStart(12)}${String(r.mbPerWallS).padStart(12)}${String(r.peakRssMb ?? '?').padStart(14)}`,
    );
  log(
    `target ≥ ${TARGET_MB_PER_S} MB/s per core: ${result.targetMet ? 'met' : 'MISSED'}; peak RSS growth ${result.rssGrowthMb ?? '?'} MB from ${round(small!.bytes / 1e6)} to ${round(large!.bytes / 1e6)} MB`,
  );
  process.stdout.write(JSON.stringify(result, null, 2) + '\n');
}

await main();
