import { SeededRandom } from './prng.js';
import { FEATURE_COUNT, WINDOW_FEATURES } from './window-features.js';

/**
 * The serialisable per-site state of `window_stat_outlier` (kept in the metadata store by the pipeline,
 * key `site_model:<site>:window_stat_outlier`). It holds, per DU↔RU unit, a baseline sample of healthy
 * window rows (raw feature values) from which the scaler and the four models are refitted
 * deterministically (seed) when a file is analysed: instance-based models (LOF, KDE) need the points
 * anyway, and a sample of rows stays valid when the model code improves. Windows of the files analysed
 * since the last refit wait in `pending` (a reservoir sample); after `refitEvery` files (default 10)
 * `pending` becomes the new baseline. A unit without a baseline takes its first file's rows at once.
 *
 * Size is bounded: at most {@link MAX_SITE_ROWS} rows per unit and list, {@link MAX_SITE_UNITS} units
 * (the least recently seen go first).
 */
export const SITE_MODEL_KIND = 'window_stat_outlier';
export const SITE_MODEL_VERSION = 1;
export const MAX_SITE_ROWS = 512;
export const MAX_SITE_UNITS = 64;
export const DEFAULT_REFIT_EVERY = 10;

export interface SiteUnitModel {
  /** Baseline rows (raw features, {@link WINDOW_FEATURES} order; null = no value); empty before the first fit. */
  baseline: (number | null)[][];
  /** Files the baseline was built from. */
  trainedOnFiles: number;
  /** Reservoir of healthy rows since the last refit and how many rows it has seen. */
  pending: (number | null)[][];
  pendingSeen: number;
  /** Files counter when this unit was last seen (for eviction). */
  lastSeenFile: number;
}

export interface WindowSiteModel {
  kind: typeof SITE_MODEL_KIND;
  version: typeof SITE_MODEL_VERSION;
  features: string[];
  windowMs: number;
  refitEvery: number;
  /** Files folded into this model so far, and since the last refit. */
  filesSeen: number;
  filesSinceRefit: number;
  /** ISO time of the last refit. */
  refittedAt: string | null;
  units: Record<string, SiteUnitModel>;
}

export function emptySiteModel(windowMs: number, refitEvery = DEFAULT_REFIT_EVERY): WindowSiteModel {
  return {
    kind: SITE_MODEL_KIND,
    version: SITE_MODEL_VERSION,
    features: [...WINDOW_FEATURES],
    windowMs,
    refitEvery,
    filesSeen: 0,
    filesSinceRefit: 0,
    refittedAt: null,
    units: {},
  };
}

/**
 * Checks a stored value before use: anything that is not a model of this kind, version, feature list and
 * window length is ignored (undefined), so a model from older code or another window length never
 * silently compares apples with oranges.
 */
export function parseSiteModel(value: unknown, windowMs: number): WindowSiteModel | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  const m = value as Partial<WindowSiteModel>;
  if (m.kind !== SITE_MODEL_KIND || m.version !== SITE_MODEL_VERSION || m.windowMs !== windowMs) return undefined;
  if (!Array.isArray(m.features) || m.features.join(',') !== WINDOW_FEATURES.join(',')) return undefined;
  if (typeof m.units !== 'object' || m.units === null) return undefined;
  for (const u of Object.values(m.units)) {
    if (!Array.isArray(u?.baseline) || !Array.isArray(u.pending)) return undefined;
    if (![...u.baseline, ...u.pending].every((r) => Array.isArray(r) && r.length === FEATURE_COUNT)) return undefined;
  }
  return m as WindowSiteModel;
}

/** Rows as stored (NaN ↔ null, 6 significant digits: the JSON stays small). */
export function encodeRow(row: ArrayLike<number>): (number | null)[] {
  return Array.from(row, (v) => (Number.isFinite(v) ? Number(v.toPrecision(6)) : null));
}

export function decodeRow(row: readonly (number | null)[]): Float64Array {
  return Float64Array.from(row, (v) => (v === null ? NaN : v));
}

/** Baseline rows of a unit when there are at least `minRows`. */
export function siteBaseline(
  model: WindowSiteModel | undefined,
  unitKey: string,
  minRows: number,
): Float64Array[] | undefined {
  const u = model?.units[unitKey];
  if (u === undefined || u.baseline.length < minRows) return undefined;
  return u.baseline.map(decodeRow);
}

/**
 * Folds one analysed file into a copy of the model: its healthy rows per unit go to the reservoir, and the
 * model is refitted (pending → baseline) every `refitEvery` files or when a unit has no baseline yet.
 * Deterministic for a seed.
 */
export function updateSiteModel(
  prior: WindowSiteModel | undefined,
  healthy: ReadonlyMap<string, readonly ArrayLike<number>[]>,
  options: { windowMs: number; refitEvery: number; seed: number; now: string },
): WindowSiteModel {
  const m: WindowSiteModel = prior ? structuredCloneModel(prior) : emptySiteModel(options.windowMs, options.refitEvery);
  m.refitEvery = options.refitEvery;
  m.filesSeen++;
  m.filesSinceRefit++;
  for (const [key, rows] of healthy) {
    const u = (m.units[key] ??= { baseline: [], trainedOnFiles: 0, pending: [], pendingSeen: 0, lastSeenFile: 0 });
    u.lastSeenFile = m.filesSeen;
    const rnd = new SeededRandom(options.seed ^ hash(key) ^ u.pendingSeen);
    for (const r of rows) {
      u.pendingSeen++;
      if (u.pending.length < MAX_SITE_ROWS) u.pending.push(encodeRow(r));
      else {
        const j = rnd.int(u.pendingSeen);
        if (j < MAX_SITE_ROWS) u.pending[j] = encodeRow(r);
      }
    }
  }
  const refitAll = m.filesSinceRefit >= m.refitEvery;
  let refitted = false;
  for (const u of Object.values(m.units)) {
    if (u.pending.length === 0) continue;
    if (refitAll) {
      u.baseline = u.pending;
      u.trainedOnFiles = m.filesSinceRefit;
      u.pending = [];
      u.pendingSeen = 0;
      refitted = true;
    } else if (u.baseline.length === 0) {
      // bootstrap: the first file's rows are the baseline until the first regular refit (they stay pending)
      u.baseline = u.pending.map((r) => [...r]);
      u.trainedOnFiles = 1;
      refitted = true;
    }
  }
  if (refitAll) m.filesSinceRefit = 0;
  if (refitted) m.refittedAt = options.now;
  const keys = Object.keys(m.units);
  if (keys.length > MAX_SITE_UNITS) {
    keys.sort((a, b) => m.units[a]!.lastSeenFile - m.units[b]!.lastSeenFile || (a < b ? -1 : 1));
    for (const k of keys.slice(0, keys.length - MAX_SITE_UNITS)) delete m.units[k];
  }
  return m;
}

function structuredCloneModel(m: WindowSiteModel): WindowSiteModel {
  return JSON.parse(JSON.stringify(m)) as WindowSiteModel;
}

function hash(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}
