/**
 * `npm run bench:detect` — proves the detection on labelled synthetic captures (issue 4, "Prove it"):
 *
 * 1. per fault type that `l1t synth` can inject (FRONTHAUL_FAULT_TYPES): recall and precision over many
 *    seeds, the full analysis (`analyzeFile`: decode + every registered detector, no store) of each
 *    capture; scoring rules in detect-match.ts;
 * 2. clean captures: every anomaly counted by type (the goal is none), `window_stat_outlier` apart
 *    (≤ 1 per 10 s of traffic), and the outlier windows of a few burst faults;
 * 3. throughput of the full analysis of a large synthetic capture (bench:decode's configuration: 273 PRBs,
 *    4 DL + 2 UL eAxC, BFP 9-bit, PTP) in MB per CPU-second on one core, and peak RSS, for two file sizes
 *    (L1T_BENCH_BYTES / 4 and L1T_BENCH_BYTES), each in its own process; with L1T_BENCH_BYTES=1000000000
 *    the large run reads bench:decode's cached 1 GB capture when it exists.
 *
 * Prints a table on stderr and one JSON document on stdout. Nothing is hard-coded: types without a
 * registered detector simply score 0.
 *
 * 5. the UE side: recall and precision per UE fault type of `l1t synth ue` and findings on clean UE logs
 *    (detect-ue.ts; L1T_BENCH_UE_SEEDS, 0 skips it).
 *
 * 6. linuxptp logs: recall and precision per fault type of `l1t synth ptp-log` (ptp4l/phc2sys logs: servo
 *    offsets, lock, port faults, path delay, best master, announce timeout) and findings on clean logs
 *    (detect-linuxptp.ts; L1T_BENCH_PTP_LOG_SEEDS, 0 skips it).
 *
 * 4. every traffic shape of `l1t synth --shape` (concatenated eCPRI messages, two O-RUs on MAC/VLAN, μ 0–3,
 *    uncompressed 16-bit with udCompHdr, eCPRI over UDP, pcapng interfaces): recall and precision per type
 *    and findings on clean traffic of each shape (detect-shapes.ts), as a types × shapes table.
 *
 * Environment: L1T_BENCH_SEEDS (20), L1T_BENCH_CLEAN_SEEDS (3), L1T_BENCH_CLEAN_S (5),
 * L1T_BENCH_BURST_SEEDS (3), L1T_BENCH_BYTES (200 MB; 0 skips the throughput part),
 * L1T_BENCH_TYPES (comma list, default all), L1T_BENCH_SYNTH (JSON overrides of the light synth config),
 * L1T_BENCH_SHAPES (comma list of shapes besides the default run, default all; 'none' skips them),
 * L1T_BENCH_SHAPE_SEEDS (2 per type and shape), L1T_BENCH_SHAPE_CLEAN_SEEDS (1), L1T_BENCH_SHAPE_CLEAN_S (2).
 */
import { spawnSync } from 'node:child_process';
import { createWriteStream, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { finished } from 'node:stream/promises';
import { DETECTORS } from '@l1t/detect';
import { analyzeFile, fileInput } from '@l1t/pipeline';
import {
  FRONTHAUL_FAULT_TYPES,
  describeShape,
  synthFronthaul,
  type FronthaulConfigInput,
} from '../packages/capture/src/synth/index.js';
import {
  analyse,
  CONFIG_FOR,
  DEFAULT_DURATION_S,
  DURATION_S,
  faultAt,
  LIGHT,
  profileFor,
  variantFor,
} from './detect-run.js';
import { benchShapes, runShape, shapeTable, typeResult, type ShapeResult } from './detect-shapes.js';
import { ueBench } from './detect-ue.js';
import { linuxptpBench } from './detect-linuxptp.js';
import {
  countOutliers,
  emptyScore,
  isoToNs,
  OUTLIER_TYPE,
  rates,
  scoreCapture,
  type TypeScore,
} from './detect-match.js';

const env = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};

const fmt = (v: number | null, digits = 3): string => (v === null ? '—' : v.toFixed(digits));

async function accuracy(seeds: number, types: readonly string[]) {
  const scores = new Map<string, TypeScore>();
  const outliersOnFaults = new Map<string, number>();
  const warnings = new Set<string>();
  for (const type of types) {
    for (let seed = 1; seed <= seeds; seed++) {
      const cfg = { ...LIGHT, ...CONFIG_FOR[type], durationS: DURATION_S[type] ?? DEFAULT_DURATION_S };
      const run = await analyse(cfg, faultAt(type, seed, variantFor(type, seed)), 1000 * seed + types.indexOf(type));
      scoreCapture(run.labels, run.anomalies, scores);
      outliersOnFaults.set(type, (outliersOnFaults.get(type) ?? 0) + countOutliers(run.anomalies));
      for (const w of (run.warnings as string[] | undefined) ?? []) warnings.add(w);
    }
    const s = scores.get(type) ?? emptyScore();
    const r = rates(s);
    process.stderr.write(
      `  ${type.padEnd(24)} labels ${String(s.labels).padStart(3)}  found ${String(s.found).padStart(3)}  recall ${fmt(r.recall)}  precision ${fmt(r.precision)}  (TP ${s.truePositives}, FP ${s.falsePositives}, also ${s.explained})\n`,
    );
  }
  return { scores, outliersOnFaults, warnings: [...warnings] };
}

async function clean(seeds: number, seconds: number) {
  const byType: Record<string, number> = {};
  let outliers = 0;
  for (let seed = 1; seed <= seeds; seed++) {
    const run = await analyse({ ...LIGHT, durationS: seconds }, '', 7000 + seed);
    for (const a of run.anomalies) byType[a.type] = (byType[a.type] ?? 0) + 1;
    outliers += countOutliers(run.anomalies);
  }
  const total = seeds * seconds;
  const nonOutlier = Object.entries(byType)
    .filter(([t]) => t !== OUTLIER_TYPE)
    .reduce((n, [, c]) => n + c, 0);
  return {
    captures: seeds,
    seconds_each: seconds,
    traffic_seconds: total,
    anomalies_by_type: byType,
    anomalies_except_window_stat_outlier: nonOutlier,
    window_stat_outlier: {
      count: outliers,
      per_10s: total > 0 ? (outliers * 10) / total : null,
      limit_per_10s: 1,
      ok: outliers * 10 <= total,
    },
  };
}

/** window_stat_outlier on burst faults: is a window of the fault flagged? (3 s captures: 29 windows.) */
async function bursts(seeds: number) {
  const specs = [
    'traffic_gap@1.5',
    'seq_gap@1.5:count=50',
    'rx_window_late@1.5:count=50',
    'cplane_without_uplane@1.5:count=20',
  ];
  const out: { spec: string; captures: number; flagged: number; recall: number }[] = [];
  for (const spec of specs) {
    let flagged = 0;
    for (let seed = 1; seed <= seeds; seed++) {
      const run = await analyse({ ...LIGHT, durationS: 3 }, spec, 500 + seed);
      const t = isoToNs(run.labels[0]!.timestamp);
      const hit = run.anomalies.some((a) => {
        if (a.type !== OUTLIER_TYPE) return false;
        const start = isoToNs(a.timestamp) - 100_000_000n;
        const end = isoToNs(a.end_timestamp ?? a.timestamp) + 100_000_000n;
        return t >= start && t <= end;
      });
      if (hit) flagged++;
    }
    out.push({ spec, captures: seeds, flagged, recall: seeds > 0 ? flagged / seeds : 0 });
    process.stderr.write(`  ${spec.padEnd(40)} flagged ${flagged}/${seeds}\n`);
  }
  return out;
}

/** The throughput capture: bench:decode's configuration (100 MHz at 30 kHz, 4 DL + 2 UL eAxC, BFP 9-bit, PTP). */
const HEAVY: FronthaulConfigInput = {
  format: 'pcap',
  scsKhz: 30,
  nrb: 273,
  eaxc: { dl: [0, 1, 2, 3], ul: [0, 1] },
  comp: { method: 'bfp', iqWidth: 9 },
  ptp: true,
};

async function writeSynth(path: string, bytes: number): Promise<number> {
  const probe = synthFronthaul({ ...HEAVY, durationS: 0.02 }, [], 1);
  let probeBytes = 0;
  for (let c = probe.next(); c; c = probe.next()) probeBytes += c.length;
  const durationS = Math.max(0.02, (bytes / probeBytes) * 0.02);
  const out = createWriteStream(path);
  const s = synthFronthaul({ ...HEAVY, durationS: Number(durationS.toFixed(4)) }, [], 1);
  for (let c = s.next(); c; c = s.next())
    if (!out.write(c)) await new Promise<void>((r) => out.once('drain', () => r()));
  out.end();
  await finished(out);
  return statSync(path).size;
}

/** Child process: analyse one file, print {bytes, seconds, cpu_s, records, anomalies, max_rss_mb}. */
async function throughputChild(path: string): Promise<void> {
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await analyzeFile(fileInput(path), { profile: profileFor(HEAVY) });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  process.stdout.write(
    JSON.stringify({
      bytes: r.size,
      seconds,
      cpu_s: (cpu.user + cpu.system) / 1e6,
      cpu_user_s: cpu.user / 1e6,
      cpu_system_s: cpu.system / 1e6,
      records: r.summary.records,
      anomalies: r.anomalies.length,
      metrics: r.metrics.length,
      status: r.status,
      max_rss_mb: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

/**
 * bench:decode's cached capture of exactly `bytes` (same configuration and seed, `L1T_BENCH_DIR`), so that
 * `L1T_BENCH_BYTES=1000000000` measures the decode benchmark's own 1 GB file without writing another.
 */
function decodeBenchCapture(bytes: number): string | undefined {
  const dir = process.env.L1T_BENCH_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '.l1t', 'bench');
  const path = join(dir, `fronthaul-273prb-4dl2ul-bfp9-v2-${bytes}.pcap`);
  return existsSync(path) ? path : undefined;
}

interface ThroughputRun {
  file_bytes: number;
  source: string;
  bytes: number;
  seconds: number;
  cpu_s: number;
  cpu_user_s: number;
  cpu_system_s: number;
  records: number;
  anomalies: number;
  metrics: number;
  max_rss_mb: number;
  mb_per_s: number;
  mb_per_cpu_s: number;
  load_average_1m: number;
}

async function throughput(bytes: number) {
  const dir = mkdtempSync(join(tmpdir(), 'l1t-bench-detect-'));
  try {
    const runs: ThroughputRun[] = [];
    for (const size of [Math.round(bytes / 4), bytes]) {
      const cached = decodeBenchCapture(size);
      const path = cached ?? join(dir, `synth-${size}.pcap`);
      const written = cached ? statSync(cached).size : await writeSynth(path, size);
      const load = loadavg()[0]!;
      const child = spawnSync(process.execPath, [...process.execArgv, process.argv[1]!, '--child-throughput', path], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      if (child.status !== 0) throw new Error(`throughput child failed (${child.status})`);
      const r = JSON.parse(child.stdout) as Omit<
        ThroughputRun,
        'file_bytes' | 'source' | 'mb_per_s' | 'mb_per_cpu_s' | 'load_average_1m'
      >;
      const mbs = r.bytes / 1e6 / r.seconds;
      const mbCpu = r.bytes / 1e6 / r.cpu_s;
      runs.push({
        file_bytes: written,
        source: cached ? 'bench:decode capture' : 'synth (HEAVY)',
        ...r,
        mb_per_s: mbs,
        mb_per_cpu_s: mbCpu,
        load_average_1m: load,
      });
      process.stderr.write(
        `  ${(written / 1e6).toFixed(0).padStart(6)} MB  ${r.records} packets  ${r.cpu_s.toFixed(2)} CPU-s (${r.seconds.toFixed(2)} s wall, load ${load.toFixed(1)})  ${mbCpu.toFixed(0)} MB per CPU-s, ${mbs.toFixed(0)} MB/s wall  peak RSS ${r.max_rss_mb.toFixed(0)} MB  (${r.anomalies} anomalies)\n`,
      );
      if (!cached) rmSync(path, { force: true });
    }
    const [small, large] = runs as [ThroughputRun, ThroughputRun];
    return {
      config: HEAVY,
      note: 'one thread: analyzeFile (read + sha256 + decode + every detector, no store) in a child process; per core = bytes per CPU-second (user + system) of that process, which a loaded machine does not change the way it changes wall time',
      runs,
      bytes: large.bytes,
      cpu_s: large.cpu_s,
      mb_per_cpu_s: large.mb_per_cpu_s,
      max_rss_mb: large.max_rss_mb,
      mb_per_s_wall: large.mb_per_s,
      mb_per_s_per_core: large.mb_per_cpu_s,
      target_mb_per_s: 500,
      meets_target: large.mb_per_cpu_s >= 500,
      rss_growth_mb: large.max_rss_mb - small.max_rss_mb,
      bytes_ratio: large.bytes / small.bytes,
      // bounded by flows: 4× the bytes must not cost anywhere near 4× the memory
      memory_bounded: large.max_rss_mb < small.max_rss_mb * 1.5,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const childAt = process.argv.indexOf('--child-throughput');
  if (childAt >= 0) return throughputChild(process.argv[childAt + 1]!);

  const seeds = env('L1T_BENCH_SEEDS', 20);
  const types = process.env.L1T_BENCH_TYPES ? process.env.L1T_BENCH_TYPES.split(',') : [...FRONTHAUL_FAULT_TYPES];
  const registered = new Set(DETECTORS.flatMap((d) => d.types));
  const started = Date.now();

  process.stderr.write(
    `bench:detect — ${types.length} fault types × ${seeds} seeds; detectors: ${DETECTORS.map((d) => d.name).join(', ')}\n`,
  );
  const acc = await accuracy(seeds, types);
  process.stderr.write('clean traffic\n');
  const cleanResult = await clean(env('L1T_BENCH_CLEAN_SEEDS', 3), env('L1T_BENCH_CLEAN_S', 5));
  process.stderr.write(
    `  ${cleanResult.traffic_seconds} s: ${cleanResult.anomalies_except_window_stat_outlier} anomalies (window_stat_outlier apart), window_stat_outlier ${cleanResult.window_stat_outlier.count} (${fmt(cleanResult.window_stat_outlier.per_10s, 2)} per 10 s)\n`,
  );
  process.stderr.write('window_stat_outlier on burst faults\n');
  const burstResult = await bursts(env('L1T_BENCH_BURST_SEEDS', 3));

  // every traffic shape (issue 12 point 6); the default shape is the run above
  const shapes: Record<string, ShapeResult> = {
    default: {
      description: describeShape('default'),
      config: LIGHT,
      seeds,
      two_radios: false,
      types: Object.fromEntries(types.map((t) => [t, typeResult(acc.scores.get(t) ?? emptyScore())])),
      other_types_reported: {},
      clean: {
        captures: cleanResult.captures,
        seconds_each: cleanResult.seconds_each,
        anomalies_by_type: cleanResult.anomalies_by_type,
        anomalies_except_window_stat_outlier: cleanResult.anomalies_except_window_stat_outlier,
        window_stat_outlier: {
          count: cleanResult.window_stat_outlier.count,
          per_10s: cleanResult.window_stat_outlier.per_10s,
        },
      },
      summary: {
        types: types.length,
        types_meeting_0_99: 0,
        clean_findings: cleanResult.anomalies_except_window_stat_outlier,
        duration_s: 0,
      },
    },
  };
  shapes.default!.summary.types_meeting_0_99 = Object.values(shapes.default!.types).filter((t) => t.meets_0_99).length;
  const shapeSeeds = env('L1T_BENCH_SHAPE_SEEDS', 2);
  const shapeClean = { seeds: env('L1T_BENCH_SHAPE_CLEAN_SEEDS', 1), seconds: env('L1T_BENCH_SHAPE_CLEAN_S', 2) };
  for (const shape of benchShapes()) {
    process.stderr.write(`shape ${shape}: ${describeShape(shape)}\n`);
    const r = await runShape(shape, types, shapeSeeds, shapeClean, describeShape(shape));
    shapes[shape] = r;
    process.stderr.write(
      `  ${r.summary.types_meeting_0_99}/${r.summary.types} types at recall and precision ≥ 0.99, ${r.summary.clean_findings} findings on ${shapeClean.seeds * shapeClean.seconds} s of clean traffic (${r.summary.duration_s.toFixed(0)} s)\n`,
    );
  }
  process.stderr.write(
    `traffic shapes (${seeds} seeds on default, ${shapeSeeds} per other shape)\n${shapeTable(shapes, types)}`,
  );
  process.stderr.write('UE side (l1t synth ue: DIAG logs, every UE detector)\n');
  const ue = env('L1T_BENCH_UE_SEEDS', 20) > 0 ? await ueBench((l) => process.stderr.write(`${l}\n`)) : null;
  process.stderr.write('linuxptp logs (l1t synth ptp-log: ptp4l/phc2sys, every log detector)\n');
  const linuxptp =
    env('L1T_BENCH_PTP_LOG_SEEDS', 20) > 0 ? await linuxptpBench((l) => process.stderr.write(`${l}\n`)) : null;
  const bytes = env('L1T_BENCH_BYTES', 200e6);
  process.stderr.write('throughput (decode + every detector, no store, one core)\n');
  const tp = bytes > 0 ? await throughput(bytes) : null;

  const perType: Record<string, unknown> = {};
  for (const type of types) {
    perType[type] = {
      detector_registered: registered.has(type),
      ...typeResult(acc.scores.get(type) ?? emptyScore()),
      window_stat_outlier_reported: acc.outliersOnFaults.get(type) ?? 0,
    };
  }
  // anomaly types reported on fault captures that no label asked for
  const extra = [...acc.scores.entries()]
    .filter(([t]) => !types.includes(t))
    .map(([type, s]) => ({ type, anomalies: s.anomalies, false_positives: s.falsePositives }));
  const meeting = Object.values(perType).filter((t) => (t as { meets_0_99: boolean }).meets_0_99).length;
  const doc = {
    bench: 'detect',
    date: new Date(started).toISOString(),
    duration_s: (Date.now() - started) / 1000,
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    seeds,
    synth: LIGHT,
    durations_s: { default: DEFAULT_DURATION_S, ...DURATION_S },
    config_per_type: CONFIG_FOR,
    detectors: DETECTORS.map((d) => ({ name: d.name, types: d.types })),
    matching: {
      tolerance_ms: 2,
      also_tolerance_ms: 50,
      rule: 'same packet_index, or anomaly time span within tolerance of the label timestamp',
    },
    types: perType,
    other_types_reported: extra,
    summary: {
      types: types.length,
      types_with_detector: types.filter((t) => registered.has(t)).length,
      types_meeting_0_99: meeting,
    },
    clean: cleanResult,
    window_stat_outlier_bursts: burstResult,
    shape_seeds: shapeSeeds,
    shape_clean: shapeClean,
    shapes,
    throughput: tp,
    ue,
    linuxptp,
    detector_warnings: acc.warnings,
  };
  process.stderr.write(
    `summary: ${meeting}/${types.length} types at recall and precision ≥ 0.99; ${doc.summary.types_with_detector} types have a registered detector${linuxptp ? `; linuxptp logs: ${linuxptp.summary.types_meeting_0_99}/${linuxptp.summary.types} types, ${linuxptp.summary.clean_findings} findings on clean logs` : ''}; ${doc.duration_s.toFixed(0)} s\n`,
  );
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:detect failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
