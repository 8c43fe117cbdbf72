/**
 * The UE part of `npm run bench:detect`: recall and precision per UE fault type over many seeds of
 * `l1t synth ue` (capture/synth/ue), each log analysed in full by `analyzeFile` (DIAG reader, decoder
 * table, every UE detector) and scored by the fronthaul rules (detect-match.ts: same record index, or the
 * finding's time span within 2 ms of the label); plus clean logs, where the goal is no finding at all.
 * Seeds alternate the container (.qmdl HDLC stream, .dlf records); a fault starts at a random time.
 *
 * Then the same for UE event text logs (`l1t synth ue --out FILE.txt`: 40 UEs over 10 minutes, one fault per
 * log on a UE the seed picks; a storm UE's ue_behaviour_outlier finding is explained by the label's `also`).
 *
 * Environment: L1T_BENCH_UE_SEEDS (20), L1T_BENCH_UE_CLEAN_SEEDS (5), L1T_BENCH_UE_S (8 s per log),
 * L1T_BENCH_UE_TYPES (comma list, default every injectable UE type), L1T_BENCH_UE_EVENT_SEEDS (20).
 */
import {
  Prng,
  synthUe,
  synthUeEvents,
  UE_EVENT_FAULT_TYPES,
  UE_FAULT_TYPES,
  type UeFaultSpec,
  type UeFaultType,
} from '../packages/capture/src/synth/index.js';
import { analyzeFile, type AnalyzeInput } from '@l1t/pipeline';
import { emptyScore, rates, scoreCapture, type TypeScore } from './detect-match.js';
import { typeResult, type ShapeTypeResult } from './detect-shapes.js';

const env = (name: string, dflt: number): number => {
  const v = process.env[name];
  return v === undefined || v === '' ? dflt : Number(v);
};

function bytesInput(name: string, bytes: Uint8Array): AnalyzeInput {
  return {
    name,
    size: bytes.length,
    open: async function* () {
      for (let o = 0; o < bytes.length; o += 1 << 16) yield bytes.subarray(o, o + (1 << 16));
    },
  };
}

async function analyseUe(faults: UeFaultSpec[], seed: number, durationS: number) {
  const format = seed % 2 === 0 ? 'dlf' : 'qmdl';
  const s = synthUe({ durationS, format }, faults, seed);
  const r = await analyzeFile(bytesInput(`ue-${seed}.${format}`, s.bytes));
  if (r.status !== 'done') throw new Error(`synth ue seed ${seed}: ${r.error ?? 'failed'}`);
  return { labels: s.labels, anomalies: r.anomalies, records: s.stats.records };
}

export interface UeBenchResult {
  seeds: number;
  seconds_each: number;
  types: Record<string, ShapeTypeResult>;
  other_types_reported: { type: string; anomalies: number; false_positives: number }[];
  clean: { logs: number; seconds_each: number; anomalies_by_type: Record<string, number>; findings: number };
  event_logs: {
    seeds: number;
    types: Record<string, ShapeTypeResult>;
    other_types_reported: { type: string; anomalies: number; false_positives: number }[];
    clean: { logs: number; anomalies_by_type: Record<string, number>; findings: number };
  };
  summary: { types: number; types_meeting_0_99: number; clean_findings: number; not_injected: string[] };
}

export async function ueBench(log: (line: string) => void): Promise<UeBenchResult> {
  const seeds = env('L1T_BENCH_UE_SEEDS', 20);
  const seconds = env('L1T_BENCH_UE_S', 8);
  const types = (process.env.L1T_BENCH_UE_TYPES?.split(',') ?? [...UE_FAULT_TYPES]) as UeFaultType[];
  const scores = new Map<string, TypeScore>();
  for (const type of types) {
    for (let seed = 1; seed <= seeds; seed++) {
      const rng = new Prng(9000 + 97 * seed + types.indexOf(type));
      const at = Number((3.2 + rng.float() * (seconds - 6)).toFixed(3)); // ≥ 3.2 s: room for the rsrp_low ramp
      // harq_failure: odd seeds a TB that reaches max retransmissions, even seeds a burst of 6 NACKs
      const params = type === 'harq_failure' && seed % 2 === 0 ? { nacks: 6 } : undefined;
      const run = await analyseUe([{ type, at, ...(params ? { params } : {}) }], seed, seconds);
      scoreCapture(run.labels, run.anomalies, scores);
    }
    const s = scores.get(type) ?? emptyScore();
    const r = rates(s);
    log(
      `  ${type.padEnd(24)} labels ${String(s.labels).padStart(3)}  found ${String(s.found).padStart(3)}  recall ${r.recall?.toFixed(3) ?? '—'}  precision ${r.precision?.toFixed(3) ?? '—'}  (TP ${s.truePositives}, FP ${s.falsePositives})`,
    );
  }
  const cleanSeeds = env('L1T_BENCH_UE_CLEAN_SEEDS', 5);
  const byType: Record<string, number> = {};
  for (let seed = 1; seed <= cleanSeeds; seed++) {
    const run = await analyseUe([], 500 + seed, seconds);
    for (const a of run.anomalies) byType[a.type] = (byType[a.type] ?? 0) + 1;
  }
  const findings = Object.values(byType).reduce((a, b) => a + b, 0);
  log(`  clean: ${cleanSeeds} logs × ${seconds} s, ${findings} findings`);
  const perType = Object.fromEntries(types.map((t) => [t, typeResult(scores.get(t) ?? emptyScore())]));
  const events = await eventBench(log);
  return {
    seeds,
    seconds_each: seconds,
    types: perType,
    other_types_reported: [...scores.entries()]
      .filter(([t]) => !(types as string[]).includes(t))
      .map(([type, s]) => ({ type, anomalies: s.anomalies, false_positives: s.falsePositives })),
    clean: { logs: cleanSeeds, seconds_each: seconds, anomalies_by_type: byType, findings },
    event_logs: events,
    summary: {
      types: types.length + UE_EVENT_FAULT_TYPES.length,
      types_meeting_0_99:
        Object.values(perType).filter((t) => t.meets_0_99).length +
        Object.values(events.types).filter((t) => t.meets_0_99).length,
      clean_findings: findings + events.clean.findings,
      not_injected: [],
    },
  };
}

async function eventBench(log: (line: string) => void): Promise<UeBenchResult['event_logs']> {
  const seeds = env('L1T_BENCH_UE_EVENT_SEEDS', 20);
  const scores = new Map<string, TypeScore>();
  const run = async (spec: Parameters<typeof synthUeEvents>[1], seed: number) => {
    const s = synthUeEvents({ durationS: 600 }, spec, seed);
    const r = await analyzeFile(bytesInput(`ue-events-${seed}.txt`, new TextEncoder().encode(s.text)));
    if (r.status !== 'done' || r.summary.details.text_log_kind !== 'ue_events')
      throw new Error(`synth ue events seed ${seed}: not analysed as a UE event log`);
    return { labels: s.labels, anomalies: r.anomalies };
  };
  for (const type of UE_EVENT_FAULT_TYPES) {
    for (let seed = 1; seed <= seeds; seed++) {
      const at = 120 + new Prng(7000 + seed).int(300);
      const r = await run([{ type, at }], seed);
      scoreCapture(r.labels, r.anomalies, scores);
    }
    const s = scores.get(type) ?? emptyScore();
    const r = rates(s);
    log(
      `  ${`${type} (event log)`.padEnd(34)} labels ${String(s.labels).padStart(3)}  found ${String(s.found).padStart(3)}  recall ${r.recall?.toFixed(3) ?? '—'}  precision ${r.precision?.toFixed(3) ?? '—'}  (TP ${s.truePositives}, FP ${s.falsePositives}, also ${s.explained})`,
    );
  }
  const byType: Record<string, number> = {};
  const cleanLogs = env('L1T_BENCH_UE_CLEAN_SEEDS', 5);
  for (let seed = 1; seed <= cleanLogs; seed++)
    for (const a of (await run([], 800 + seed)).anomalies) byType[a.type] = (byType[a.type] ?? 0) + 1;
  const findings = Object.values(byType).reduce((a, b) => a + b, 0);
  log(`  clean event logs: ${cleanLogs} logs × 40 UEs × 600 s, ${findings} findings`);
  return {
    seeds,
    types: Object.fromEntries(UE_EVENT_FAULT_TYPES.map((t) => [t, typeResult(scores.get(t) ?? emptyScore())])),
    other_types_reported: [...scores.entries()]
      .filter(([t]) => !(UE_EVENT_FAULT_TYPES as readonly string[]).includes(t))
      .map(([type, s]) => ({ type, anomalies: s.anomalies, false_positives: s.falsePositives })),
    clean: { logs: cleanLogs, anomalies_by_type: byType, findings },
  };
}
