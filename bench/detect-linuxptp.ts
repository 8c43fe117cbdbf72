/**
 * The linuxptp part of `npm run bench:detect`: recall and precision per fault type of `l1t synth ptp-log`
 * (capture/synth/linuxptp: `ptp4l -m` and `phc2sys -m` of one slave), each log analysed in full by
 * `analyzeFile` (sniffed as text, recognised as linuxptp by content, every line parsed, every log detector)
 * and scored by the fronthaul rules (detect-match.ts: same line, or the finding's time span within 2 ms of
 * the label's time; a finding the label's `also` names within 50 ms is explained); plus clean logs, where
 * the goal is no finding at all.
 *
 * Odd seeds write `ptp4l -m` lines, even seeds the syslog form. One fault per log at a random second (40 s after the first line to 40 s before the end), with random
 * parameters: time-error excursions of 1.5–20 µs over 1–8 samples, servo resets of 1–10 s, path-delay
 * steps of ±150–2,000 ns, announce outages of 5–60 s (half of them on a slaveOnly port), port faults alternating between a tx-timestamp
 * timeout (FAULTY) and a phc2sys clock jump.
 *
 * Then mixed logs: every type once in one log, in an order and at times the seed picks (75 s apart, the
 * announce outage up to 50 s), so that a fault lands in the recovery of the one before it; scored apart.
 *
 * Environment: L1T_BENCH_PTP_LOG_SEEDS (20 per type; 0 skips the part), L1T_BENCH_PTP_LOG_CLEAN (5 logs),
 * L1T_BENCH_PTP_LOG_S (600 s per log), L1T_BENCH_PTP_LOG_MIXED (10 logs).
 */
import {
  LINUXPTP_LOG_FAULT_TYPES,
  LINUXPTP_LOG_FAULT_WINDOW,
  Prng,
  synthLinuxptpLog,
  type LinuxptpLogFaultSpec,
  type LinuxptpLogFaultType,
} from '../packages/capture/src/synth/index.js';
import { analyzeFile, type AnalyzeInput } from '@l1t/pipeline';
import { emptyScore, rates, scoreCapture, type TypeScore } from './detect-match.js';
import { typeResult, type ShapeTypeResult } from './detect-shapes.js';

const env = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};

function textInput(name: string, text: string): AnalyzeInput {
  const bytes = new TextEncoder().encode(text);
  return {
    name,
    size: bytes.length,
    open: async function* () {
      for (let o = 0; o < bytes.length; o += 1 << 16) yield bytes.subarray(o, o + (1 << 16));
    },
  };
}

/** A fault of `type` at a random second with random parameters (the seed decides). */
export function randomLogFault(type: LinuxptpLogFaultType, seed: number, durationS: number): LinuxptpLogFaultSpec {
  const rng = new Prng(31_000 + 101 * seed + LINUXPTP_LOG_FAULT_TYPES.indexOf(type));
  const { minS, tailS } = LINUXPTP_LOG_FAULT_WINDOW;
  const at = Number((minS + rng.float() * (durationS - minS - tailS)).toFixed(1));
  const sign = rng.float() < 0.5 ? -1 : 1;
  switch (type) {
    case 'ptp_time_error':
      return { type, at, params: { offset_ns: 1500 + rng.int(18_500), count: 1 + rng.int(8) } };
    case 'ptp_servo_unlocked':
      return { type, at, params: { samples: 1 + rng.int(10) } };
    case 'ptp_port_fault':
      return { type, at, params: { kind: seed % 2 ? 'tx_timeout' : 'clock_jump' } };
    case 'ptp_path_delay_jump':
      return { type, at, params: { shift_ns: sign * (150 + rng.int(1850)) } };
    case 'ptp_announce_timeout':
      return { type, at, params: { outage_s: 5 + rng.int(56), slave_only: seed % 4 < 2 ? 1 : 0 } };
    default:
      return { type, at };
  }
}

async function analyseLog(faults: LinuxptpLogFaultSpec[], seed: number, durationS: number) {
  // even seeds: the syslog form of the same messages (rsyslog's date, host and pid before them)
  const s = synthLinuxptpLog({ durationS, format: seed % 2 ? 'verbose' : 'syslog' }, faults, seed);
  const r = await analyzeFile(textInput(`ptp-${seed}.log`, s.text));
  if (r.status !== 'done' || r.summary.details.text_log_kind !== 'linuxptp')
    throw new Error(`synth ptp-log seed ${seed}: not analysed as a linuxptp log (${r.error ?? r.status})`);
  return { labels: s.labels, anomalies: r.anomalies };
}

export interface LinuxptpBenchResult {
  seeds: number;
  seconds_each: number;
  types: Record<string, ShapeTypeResult>;
  other_types_reported: { type: string; anomalies: number; false_positives: number }[];
  clean: { logs: number; seconds_each: number; anomalies_by_type: Record<string, number>; findings: number };
  mixed: { logs: number; types: Record<string, ShapeTypeResult> };
  summary: { types: number; types_meeting_0_99: number; clean_findings: number };
}

export async function linuxptpBench(log: (line: string) => void): Promise<LinuxptpBenchResult> {
  const seeds = env('L1T_BENCH_PTP_LOG_SEEDS', 20);
  const seconds = env('L1T_BENCH_PTP_LOG_S', 600);
  const scores = new Map<string, TypeScore>();
  for (const type of LINUXPTP_LOG_FAULT_TYPES) {
    for (let seed = 1; seed <= seeds; seed++) {
      const run = await analyseLog([randomLogFault(type, seed, seconds)], seed, seconds);
      scoreCapture(run.labels, run.anomalies, scores);
    }
    const s = scores.get(type) ?? emptyScore();
    const r = rates(s);
    log(
      `  ${`${type} (linuxptp log)`.padEnd(34)} labels ${String(s.labels).padStart(3)}  found ${String(s.found).padStart(3)}  recall ${r.recall?.toFixed(3) ?? '—'}  precision ${r.precision?.toFixed(3) ?? '—'}  (TP ${s.truePositives}, FP ${s.falsePositives}, also ${s.explained})`,
    );
  }
  const cleanLogs = env('L1T_BENCH_PTP_LOG_CLEAN', 5);
  const byType: Record<string, number> = {};
  for (let seed = 1; seed <= cleanLogs; seed++)
    for (const a of (await analyseLog([], 600 + seed, seconds)).anomalies) byType[a.type] = (byType[a.type] ?? 0) + 1;
  const findings = Object.values(byType).reduce((a, b) => a + b, 0);
  log(`  clean linuxptp logs: ${cleanLogs} logs × ${seconds} s, ${findings} findings`);
  const mixed = await mixedLogs(log);
  const types = Object.fromEntries(LINUXPTP_LOG_FAULT_TYPES.map((t) => [t, typeResult(scores.get(t) ?? emptyScore())]));
  return {
    seeds,
    seconds_each: seconds,
    types,
    other_types_reported: [...scores.entries()]
      .filter(([t]) => !(LINUXPTP_LOG_FAULT_TYPES as readonly string[]).includes(t))
      .map(([type, s]) => ({ type, anomalies: s.anomalies, false_positives: s.falsePositives })),
    clean: { logs: cleanLogs, seconds_each: seconds, anomalies_by_type: byType, findings },
    mixed,
    summary: {
      types: LINUXPTP_LOG_FAULT_TYPES.length,
      // a type meets the goal on its own logs and in the mixed ones
      types_meeting_0_99: Object.entries(types).filter(([t, r]) => r.meets_0_99 && mixed.types[t]?.meets_0_99 !== false)
        .length,
      clean_findings: findings,
    },
  };
}

/** Logs with every fault type once, shuffled, 75 s apart (+ up to 10 s): faults meet the recovery of others. */
async function mixedLogs(log: (line: string) => void): Promise<LinuxptpBenchResult['mixed']> {
  const logs = env('L1T_BENCH_PTP_LOG_MIXED', 10);
  const scores = new Map<string, TypeScore>();
  for (let seed = 1; seed <= logs; seed++) {
    const rng = new Prng(47_000 + seed);
    const order = [...LINUXPTP_LOG_FAULT_TYPES];
    for (let i = order.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    const faults = order.map((type, i) => {
      const f = randomLogFault(type, seed, 600);
      f.at = 60 + 75 * i + rng.int(10);
      if (type === 'ptp_announce_timeout') f.params = { ...f.params, outage_s: 5 + rng.int(46) };
      return f;
    });
    const run = await analyseLog(faults, 900 + seed, 600);
    scoreCapture(run.labels, run.anomalies, scores);
  }
  const types: Record<string, ShapeTypeResult> = {};
  for (const [type, s] of scores) {
    types[type] = typeResult(s);
    const r = rates(s);
    log(
      `  ${`${type} (mixed log)`.padEnd(34)} labels ${String(s.labels).padStart(3)}  found ${String(s.found).padStart(3)}  recall ${r.recall?.toFixed(3) ?? '—'}  precision ${r.precision?.toFixed(3) ?? '—'}  (TP ${s.truePositives}, FP ${s.falsePositives}, also ${s.explained})`,
    );
  }
  return { logs, types };
}
