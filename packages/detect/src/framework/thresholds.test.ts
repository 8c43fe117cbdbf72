import { describe, expect, it } from 'vitest';
import type { DetectorDefinition } from './detector.js';
import { listThresholds, resolveThresholds } from './resolve-thresholds.js';
import { ThresholdError, ThresholdRegistry } from './thresholds.js';

const iqZero: DetectorDefinition = {
  name: 'iq-zero',
  types: ['iq_zero'],
  thresholds: {
    iq_zero: [
      { name: 'min_zero_prb_ratio', default: 0.5, unit: 'ratio', min: 0, max: 1, description: 'share of zero PRBs' },
      { name: 'min_slots', default: 10, unit: 'slots', description: 'consecutive slots' },
    ],
  },
  reference: '—',
  create: () => ({ onPacket() {}, finish() {} }),
};
const flagged: DetectorDefinition = {
  ...iqZero,
  name: 'flags',
  types: ['traffic_gap'],
  thresholds: { traffic_gap: [{ name: 'per_plane', default: true, description: 'per plane' }] },
};

describe('ThresholdRegistry', () => {
  const reg = new ThresholdRegistry([iqZero, flagged]);

  it('resolves defaults and merges the profile over them', () => {
    const t = reg.resolve({ iq_zero: { min_slots: 20 } });
    expect(t.iq_zero).toEqual({ min_zero_prb_ratio: 0.5, min_slots: 20 });
    expect(t.traffic_gap).toEqual({ per_plane: true });
    expect(Object.isFrozen(t) && Object.isFrozen(t.iq_zero)).toBe(true);
    expect(reg.resolve(undefined).iq_zero!.min_slots).toBe(10);
  });

  it('names an unknown option with the known ones', () => {
    expect(() => reg.resolve({ iq_zero: { min_zero_ratio: 0.4 } })).toThrow(
      'thresholds.iq_zero.min_zero_ratio: unknown option (known: min_zero_prb_ratio, min_slots)',
    );
    try {
      reg.resolve({ iq_zero: { min_zero_ratio: 0.4 } });
    } catch (err) {
      expect(err).toBeInstanceOf(ThresholdError);
      expect((err as ThresholdError).key).toBe('thresholds.iq_zero.min_zero_ratio');
    }
  });

  it('names an unknown anomaly type, a value of the wrong kind and one out of bounds', () => {
    expect(() => reg.resolve({ iq_zeros: {} })).toThrow('thresholds.iq_zeros: unknown anomaly type');
    expect(() => reg.resolve({ iq_zero: { min_slots: '10' } })).toThrow(
      'thresholds.iq_zero.min_slots: expected a number, got "10"',
    );
    expect(() => reg.resolve({ traffic_gap: { per_plane: 1 } })).toThrow(
      'thresholds.traffic_gap.per_plane: expected a boolean',
    );
    expect(() => reg.resolve({ iq_zero: { min_zero_prb_ratio: 1.5 } })).toThrow('must be at most 1');
    expect(() => reg.resolve({ iq_zero: { min_zero_prb_ratio: -0.1 } })).toThrow('must be at least 0');
    expect(() => reg.resolve({ iq_zero: { min_slots: Number.NaN } })).toThrow('expected a finite number');
    expect(() => reg.validate({ iq_zero: 3 })).toThrow('thresholds.iq_zero: expected an object of options');
    expect(() => reg.validate([])).toThrow('thresholds: expected an object');
  });

  it('refuses two detectors documenting the same option', () => {
    expect(() => new ThresholdRegistry([iqZero, { ...iqZero, name: 'other' }])).toThrow(
      'threshold iq_zero.min_zero_prb_ratio is documented by both iq-zero and other',
    );
  });

  it('lists every option sorted by type', () => {
    expect(reg.list().map((r) => `${r.type}.${r.option}=${String(r.default)} ${r.unit ?? ''}`)).toEqual([
      'iq_zero.min_zero_prb_ratio=0.5 ratio',
      'iq_zero.min_slots=10 slots',
      'traffic_gap.per_plane=true ',
    ]);
  });
});

describe('registered detectors', () => {
  it('resolve with defaults and list their documented options', () => {
    const t = resolveThresholds(undefined);
    expect(t.seq_reorder).toEqual({ horizon: 128 });
    expect(t.seq_gap).toEqual({ min_missing: 1 });
    expect(t.ecpri_malformed).toEqual({});
    const rows = listThresholds();
    expect(rows.length).toBeGreaterThanOrEqual(2);
    for (const r of rows) expect(r.description.length).toBeGreaterThan(10);
  });
});
