/**
 * The UE part of `npm run bench:detect`: recall and precision per UE fault type over many seeds of
 * `l1t synth ue` (capture/synth/ue), each log analysed in full by `analyzeFile` (DIAG reader, decoder
 * table, every UE detector) and scored by the fronthaul rules (detect-match.ts: same record index, or the
 * finding's time span within 2 ms of the label); plus clean logs, where the goal is no finding at all.
 * Seeds alternate the container (.qmdl HDLC stream, .dlf records); a fault starts at a random time.
 *
 * Environment: L1T_BENCH_UE_SEEDS (20), L1T_BENCH_UE_CLEAN_SEEDS (5), L1T_BENCH_UE_S (8 s per log),
 * L1T_BENCH_UE_TYPES (comma list, default every injectable UE type).
 */
import {
  Prng,
  synthUe,
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
  return {
    seeds,
    seconds_each: seconds,
    types: perType,
    other_types_reported: [...scores.entries()]
      .filter(([t]) => !(types as string[]).includes(t))
      .map(([type, s]) => ({ type, anomalies: s.anomalies, false_positives: s.falsePositives })),
    clean: { logs: cleanSeeds, seconds_each: seconds, anomalies_by_type: byType, findings },
    summary: {
      types: types.length,
      types_meeting_0_99: Object.values(perType).filter((t) => t.meets_0_99).length,
      clean_findings: findings,
      not_injected: ['beam_failure: no NR beam management (0xB975) decoder, so the generator cannot write one'],
    },
  };
}
