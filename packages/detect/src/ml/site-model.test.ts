import { describe, expect, it } from 'vitest';
import {
  MAX_SITE_ROWS,
  MAX_SITE_UNITS,
  decodeRow,
  emptySiteModel,
  encodeRow,
  parseSiteModel,
  siteBaseline,
  updateSiteModel,
  type WindowSiteModel,
} from './site-model.js';
import { FEATURE_COUNT } from './window-features.js';

const row = (v: number): Float64Array =>
  Float64Array.from({ length: FEATURE_COUNT }, (_, j) => (j === 5 ? NaN : v + j / 3));
const opts = { windowMs: 100, refitEvery: 3, seed: 1, now: '2026-11-26T00:00:00.000Z' };

function fold(model: WindowSiteModel | undefined, rows: Float64Array[], key = 'du|ru|100|0'): WindowSiteModel {
  return updateSiteModel(model, new Map([[key, rows]]), opts);
}

describe('window_stat_outlier site model', () => {
  it('survives a JSON round trip: missing values as null, 6 significant digits', () => {
    const m = fold(undefined, [row(1), row(2)]);
    const back = parseSiteModel(JSON.parse(JSON.stringify(m)), 100)!;
    expect(back).toEqual(m);
    const rows = siteBaseline(back, 'du|ru|100|0', 2)!;
    expect(rows).toHaveLength(2);
    expect(Number.isNaN(rows[0]![5]!)).toBe(true);
    expect(rows[1]![1]).toBeCloseTo(2 + 1 / 3, 5);
    expect(encodeRow([1 / 3, NaN, Infinity])).toEqual([0.333333, null, null]);
    expect(Array.from(decodeRow([1, null]))).toEqual([1, NaN]);
  });

  it('refuses models of another kind, version, feature list or window length', () => {
    const m = fold(undefined, [row(1)]);
    expect(parseSiteModel(m, 200)).toBeUndefined();
    expect(parseSiteModel({ ...m, version: 2 }, 100)).toBeUndefined();
    expect(parseSiteModel({ ...m, features: ['x'] }, 100)).toBeUndefined();
    expect(parseSiteModel({ ...m, units: { u: { baseline: [[1, 2]], pending: [] } } }, 100)).toBeUndefined();
    expect(parseSiteModel('nonsense', 100)).toBeUndefined();
  });

  it('bootstraps from the first file and refits from the pending rows every N files', () => {
    let m = fold(undefined, [row(1)]);
    expect(m.units['du|ru|100|0']!.baseline).toHaveLength(1);
    expect(m.refittedAt).toBe(opts.now);
    m = fold(m, [row(2)]);
    expect(m.units['du|ru|100|0']!.baseline).toHaveLength(1);
    expect(m.units['du|ru|100|0']!.pending).toHaveLength(2);
    m = fold(m, [row(3)]);
    const u = m.units['du|ru|100|0']!;
    expect(m.filesSeen).toBe(3);
    expect(m.filesSinceRefit).toBe(0);
    expect(u.baseline).toHaveLength(3);
    expect(u.trainedOnFiles).toBe(3);
    expect(u.pending).toHaveLength(0);
  });

  it('stays bounded: a reservoir of rows per unit and the most recently seen units', () => {
    const many = Array.from({ length: 3 * MAX_SITE_ROWS }, (_, i) => row(i));
    const m = fold(emptySiteModel(100), many);
    expect(m.units['du|ru|100|0']!.pending).toHaveLength(MAX_SITE_ROWS);
    // deterministic for the seed
    expect(fold(emptySiteModel(100), many)).toEqual(m);
    let w: WindowSiteModel | undefined;
    for (let i = 0; i < MAX_SITE_UNITS + 5; i++) w = fold(w, [row(i)], `unit-${i}`);
    expect(Object.keys(w!.units)).toHaveLength(MAX_SITE_UNITS);
    expect(w!.units['unit-0']).toBeUndefined();
    expect(w!.units[`unit-${MAX_SITE_UNITS + 4}`]).toBeDefined();
  });
});
