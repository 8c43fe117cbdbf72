/**
 * `npm run bench:memory` — memory of a full analysis bounded by configuration, not by the capture
 * (issue 12): a generated O-RAN capture with 4,096 flows (1,024 eAxC × C/U-plane × DL/UL, 11 PRBs,
 * BFP 9-bit, C-plane per slot, PTP) of `L1T_BENCH_BYTES` (default 4 GB), analysed as a user runs it
 * (`l1t analyze FILE --profile P`), once without the stores and once into the embedded stores (chDB +
 * PGlite in a temporary data folder, findings and metrics streamed in batches), and `analyzeFile()` alone
 * in a process of its own (what the analysis holds without the CLI around it). Each run is a child
 * process under /usr/bin/time -v: its peak RSS and CPU time are its own. A table goes to stderr, ONE JSON
 * document to stdout with the target (peak RSS < 250 MB) met or not.
 *
 * Environment (all optional):
 *   L1T_BENCH_BYTES     size of the generated capture (default 4e9)
 *   L1T_BENCH_DIR       cache folder of the generated capture (default <repo>/.l1t/bench)
 *   L1T_BENCH_STORE=0   skip the run into the embedded stores
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthFronthaul, type FronthaulConfigInput } from '../packages/capture/src/synth/index.js';
import { runMeasured, writeCapture, type ProcessRun } from './bench-support.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const BYTES = Number(env['L1T_BENCH_BYTES'] ?? 4e9);
const DIR = env['L1T_BENCH_DIR'] ?? join(ROOT, '.l1t', 'bench');
const WITH_STORE = env['L1T_BENCH_STORE'] !== '0';
const CLI = join(ROOT, 'apps/cli/bin/l1t.js');
const PIPELINE = join(ROOT, 'packages/pipeline/dist/index.js');
/** The in-process run: the compiled pipeline's analyzeFile(), findings and metrics to a counting sink. */
const IN_PROCESS = `
import { readFileSync } from 'node:fs';
const { analyzeFile, fileInput } = await import(process.argv[1]);
const profile = JSON.parse(readFileSync(process.argv[3], 'utf8'));
let anomalies = 0;
const r = await analyzeFile(fileInput(process.argv[2]), { profile, sink: {
  begin: async () => {}, anomalies: (b) => { anomalies += b.length; }, metrics: () => {}, drain: async () => {}, end: async () => {},
} });
const d = r.summary.details;
process.stdout.write(JSON.stringify({ anomalies, flows: Object.keys(d.flow_counters ?? {}).filter((k) => /^[cu]\\|/.test(k)).length,
  warnings: d.detector_warnings ?? [] }) + '\\n');
`;
const TARGET_RSS_BYTES = 250 * 1024 * 1024;

const EAXC = Array.from({ length: 1024 }, (_, i) => i);
const SYNTH: FronthaulConfigInput = {
  format: 'pcap',
  scsKhz: 30,
  nrb: 11,
  eaxc: { dl: EAXC, ul: EAXC },
  comp: { method: 'bfp', iqWidth: 9 },
  ptp: true,
};
const PROFILE = {
  name: 'bench-memory',
  scs_khz: 30,
  nrb: 11,
  eaxc_bits: { du_port: 4, band_sector: 4, cc: 4, ru_port: 4 },
  uplane: { comp_method: 'bfp', iq_width: 9, comp_hdr: 'static' },
};
/** Capture bytes per second of air time of this configuration (measured: 177 MB in 10 ms). */
const BYTES_PER_S = 1.77e10;

const log = (s: string): void => {
  process.stderr.write(s + '\n');
};

/** Writes the capture (cut at a chunk = record boundary) or reuses it. */
function generate(): { path: string; bytes: number; seconds: number; cached: boolean } {
  mkdirSync(DIR, { recursive: true });
  const path = join(DIR, `fronthaul-4096flows-11prb-bfp9-${BYTES}.pcap`);
  if (existsSync(path) && statSync(path).size >= BYTES * 0.98)
    return { path, bytes: statSync(path).size, seconds: 0, cached: true };
  const t0 = performance.now();
  const synth = synthFronthaul({ ...SYNTH, durationS: (BYTES / BYTES_PER_S) * 1.2 + 0.002 }, [], 1);
  const bytes = writeCapture(path, synth, BYTES);
  return { path, bytes, seconds: (performance.now() - t0) / 1000, cached: false };
}

interface Analysis {
  mode: 'analyzeFile' | 'no-store' | 'embedded-stores';
  wallS: number;
  cpuS: number | undefined;
  peakRssMb: number | undefined;
  mbPerCpuS: number | undefined;
  flows: number;
  anomalies: number;
  warnings: string[];
  targetMet: boolean;
}

/** analyzeFile() in a child process of its own (no CLI around it): what the analysis itself holds. */
async function analyseInProcess(path: string, bytes: number, profilePath: string): Promise<Analysis> {
  const run = await runMeasured(
    process.execPath,
    ['--input-type=module', '-e', IN_PROCESS, PIPELINE, path, profilePath],
    true,
  );
  const out = JSON.parse(run.stdout) as { anomalies: number; flows: number; warnings: string[] };
  const rss = run.maxRssBytes;
  return {
    mode: 'analyzeFile',
    wallS: round(run.wallS),
    cpuS: run.cpuS === undefined ? undefined : round(run.cpuS),
    peakRssMb: rss === undefined ? undefined : round(rss / 2 ** 20),
    mbPerCpuS: run.cpuS ? round(bytes / 1e6 / run.cpuS) : undefined,
    flows: out.flows,
    anomalies: out.anomalies,
    warnings: out.warnings,
    targetMet: rss !== undefined && rss < TARGET_RSS_BYTES,
  };
}

async function analyse(path: string, bytes: number, store: boolean, profilePath: string): Promise<Analysis> {
  const dataDir = mkdtempSync(join(tmpdir(), 'l1t-bench-memory-'));
  try {
    const args = [CLI, 'analyze', path, '--profile', profilePath, '--format', 'json', ...(store ? [] : ['--no-store'])];
    const run: ProcessRun = await runMeasured(process.execPath, args, true, { ...env, L1T_DATA_DIR: dataDir });
    const out = JSON.parse(run.stdout) as {
      files?: { anomaly_count?: number; summary?: Record<string, unknown> }[];
    };
    const file = out.files?.[0];
    const summary = file?.summary ?? {};
    const counters = (summary['flow_counters'] as Record<string, unknown> | undefined) ?? {};
    const flows = Object.keys(counters).filter((k) => /^[cu]\|/.test(k)).length;
    const warnings = [...((summary['detector_warnings'] as string[] | undefined) ?? [])];
    const rss = run.maxRssBytes;
    return {
      mode: store ? 'embedded-stores' : 'no-store',
      wallS: round(run.wallS),
      cpuS: run.cpuS === undefined ? undefined : round(run.cpuS),
      peakRssMb: rss === undefined ? undefined : round(rss / 2 ** 20),
      mbPerCpuS: run.cpuS ? round(bytes / 1e6 / run.cpuS) : undefined,
      flows,
      anomalies: file?.anomaly_count ?? 0,
      warnings,
      targetMet: rss !== undefined && rss < TARGET_RSS_BYTES,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function round(v: number): number {
  return Math.round(v * 100) / 100;
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run "npm run build" first`);
  log(`bench:memory: generating ${(BYTES / 1e9).toFixed(2)} GB with 4,096 flows (cached in ${DIR}) …`);
  const gen = generate();
  log(
    `  ${gen.path}: ${(gen.bytes / 1e9).toFixed(2)} GB${gen.cached ? ' (cached)' : ` in ${gen.seconds.toFixed(1)} s`}`,
  );
  const profilePath = join(DIR, 'bench-memory-profile.json');
  writeFileSync(profilePath, JSON.stringify(PROFILE));
  const load = loadavg()[0]!;
  const runs: Analysis[] = [
    await analyseInProcess(gen.path, gen.bytes, profilePath),
    await analyse(gen.path, gen.bytes, false, profilePath),
  ];
  if (WITH_STORE) runs.push(await analyse(gen.path, gen.bytes, true, profilePath));
  log('');
  log('mode              wall s   CPU s   MB/CPU-s  peak RSS MB  flows  anomalies  < 250 MB');
  for (const r of runs)
    log(
      `${r.mode.padEnd(16)} ${String(r.wallS).padStart(7)} ${String(r.cpuS ?? '-').padStart(7)} ${String(r.mbPerCpuS ?? '-').padStart(9)} ${String(r.peakRssMb ?? '-').padStart(12)} ${String(r.flows).padStart(6)} ${String(r.anomalies).padStart(10)}  ${r.targetMet ? 'yes' : 'NO'}`,
    );
  for (const r of runs) for (const w of r.warnings) log(`  ${r.mode}: ${w}`);
  process.stdout.write(
    JSON.stringify(
      { bench: 'memory', bytes: gen.bytes, flowsGenerated: 4096, loadAvg1m: round(load), targetPeakRssMb: 250, runs },
      null,
      2,
    ) + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:memory: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
