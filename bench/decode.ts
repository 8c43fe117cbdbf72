/**
 * `npm run bench:decode` — our fronthaul decode (per-PRB BFP exponent statistics) against
 * `tshark -T fields` on the same generated O-RAN capture, in one run. A readable table goes to
 * stderr, ONE JSON document to stdout.
 *
 * Environment (all optional):
 *   L1T_BENCH_BYTES         size of the generated capture (default 1e9)
 *   L1T_BENCH_TSHARK_BYTES  tshark runs on this prefix of it (default 1e8; tshark is slow)
 *   L1T_BENCH_WORKERS       worker threads of the parallel run (default: the number of cores)
 *   L1T_BENCH_DIR           cache folder of the generated files (default <repo>/.l1t/bench)
 *   L1T_BENCH_IQ=1          also time one thread decoding every IQ sample (per-section power, zero and
 *                           clipping totals: computeIq without the per-PRB arrays, prbIq false, the SIMD
 *                           kernel) — what the IQ-health detectors need
 *
 * The capture (100 MHz: 273 PRB at 30 kHz, 4 DL + 2 UL eAxC, BFP 9-bit, C-plane per slot, PTP) is
 * generated once by synthFronthaul and cached. Every measurement runs in a child process wrapped in
 * /usr/bin/time -v when present, so its peak RSS is that process alone (worker threads included:
 * they share it) and the CPU time is its own. On a shared, loaded machine wall-clock rates fall with
 * the load; the CPU-time rates (bytes per CPU-second, "per core") do not, so both are reported.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { synthFronthaul, type FronthaulConfigInput } from '../packages/capture/src/synth/index.js';
import { runMeasured, tsharkArgs } from './bench-support.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = process.env;
const BYTES = Number(env['L1T_BENCH_BYTES'] ?? 1e9);
const TSHARK_BYTES = Math.min(Number(env['L1T_BENCH_TSHARK_BYTES'] ?? 1e8), BYTES);
const WORKERS = Number(env['L1T_BENCH_WORKERS'] ?? availableParallelism());
const DIR = env['L1T_BENCH_DIR'] ?? join(ROOT, '.l1t', 'bench');
const WITH_IQ = env['L1T_BENCH_IQ'] === '1';
const STATS_MAIN = join(ROOT, 'packages/pipeline/dist/parallel/decode-stats-main.js');

/** 100 MHz NR carrier at 30 kHz, 4 DL + 2 UL eAxC, BFP 9-bit, C-plane every slot, PTP (issue 3). */
const SYNTH: FronthaulConfigInput = {
  format: 'pcap',
  scsKhz: 30,
  nrb: 273,
  eaxc: { dl: [0, 1, 2, 3], ul: [0, 1] },
  comp: { method: 'bfp', iqWidth: 9 },
  ptp: true,
};
/** The profile our decoder gets (what an engineer passes with --profile for this capture). */
const DECODE = { compMethod: 'bfp', iqWidth: 9, compHdr: 'static', nrb: 273, computeIq: false } as const;
/** Capture bytes per second of air time of this configuration (measured), to size the duration. */
const BYTES_PER_S = 6.4e8;

const log = (s: string): void => {
  process.stderr.write(s + '\n');
};

interface Generated {
  path: string;
  prefixPath: string;
  bytes: number;
  prefixBytes: number;
  packets: number;
  prefixPackets: number;
  seconds: number;
  cached: boolean;
}

/** Writes the capture and its tshark prefix (both cut at a chunk = record boundary), or reuses them. */
function generate(): Generated {
  mkdirSync(DIR, { recursive: true });
  const tag = `fronthaul-273prb-4dl2ul-bfp9-v2-${BYTES}`;
  const path = join(DIR, `${tag}.pcap`);
  const prefixPath = join(DIR, `${tag}.prefix-${TSHARK_BYTES}.pcap`);
  const metaPath = join(DIR, `${tag}.prefix-${TSHARK_BYTES}.json`);
  if (existsSync(metaPath) && existsSync(path) && existsSync(prefixPath)) {
    const meta = JSON.parse(readFileSync(metaPath, 'utf8')) as Generated;
    if (statSync(path).size === meta.bytes && statSync(prefixPath).size === meta.prefixBytes)
      return { ...meta, cached: true };
  }
  const t0 = performance.now();
  const synth = synthFronthaul({ ...SYNTH, durationS: (BYTES / BYTES_PER_S) * 1.2 + 0.01 }, [], 1);
  const fd = openSync(path, 'w');
  const pfd = openSync(prefixPath, 'w');
  let bytes = 0;
  let prefixBytes = 0;
  let prefixPackets = 0;
  let packets = 0;
  try {
    for (let c = synth.next(); c !== undefined && bytes < BYTES; c = synth.next()) {
      writeSync(fd, c);
      bytes += c.length;
      packets = synth.stats.packets;
      if (prefixBytes < TSHARK_BYTES) {
        writeSync(pfd, c);
        prefixBytes += c.length;
        prefixPackets = synth.stats.packets;
      }
    }
  } finally {
    closeSync(fd);
    closeSync(pfd);
  }
  const meta: Generated = {
    path,
    prefixPath,
    bytes,
    prefixBytes,
    packets,
    prefixPackets,
    seconds: (performance.now() - t0) / 1000,
    cached: false,
  };
  writeFileSync(metaPath, JSON.stringify(meta));
  return meta;
}

interface OurRun {
  workers: number;
  threads: number;
  bytes: number;
  packets: number;
  /** Decode only (in the child: plan, workers' start, decode, merge), wall and CPU of all threads. */
  wallS: number;
  cpuS: number;
  mbPerS: number;
  mbPerCpuS: number;
  packetsPerS: number;
  /** cpuS / wallS: how many cores the run actually got (a loaded machine gives less than `threads`). */
  coresObtained: number;
  /** The whole child process, node start-up included (/usr/bin/time -v). */
  processWallS: number;
  processCpuS: number | null;
  /** Peak RSS of the child process, worker threads included (max of /usr/bin/time and VmHWM). */
  peakRssMB: number;
  ranges: number;
  rerunRanges: number;
  uplanePackets: number;
  prbs: number;
  flows: {
    eaxc: number;
    direction: string;
    plane: string;
    packets: number;
    prbs: number;
    meanExponent: number | null;
    seqDiscontinuities: number;
  }[];
  /** Packets, counts and every flow's histogram, frame numbers and seqId digest, as one string: equal runs agree exactly. */
  fingerprint: string;
}

async function ours(path: string, workers: number, decode: object = DECODE): Promise<OurRun> {
  const run = await runMeasured(
    process.execPath,
    [STATS_MAIN, path, '--workers', String(workers), '--decode', JSON.stringify(decode)],
    true,
  );
  const out = JSON.parse(run.stdout) as {
    wallMs: number;
    cpuUserMs: number;
    cpuSystemMs: number;
    peakRssBytes: number;
    stats: import('../packages/pipeline/src/parallel/index.js').CaptureDecodeStats;
  };
  const s = out.stats;
  if (s.error && !s.error.truncated) throw new Error(`decode failed: ${s.error.message}`);
  const wallS = out.wallMs / 1000;
  const cpuS = (out.cpuUserMs + out.cpuSystemMs) / 1000;
  const peak = Math.max(run.maxRssBytes ?? 0, out.peakRssBytes);
  const prbs = s.flows.reduce((n, f) => n + f.prbs, 0);
  return {
    workers,
    threads: s.threads,
    bytes: s.size,
    packets: s.counts.packets,
    wallS,
    cpuS,
    mbPerS: s.size / 1e6 / wallS,
    mbPerCpuS: s.size / 1e6 / cpuS,
    packetsPerS: s.counts.packets / wallS,
    coresObtained: cpuS / wallS,
    processWallS: run.wallS,
    processCpuS: run.cpuS ?? null,
    peakRssMB: peak / 1e6,
    ranges: s.ranges,
    rerunRanges: s.rerunRanges,
    uplanePackets: s.counts.uplane,
    prbs,
    fingerprint: JSON.stringify([s.counts, s.flows]),
    flows: s.flows.map((f) => {
      const n = f.exponentHistogram.reduce((a, b) => a + b, 0);
      const mean = n > 0 ? f.exponentHistogram.reduce((a, c, e) => a + c * e, 0) / n : null;
      return {
        eaxc: f.eaxc,
        direction: f.direction,
        plane: f.plane,
        packets: f.packets,
        prbs: f.prbs,
        meanExponent: mean === null ? null : Math.round(mean * 1000) / 1000,
        seqDiscontinuities: f.seqDiscontinuities,
      };
    }),
  };
}

/**
 * tshark on the prefix, and on its first packet only (`-c 1`) to measure tshark's fixed start-up
 * (loading every dissector): rates are reported raw and net of that start-up (the net rate is what
 * tshark would sustain on a large file, so the speed-up against it is the conservative one).
 */
async function tshark(path: string, bytes: number, packets: number) {
  const args = tsharkArgs(path);
  const prefixPath = path;
  const startup = await runMeasured('tshark', ['-c', '1', ...args], false);
  const run = await runMeasured('tshark', args, false);
  const cpuS = run.cpuS ?? NaN;
  const netWallS = Math.max(run.wallS - startup.wallS, 1e-3);
  const netCpuS = Math.max(cpuS - (startup.cpuS ?? 0), 1e-3);
  return {
    prefixPath,
    prefixBytes: bytes,
    packets,
    wallS: run.wallS,
    cpuS,
    mbPerS: bytes / 1e6 / run.wallS,
    mbPerCpuS: bytes / 1e6 / cpuS,
    packetsPerS: packets / run.wallS,
    startupWallS: startup.wallS,
    startupCpuS: startup.cpuS ?? null,
    netMbPerS: bytes / 1e6 / netWallS,
    netMbPerCpuS: bytes / 1e6 / netCpuS,
    netPacketsPerS: packets / netWallS,
    peakRssMB: (run.maxRssBytes ?? NaN) / 1e6,
    command: `tshark ${args.map((a) => (a.includes(' ') ? `'${a}'` : a)).join(' ')} > /dev/null`,
  };
}

function tsharkVersion(): string {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? (r.stdout.split('\n')[0] ?? '').trim() : 'unavailable';
}

async function main(): Promise<void> {
  if (!existsSync(STATS_MAIN)) throw new Error(`${STATS_MAIN} is missing: run "npx tsc -b packages/pipeline" first`);
  log(
    `bench:decode  capture ${BYTES / 1e6} MB, tshark prefix ${TSHARK_BYTES / 1e6} MB, ${WORKERS} workers, cache ${DIR}`,
  );
  const gen = generate();
  log(
    `capture: ${gen.path} (${(gen.bytes / 1e6).toFixed(0)} MB, ${gen.packets} packets, ${gen.cached ? 'cached' : `generated in ${gen.seconds.toFixed(1)} s`})`,
  );
  const load0 = loadavg();
  // Warm the page cache the same way for everyone: one untimed pass.
  await ours(gen.path, 1);
  const single = await ours(gen.path, 1);
  const parallel = await ours(gen.path, WORKERS);
  const prefixSingle = await ours(gen.prefixPath, 1);
  const iqSingle = WITH_IQ ? await ours(gen.path, 1, { ...DECODE, computeIq: true, prbIq: false }) : undefined;
  const ts = await tshark(gen.prefixPath, gen.prefixBytes, gen.prefixPackets);
  const load1 = loadavg();

  const best = parallel.mbPerS >= single.mbPerS ? parallel : single;
  const parallelMatchesSingle = parallel.fingerprint === single.fingerprint;
  if (!parallelMatchesSingle) log('ERROR: the parallel decode differs from the single-threaded one');
  const strip = ({ fingerprint: _f, flows: _flows, ...r }: OurRun): Omit<OurRun, 'fingerprint' | 'flows'> => r;
  const result = {
    bench: 'decode',
    date: new Date().toISOString(),
    host: {
      cores: availableParallelism(),
      cpu: cpus()[0]?.model ?? 'unknown',
      loadavg1mBeforeAfter: [load0[0], load1[0]],
      node: process.version,
      tshark: tsharkVersion(),
      note: 'wall-clock rates depend on the machine load; *PerCpuS rates are bytes per CPU-second (per core)',
    },
    capture: {
      path: gen.path,
      bytes: gen.bytes,
      packets: gen.packets,
      format: 'pcap (ns)',
      config: { ...SYNTH, scs_khz: 30, comp: 'bfp 9-bit', cplane: 'every slot, section type 1', ptp: 'G.8275.1' },
      cached: gen.cached,
      generateSeconds: gen.seconds,
    },
    decodeOptions: DECODE,
    ours: {
      single: strip(single),
      parallel: strip(parallel),
      singleOnTsharkPrefix: strip(prefixSingle),
      ...(iqSingle ? { singleWithIq: strip(iqSingle) } : {}),
      parallelMatchesSingle,
    },
    /** Per-flow statistics of the whole capture (identical in the single and parallel runs). */
    flows: single.flows,
    tshark: ts,
    speedup: {
      /** Per core: our single-thread bytes per CPU-second over tshark's (net of its start-up). */
      perCpuSecond: single.mbPerCpuS / ts.netMbPerCpuS,
      /** Wall clock: our best run on the whole capture over tshark on the prefix (net of start-up). */
      wall: best.mbPerS / ts.netMbPerS,
      /** Wall clock, raw: same prefix, one thread, start-ups included on both sides. */
      samePrefixRawWall: prefixSingle.bytes / 1e6 / prefixSingle.processWallS / ts.mbPerS,
    },
    targets: {
      gbPerSPerCore: { target: 1, value: single.mbPerCpuS / 1000, wallSingleThread: single.mbPerS / 1000 },
      vsTshark: { target: 50, value: single.mbPerCpuS / ts.netMbPerCpuS, wall: best.mbPerS / ts.netMbPerS },
      peakRssMB: { target: 300, value: Math.max(single.peakRssMB, parallel.peakRssMB) },
    },
  };
  const met = {
    gbPerSPerCore: result.targets.gbPerSPerCore.value >= 1,
    vsTshark: result.targets.vsTshark.value >= 50,
    peakRssMB: result.targets.peakRssMB.value <= 300,
  };
  const row = (
    name: string,
    r: { mbPerS: number; mbPerCpuS: number; packetsPerS: number; peakRssMB: number; wallS: number; cpuS: number },
    bytes: number,
  ): string =>
    `${name.padEnd(34)} ${(bytes / 1e6).toFixed(0).padStart(7)} ${r.wallS.toFixed(2).padStart(7)} ${r.cpuS.toFixed(2).padStart(7)} ${r.mbPerS.toFixed(0).padStart(8)} ${r.mbPerCpuS.toFixed(0).padStart(9)} ${Math.round(r.packetsPerS).toString().padStart(10)} ${r.peakRssMB.toFixed(0).padStart(8)}`;
  log('');
  log(
    `${'run'.padEnd(34)} ${'MB'.padStart(7)} ${'wall s'.padStart(7)} ${'cpu s'.padStart(7)} ${'MB/s'.padStart(8)} ${'MB/cpu-s'.padStart(9)} ${'pkt/s'.padStart(10)} ${'RSS MB'.padStart(8)}`,
  );
  log(row('ours, 1 thread', single, single.bytes));
  log(row(`ours, ${parallel.threads} worker threads`, parallel, parallel.bytes));
  log(row('ours, 1 thread, tshark prefix', prefixSingle, prefixSingle.bytes));
  if (iqSingle) log(row('ours, 1 thread, + every IQ sample', iqSingle, iqSingle.bytes));
  log(row('tshark -T fields', ts, ts.prefixBytes));
  log(
    row(
      'tshark, net of start-up',
      {
        ...ts,
        mbPerS: ts.netMbPerS,
        mbPerCpuS: ts.netMbPerCpuS,
        packetsPerS: ts.netPacketsPerS,
        wallS: ts.wallS - ts.startupWallS,
        cpuS: ts.cpuS - (ts.startupCpuS ?? 0),
      },
      ts.prefixBytes,
    ),
  );
  log('');
  log(
    `per core: ${result.targets.gbPerSPerCore.value.toFixed(2)} GB/cpu-s (target ≥ 1) ${met.gbPerSPerCore ? 'OK' : 'MISSED'}`,
  );
  log(
    `vs tshark: ×${result.targets.vsTshark.value.toFixed(0)} per cpu-s, ×${result.speedup.wall.toFixed(0)} wall (target ≥ 50) ${met.vsTshark ? 'OK' : 'MISSED'}`,
  );
  log(`parallel = single (packets, per-flow exponent histograms, seqId order): ${parallelMatchesSingle}`);
  log(`peak RSS: ${result.targets.peakRssMB.value.toFixed(0)} MB (target ≤ 300) ${met.peakRssMB ? 'OK' : 'MISSED'}`);
  process.stdout.write(JSON.stringify({ ...result, targetsMet: met }, null, 2) + '\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:decode: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
