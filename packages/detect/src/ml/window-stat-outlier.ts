import type { FlowKey, Profile } from '@l1t/contracts';
import type {
  DetectContext,
  Detector,
  DetectorDefinition,
  FronthaulMessage,
  ResolvedThresholds,
  ThresholdOption,
} from '../framework/detector.js';
import { numberOption } from '../framework/thresholds.js';
import { numerologyOfScs } from '../fronthaul/air-time.js';
import { isoNs } from '../time-format.js';
import { MODEL_NAMES, OutlierEnsemble } from './ensemble.js';
import { fitRobustScaler, scaleRow, type RobustScaler } from './robust-stats.js';
import { SeededRandom } from './prng.js';
import {
  DEFAULT_REFIT_EVERY,
  MAX_SITE_ROWS,
  parseSiteModel,
  siteBaseline,
  updateSiteModel,
  type WindowSiteModel,
} from './site-model.js';
import {
  DEFAULT_MAX_UNITS,
  FEATURE_SCALE_FLOORS,
  WINDOW_FEATURES,
  WindowFeatureExtractor,
  type WindowRow,
  type WindowUnit,
} from './window-features.js';

/**
 * `window_stat_outlier` (anomalies.md): per 100 ms window and DU↔RU unit (MAC pair × VLAN × eAxC, see
 * window-features.ts), a row of traffic statistics is robust-scaled (median / robust σ with floors) and
 * scored by the four-model ensemble (ensemble.ts). A window is reported when at least `min_votes` models
 * agree and at least one feature is `min_feature_z` robust σ from the baseline median (the effect size that
 * makes an outlier worth an engineer's time); confidence = share of models that agree. The evidence names
 * the features that stand out with their value, baseline median and robust z.
 *
 * Baseline: the capture's own windows, or the site model's when one is given with enough rows for the unit
 * (and the capture does not disagree with more than half of it — then the site has changed and the capture
 * baseline is used, said in the evidence). Memory: a row (17 numbers) per window and unit; a unit that
 * buffers `max_windows` rows is scored and cleared on the spot.
 */
export const WINDOW_STAT_OUTLIER_THRESHOLDS: Readonly<Record<string, readonly ThresholdOption[]>> = {
  window_stat_outlier: [
    { name: 'window_ms', default: 100, unit: 'ms', min: 10, max: 10_000, description: 'length of a statistics window' },
    {
      name: 'min_votes',
      default: 2,
      unit: 'models',
      min: 1,
      max: 4,
      description: 'models of the ensemble (of 4) that must agree',
    },
    {
      name: 'min_feature_z',
      default: 5,
      unit: 'robust σ',
      min: 0,
      max: 1000,
      description: 'at least one feature must be this many robust σ from the baseline median',
    },
    {
      name: 'min_windows',
      default: 8,
      unit: 'windows',
      min: 4,
      max: 100_000,
      description: 'baseline windows a unit needs before it is scored',
    },
    {
      name: 'max_windows',
      default: 36_000,
      unit: 'windows',
      min: 16,
      max: 1_000_000,
      description: 'windows buffered per unit before they are scored (memory bound)',
    },
    {
      name: 'boundary_k',
      default: 6,
      unit: 'robust σ',
      min: 1,
      max: 100,
      description: 'each model votes when its score exceeds median + k·σ of its baseline scores',
    },
    {
      name: 'seed',
      default: 1,
      min: 0,
      max: 2 ** 31,
      description: 'seed of the Isolation Forest (findings are deterministic for a seed)',
    },
    {
      name: 'refit_every',
      default: DEFAULT_REFIT_EVERY,
      unit: 'files',
      min: 1,
      max: 10_000,
      description: 'site model: files between two refits of the baseline',
    },
  ],
};

/** Relative floor of the robust scale: healthy traffic varies by a few percent from window to window. */
const RELATIVE_SCALE_FLOOR = 0.02;
/** Training rows of the ensemble at most (a deterministic stride sample beyond). */
const MAX_TRAIN = 1024;
/** Features named in the evidence at most, and the |z| from which a feature is named. */
const EVIDENCE_FEATURES = 5;
const EVIDENCE_MIN_Z = 3;
/** Share of windows flagged against a site model beyond which the site model is taken as stale. */
const STALE_SITE_SHARE = 0.5;
/** Rows of a unit's last scored batch kept as the baseline of a short remainder (per unit, and in all). */
const MAX_PREVIOUS = 1024;
const MAX_PREVIOUS_TOTAL = 65_536;

/** Site-model plumbing of one analysis: prior model in, updated model out. */
export interface WindowStatOutlierOptions {
  /** The site's model (as stored; ignored when it does not fit this version / window length). */
  siteModel?: unknown;
  /** Receives the updated model at the end of the file (healthy windows folded in, refitted when due). */
  onSiteModel?: (model: WindowSiteModel) => void;
  /** Clock for `refittedAt` (tests). */
  now?: () => string;
}

interface Settings {
  windowMs: number;
  minVotes: number;
  minZ: number;
  minWindows: number;
  maxWindows: number;
  boundaryK: number;
  seed: number;
  refitEvery: number;
}

class WindowStatOutlierDetector implements Detector {
  private readonly s: Settings;
  private readonly extractor: WindowFeatureExtractor;
  private readonly site: WindowSiteModel | undefined;
  private readonly healthy = new Map<string, { rows: Float64Array[]; seen: number }>();
  private readonly reservoir: SeededRandom;
  private readonly previous = new Map<string, Float64Array[]>();
  /** Units whose rows could not be judged for want of a baseline (until one forms). */
  private readonly unjudged = new Set<string>();
  private unjudgedUnits = 0;
  private ctx: DetectContext | undefined;

  constructor(
    profile: Profile | undefined,
    thresholds: ResolvedThresholds,
    private readonly options: WindowStatOutlierOptions,
  ) {
    const n = (name: string, d: number): number => numberOption(thresholds, 'window_stat_outlier', name, d);
    this.s = {
      windowMs: n('window_ms', 100),
      minVotes: n('min_votes', 2),
      minZ: n('min_feature_z', 5),
      minWindows: n('min_windows', 8),
      maxWindows: n('max_windows', 36_000),
      boundaryK: n('boundary_k', 6),
      seed: n('seed', 1),
      refitEvery: n('refit_every', DEFAULT_REFIT_EVERY),
    };
    this.reservoir = new SeededRandom(this.s.seed);
    this.site = options.siteModel === undefined ? undefined : parseSiteModel(options.siteModel, this.s.windowMs);
    let mu = 1;
    try {
      mu = numerologyOfScs(profile?.scs_khz ?? 30);
    } catch {
      mu = 1;
    }
    const t = profile?.timing;
    this.extractor = new WindowFeatureExtractor(
      {
        windowMs: this.s.windowMs,
        mu,
        ...(t?.utc_gps_offset_s !== undefined ? { utcGpsOffsetS: t.utc_gps_offset_s } : {}),
        ...(t?.alpha_ns !== undefined ? { alphaNs: t.alpha_ns } : {}),
        ...(t?.beta_frames !== undefined ? { betaFrames: t.beta_frames } : {}),
      },
      this.s.maxWindows,
      (unit) => this.scoreUnit(unit),
    );
  }

  onMessage(msg: FronthaulMessage, ctx: DetectContext): void {
    this.ctx = ctx;
    this.extractor.onMessage(msg);
  }

  finish(ctx: DetectContext): void {
    this.ctx = ctx;
    this.extractor.finish();
    for (const unit of this.extractor.units) this.scoreUnit(unit);
    if (this.unjudgedUnits > 0)
      ctx.warn?.(
        `window_stat_outlier: ${this.unjudgedUnits} unit(s) with fewer than min_windows (${this.s.minWindows}) windows that carried traffic: not judged statistically`,
      );
    if (this.extractor.untrackedMessages > 0)
      ctx.warn?.(
        `window_stat_outlier: more than ${DEFAULT_MAX_UNITS} DU↔RU units (link × eAxC): ${this.extractor.untrackedMessages} messages of further units not analysed`,
      );
    const out = this.options.onSiteModel;
    if (out) {
      const now = this.options.now?.() ?? new Date().toISOString();
      const healthy = new Map([...this.healthy].map(([k, h]) => [k, h.rows]));
      out(
        updateSiteModel(this.site, healthy, {
          windowMs: this.s.windowMs,
          refitEvery: this.s.refitEvery,
          seed: this.s.seed,
          now,
        }),
      );
    }
  }

  /** Scores the unit's buffered rows, reports the outliers, keeps the healthy rows for the site model. */
  private scoreUnit(unit: WindowUnit): void {
    const rows = unit.rows.splice(0);
    this.extractor.released(rows.length);
    if (rows.length === 0) return;
    const raw = rows.map((r) => r.features);
    // A baseline is a statistic of windows that carried traffic: empty windows alone (a capture of a few
    // packets) are no sample of normal behaviour, so below min_windows active windows nothing is judged.
    const active = rows.reduce((n, r) => n + (r.packets > 0 ? 1 : 0), 0);
    const key = unit.identity.key;
    const site = siteBaseline(this.site, key, this.s.minWindows);
    const prev = this.previous.get(key);
    let verdicts: Verdict[] | undefined;
    let baseline = '';
    let baselineWindows = 0;
    if (site) {
      verdicts = this.judge(site, raw, false);
      baseline = `site model (${site.length} windows)`;
      baselineWindows = site.length;
      const flagged = verdicts.filter((v) => v.flagged).length;
      if (flagged > STALE_SITE_SHARE * rows.length && active >= this.s.minWindows) {
        verdicts = this.judge(raw, raw, true);
        baseline = `capture (${rows.length} windows; the site model disagreed with ${flagged} of them)`;
        baselineWindows = active;
      }
    } else if (active >= this.s.minWindows) {
      verdicts = this.judge(raw, raw, true);
      baseline = `capture (${rows.length} windows, ${active} with traffic)`;
      baselineWindows = active;
    } else if (prev !== undefined && prev.length >= this.s.minWindows) {
      // the short remainder after a batch (max_windows, or the buffered-rows bound): judged against the
      // batch before it
      verdicts = this.judge(prev, raw, false);
      baseline = `capture (the previous ${prev.length} windows)`;
      baselineWindows = prev.length;
    } else if (!this.unjudged.has(key)) {
      this.unjudged.add(key);
      this.unjudgedUnits++;
    }
    if (active >= this.s.minWindows) {
      const activeRaw = raw.filter((_, i) => rows[i]!.packets > 0);
      this.previous.set(key, activeRaw.slice(-this.previousShare()));
      if (this.unjudged.delete(key)) this.unjudgedUnits--;
    }
    for (let i = 0; i < rows.length; i++) {
      const v = verdicts?.[i];
      if (v?.flagged) this.report(unit, rows[i]!, v, baseline, baselineWindows);
      else this.keepHealthy(key, raw[i]!);
    }
  }

  /**
   * Rows of the previous batch kept per unit: an even share of {@link MAX_PREVIOUS_TOTAL} over the units
   * seen, at least min_windows and at most {@link MAX_PREVIOUS} (memory bounded by the total, not by the
   * number of units).
   */
  private previousShare(): number {
    const units = Math.max(1, this.extractor.units.length);
    return Math.max(this.s.minWindows, Math.min(MAX_PREVIOUS, Math.floor(MAX_PREVIOUS_TOTAL / units)));
  }

  /** Healthy rows for the site model: a bounded reservoir per unit (only when a model is wanted out). */
  private keepHealthy(key: string, row: Float64Array): void {
    if (!this.options.onSiteModel) return;
    let h = this.healthy.get(key);
    if (h === undefined) {
      h = { rows: [], seen: 0 };
      this.healthy.set(key, h);
    }
    h.seen++;
    if (h.rows.length < MAX_SITE_ROWS) h.rows.push(row);
    else {
      const j = this.reservoir.int(h.seen);
      if (j < MAX_SITE_ROWS) h.rows[j] = row;
    }
  }

  /** Fits scaler + ensemble on `train` and judges every row of `rows` (in-sample when `same`). */
  private judge(train: Float64Array[], rows: Float64Array[], same: boolean): Verdict[] {
    const scaler = fitRobustScaler(train, { relative: RELATIVE_SCALE_FLOOR, absolute: FEATURE_SCALE_FLOORS });
    const z = (r: Float64Array): Float64Array => imputeZ(scaleRow(r, scaler));
    const stride = Math.max(1, Math.ceil(train.length / MAX_TRAIN));
    const fitRows: Float64Array[] = [];
    const member = new Int32Array(train.length).fill(-1);
    for (let i = 0; i < train.length; i += stride) {
      member[i] = fitRows.length;
      fitRows.push(z(train[i]!));
    }
    const ensemble = OutlierEnsemble.fit(fitRows, { seed: this.s.seed, boundaryK: this.s.boundaryK });
    return rows.map((r, i) => {
      const zr = z(r);
      const sc = ensemble.score(zr, same ? member[i]! : -1);
      let maxZ = 0;
      for (const v of zr) if (Math.abs(v) > maxZ) maxZ = Math.abs(v);
      return {
        flagged: sc.agree >= this.s.minVotes && maxZ >= this.s.minZ,
        agree: sc.agree,
        scores: sc.scores,
        votes: sc.votes,
        boundaries: ensemble.boundaries,
        z: zr,
        scaler,
        maxZ,
      };
    });
  }

  private report(unit: WindowUnit, row: WindowRow, v: Verdict, baseline: string, baselineWindows: number): void {
    const ctx = this.ctx;
    if (!ctx) return;
    const id = unit.identity;
    const order = [...v.z.keys()].sort((a, b) => Math.abs(v.z[b]!) - Math.abs(v.z[a]!));
    const standOut = order
      .filter((j, rank) => rank === 0 || Math.abs(v.z[j]!) >= EVIDENCE_MIN_Z)
      .slice(0, EVIDENCE_FEATURES)
      .map((j) => ({
        feature: WINDOW_FEATURES[j]!,
        value: round(row.features[j]!),
        baseline_median: round(v.scaler.center[j]!),
        robust_sigma: round(v.scaler.scale[j]!),
        z: round(v.z[j]!),
      }));
    const models: Record<string, unknown> = {};
    MODEL_NAMES.forEach((m, k) => {
      models[m] = { score: round(v.scores[k]!), boundary: round(v.boundaries[k]!), outlier: v.votes[k]! };
    });
    const windowNs = this.extractor.windowLengthNs;
    const flow: FlowKey = {
      eaxc: id.eaxc,
      du_port: id.duPort,
      band_sector: id.bandSector,
      cc: id.cc,
      ru_port: id.ruPort,
    };
    if (id.duMac !== undefined) flow.src_mac = id.duMac;
    if (id.ruMac !== undefined) flow.dst_mac = id.ruMac;
    if (id.vlan !== undefined) flow.vlan = id.vlan;
    const text = standOut.map((f) => `${f.feature} ${f.value} vs ${f.baseline_median} (z ${f.z})`).join(', ');
    ctx.report({
      type: 'window_stat_outlier',
      source: 'fronthaul',
      // statistical outliers start minor and rise with confidence (anomalies.md §Severity)
      severity: v.agree >= 4 ? 'major' : 'minor',
      confidence: outlierConfidence(v.agree, baselineWindows, this.s.minWindows),
      tsNs: row.firstTsNs,
      packetIndex: row.firstIndex,
      packetCount: Math.max(1, row.packets),
      endTsNs: row.lastTsNs > row.firstTsNs ? row.lastTsNs : row.firstTsNs,
      flow,
      aggregationKey: `window_stat_outlier|${id.key}`,
      burstGapNs: windowNs,
      description: `${this.s.windowMs} ms window of DU ${id.duMac ?? '?'} ↔ RU ${id.ruMac ?? '?'} eAxC ${id.eaxc} is a statistical outlier (${v.agree}/4 models): ${text}`,
      evidence: {
        window_start: isoNs(row.startNs),
        window_end: isoNs(row.startNs + windowNs),
        window_ms: this.s.windowMs,
        unit: id.key,
        packets: row.packets,
        models_agreeing: v.agree,
        baseline_windows: baselineWindows,
        min_votes: this.s.minVotes,
        max_feature_z: round(v.maxZ),
        min_feature_z: this.s.minZ,
        features: standOut,
        models,
        baseline,
      },
    });
  }
}

interface Verdict {
  flagged: boolean;
  agree: number;
  scores: number[];
  votes: boolean[];
  boundaries: number[];
  z: Float64Array;
  scaler: RobustScaler;
  maxZ: number;
}

/**
 * Confidence of a statistical outlier (anomalies.md §Confidence): the share of the four models that agree,
 * scaled by how well the baseline is sampled — full from 4 × min_windows baseline windows, half at the
 * minimum. A 4-of-4 verdict against the smallest allowed baseline is therefore 0.5, never 1.
 */
export function outlierConfidence(agree: number, baselineWindows: number, minWindows: number): number {
  const sample = Math.min(1, 0.5 + (0.5 * Math.max(0, baselineWindows - minWindows)) / Math.max(1, 3 * minWindows));
  return Math.round((agree / MODEL_NAMES.length) * sample * 1000) / 1000;
}

/** A feature without a value in the window (NaN) is neutral: z 0. */
function imputeZ(z: Float64Array): Float64Array {
  for (let j = 0; j < z.length; j++) if (!Number.isFinite(z[j]!)) z[j] = 0;
  return z;
}

function round(v: number): number {
  return Number.isFinite(v) ? Number(v.toPrecision(5)) : v;
}

/**
 * The detector definition with site-model plumbing: `siteModel` in, `onSiteModel` out. The registered
 * {@link windowStatOutlierDetector} has none (capture baseline) unless the profile object it is created
 * with was bound with {@link bindSiteModel}.
 */
export function createWindowStatOutlierDefinition(options: WindowStatOutlierOptions = {}): DetectorDefinition {
  return {
    name: 'window_stat_outlier',
    types: ['window_stat_outlier'],
    thresholds: WINDOW_STAT_OUTLIER_THRESHOLDS,
    reference:
      'anomalies.md window_stat_outlier (unsupervised ensemble: Isolation Forest, LOF, MCD-like robust covariance, KDE)',
    create: ({ profile, thresholds }) => {
      const bound = profile !== undefined ? SITE_BINDINGS.get(profile) : undefined;
      return new WindowStatOutlierDetector(profile, thresholds, bound ?? options);
    },
  };
}

const SITE_BINDINGS = new WeakMap<object, WindowStatOutlierOptions>();

/**
 * Binds site-model plumbing to one profile object: the registered detector created with exactly this
 * object (the pipeline passes the profile through unchanged) uses `options`. This is how the pipeline's
 * site-model glue reaches the detector without a change to the framework's `create` context; bind a fresh
 * copy of the profile per file.
 */
export function bindSiteModel(profile: Profile, options: WindowStatOutlierOptions): void {
  SITE_BINDINGS.set(profile, options);
}

export const windowStatOutlierDetector: DetectorDefinition = createWindowStatOutlierDefinition();
