/**
 * bench:detect on every traffic shape of `l1t synth fronthaul --shape` (issue 12 point 6): recall and
 * precision per fault type on each shape over seeds, and the findings on clean traffic of each shape.
 *
 * Each run is the light accuracy configuration (detect-run.ts LIGHT) on top of the shape's settings, with
 * the profile stating what the shape carries (SCS, U-plane format and udCompHdr, eCPRI UDP port). On the
 * two-O-RU shapes fronthaul faults go into the second radio (`ru=1`) and a label is found only by an
 * anomaly naming that radio's MACs and VLAN (detect-match.ts `requireLink`).
 */
import {
  TRAFFIC_SHAPES,
  resolveFronthaulConfig,
  shapeConfig,
  type FronthaulConfigInput,
  type TrafficShape,
} from '../packages/capture/src/synth/index.js';
import {
  analyse,
  CONFIG_FOR,
  DEFAULT_DURATION_S,
  DURATION_S,
  faultAt,
  isTimingType,
  LIGHT,
  variantFor,
} from './detect-run.js';
import { emptyScore, OUTLIER_TYPE, rates, scoreCapture, type TypeScore } from './detect-match.js';

/** Bench settings per shape on top of LIGHT: a carrier split so that PDUs carry 4 messages (2 eAxC × 2). */
const SHAPE_BENCH: Partial<Record<TrafficShape, FronthaulConfigInput>> = {
  concat: { maxPrbPerPacket: 12 },
};

/**
 * Fault types a shape cannot show as defined by the catalogue: `iq_saturation` is BFP clipping
 * (anomalies.md: exponent at 16 − iqWidth with a mantissa at an extreme); uncompressed 16-bit IQ has no
 * exponent, so the decoder counts no clipping there (capture/oran/iq.ts) and the type is not scored.
 */
export const NOT_APPLICABLE: Partial<Record<TrafficShape, Partial<Record<string, string>>>> = {
  'uncompressed-dynamic': { iq_saturation: 'BFP clipping: uncompressed IQ has no exponent (anomalies.md)' },
};

/** Column names of the stderr table. */
const SHORT: Record<TrafficShape, string> = {
  default: 'default',
  concat: 'concat',
  'two-ru-mac': '2ru-mac',
  'two-ru-vlan': '2ru-vlan',
  mu0: 'mu0',
  mu1: 'mu1',
  mu2: 'mu2',
  mu3: 'mu3',
  'uncompressed-dynamic': 'u16-dyn',
  udp: 'udp',
  'multi-interface': 'pcapng-if',
};

export interface ShapeTypeResult {
  /** False: the shape cannot carry this type as the catalogue defines it (not run, not counted). */
  applicable?: false;
  reason?: string;
  labels: number;
  found: number;
  recall: number | null;
  anomalies: number;
  true_positives: number;
  false_positives: number;
  explained_by_also: number;
  precision: number | null;
  meets_0_99: boolean;
}

export interface ShapeResult {
  description: string;
  config: FronthaulConfigInput;
  seeds: number;
  two_radios: boolean;
  types: Record<string, ShapeTypeResult>;
  /** Anomaly types reported that no label of the run asked for (false positives on fault captures). */
  other_types_reported: Record<string, number>;
  clean: {
    captures: number;
    seconds_each: number;
    anomalies_by_type: Record<string, number>;
    anomalies_except_window_stat_outlier: number;
    /** Statistical outliers (scored apart, anomalies.md: ≤ 1 per 10 s of traffic). */
    window_stat_outlier?: { count: number; per_10s: number | null };
  };
  summary: { types: number; types_meeting_0_99: number; clean_findings: number; duration_s: number };
}

export function typeResult(s: TypeScore): ShapeTypeResult {
  const r = rates(s);
  return {
    labels: s.labels,
    found: s.found,
    recall: r.recall,
    anomalies: s.anomalies,
    true_positives: s.truePositives,
    false_positives: s.falsePositives,
    explained_by_also: s.explained,
    precision: r.precision,
    meets_0_99: (r.recall ?? 0) >= 0.99 && (r.precision ?? 1) >= 0.99,
  };
}

/** The shapes to run: L1T_BENCH_SHAPES (comma list), default every shape but `default` (the main run). */
export function benchShapes(): TrafficShape[] {
  const list = process.env.L1T_BENCH_SHAPES;
  if (list === undefined || list === '') return TRAFFIC_SHAPES.filter((s) => s !== 'default');
  if (list === 'none') return [];
  const out = list.split(',').map((s) => s.trim());
  for (const s of out)
    if (!(TRAFFIC_SHAPES as readonly string[]).includes(s))
      throw new Error(`L1T_BENCH_SHAPES: unknown shape '${s}' (known: ${TRAFFIC_SHAPES.join(', ')})`);
  return out as TrafficShape[];
}

/** Accuracy and clean traffic of one shape. */
export async function runShape(
  shape: TrafficShape,
  types: readonly string[],
  seeds: number,
  clean: { seeds: number; seconds: number },
  describe: string,
): Promise<ShapeResult> {
  const started = Date.now();
  const base: FronthaulConfigInput = { ...shapeConfig(shape), ...LIGHT, ...SHAPE_BENCH[shape] };
  const twoRadios = resolveFronthaulConfig(base).rus.length > 1;
  const scores = new Map<string, TypeScore>();
  const shapeSeed = 100_000 * (TRAFFIC_SHAPES.indexOf(shape) + 1);
  const skip = NOT_APPLICABLE[shape] ?? {};
  for (const type of types) {
    if (skip[type]) continue;
    for (let seed = 1; seed <= seeds; seed++) {
      const cfg = { ...base, ...CONFIG_FOR[type], durationS: DURATION_S[type] ?? DEFAULT_DURATION_S };
      const spec = faultAt(type, seed, twoRadios && !isTimingType(type) ? 'ru=1' : variantFor(type, seed));
      const run = await analyse(cfg, spec, shapeSeed + 1000 * seed + types.indexOf(type));
      scoreCapture(run.labels, run.anomalies, scores, { requireLink: twoRadios });
    }
  }
  const byType: Record<string, number> = {};
  for (let seed = 1; seed <= clean.seeds; seed++) {
    const run = await analyse({ ...base, durationS: clean.seconds }, '', shapeSeed + 7000 + seed);
    for (const a of run.anomalies) byType[a.type] = (byType[a.type] ?? 0) + 1;
  }
  const perType: Record<string, ShapeTypeResult> = {};
  for (const type of types) {
    const reason = skip[type];
    perType[type] = reason
      ? { ...typeResult(emptyScore()), applicable: false, reason, meets_0_99: true }
      : typeResult(scores.get(type) ?? emptyScore());
  }
  const other: Record<string, number> = {};
  for (const [type, s] of scores) if (!types.includes(type) && s.falsePositives > 0) other[type] = s.falsePositives;
  const cleanFindings = Object.entries(byType)
    .filter(([t]) => t !== OUTLIER_TYPE)
    .reduce((n, [, c]) => n + c, 0);
  return {
    description: describe,
    config: base,
    seeds,
    two_radios: twoRadios,
    types: perType,
    other_types_reported: other,
    clean: {
      captures: clean.seeds,
      seconds_each: clean.seconds,
      anomalies_by_type: byType,
      anomalies_except_window_stat_outlier: cleanFindings,
      window_stat_outlier: {
        count: byType[OUTLIER_TYPE] ?? 0,
        per_10s:
          clean.seeds * clean.seconds > 0 ? ((byType[OUTLIER_TYPE] ?? 0) * 10) / (clean.seeds * clean.seconds) : null,
      },
    },
    summary: {
      types: Object.values(perType).filter((t) => t.applicable !== false).length,
      types_meeting_0_99: Object.values(perType).filter((t) => t.meets_0_99 && t.applicable !== false).length,
      clean_findings: cleanFindings,
      duration_s: (Date.now() - started) / 1000,
    },
  };
}

const cell = (t: ShapeTypeResult | undefined): string => {
  if (t?.applicable === false) return 'n/a';
  if (!t || t.labels === 0) return '—';
  const f = (v: number | null): string => (v === null ? '—' : v >= 0.995 ? '1' : v.toFixed(2).replace(/^0/, ''));
  return `${f(t.recall)}/${f(t.precision)}`;
};

/** Table on stderr: one row per type, one column per shape, cells recall/precision; then clean findings. */
export function shapeTable(results: Readonly<Record<string, ShapeResult>>, types: readonly string[]): string {
  const shapes = Object.keys(results);
  const w = 10;
  const name = (s: string): string => SHORT[s as TrafficShape] ?? s;
  const head = `  ${'recall/precision'.padEnd(24)}${shapes.map((s) => name(s).padStart(w)).join('')}\n`;
  const rows = types.map(
    (t) => `  ${t.padEnd(24)}${shapes.map((s) => cell(results[s]?.types[t]).padStart(w)).join('')}\n`,
  );
  const clean = `  ${'clean: findings'.padEnd(24)}${shapes
    .map((s) => String(results[s]?.summary.clean_findings ?? '—').padStart(w))
    .join('')}\n`;
  const outliers = `  ${'clean: outliers'.padEnd(24)}${shapes
    .map((s) => String(results[s]?.clean.window_stat_outlier?.count ?? '—').padStart(w))
    .join('')}\n`;
  const meet = `  ${'types ≥ 0.99'.padEnd(24)}${shapes
    .map((s) => `${results[s]?.summary.types_meeting_0_99 ?? 0}/${results[s]?.summary.types ?? 0}`.padStart(w))
    .join('')}\n`;
  return head + rows.join('') + clean + outliers + meet;
}
