import type { DetectorDefinition, ResolvedThresholds, ThresholdOption } from './detector.js';

/** One row of `l1t analyze --list-thresholds`. */
export interface ThresholdListing {
  type: string;
  option: string;
  default: number | boolean | string;
  unit: string | undefined;
  description: string;
  /** Detector module that owns the option. */
  detector: string;
}

/** A profile's `thresholds` section that names an unknown anomaly type or option, or a value of the wrong kind. */
export class ThresholdError extends Error {
  constructor(
    /** The offending key path, e.g. `thresholds.iq_zero.min_zero_ratio`. */
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
    this.name = 'ThresholdError';
  }
}

interface RegisteredOption extends ThresholdOption {
  detector: string;
}

/**
 * The documented threshold options of a set of detector definitions, per anomaly type. Every type a
 * definition reports is known (with or without options); two definitions may not document the same
 * option of the same type.
 */
export class ThresholdRegistry {
  private readonly byType = new Map<string, RegisteredOption[]>();

  constructor(definitions: readonly DetectorDefinition[], extraTypes: readonly string[] = []) {
    for (const t of extraTypes) if (!this.byType.has(t)) this.byType.set(t, []);
    for (const def of definitions) {
      for (const t of def.types) if (!this.byType.has(t)) this.byType.set(t, []);
      for (const [type, options] of Object.entries(def.thresholds)) {
        let list = this.byType.get(type);
        if (list === undefined) {
          list = [];
          this.byType.set(type, list);
        }
        for (const o of options) {
          const clash = list.find((x) => x.name === o.name);
          if (clash) {
            throw new Error(`threshold ${type}.${o.name} is documented by both ${clash.detector} and ${def.name}`);
          }
          list.push({ ...o, detector: def.name });
        }
      }
    }
  }

  /** Anomaly types known to the registry, sorted. */
  types(): string[] {
    return [...this.byType.keys()].sort();
  }

  /**
   * Defaults overridden by the profile's `thresholds` section. Throws {@link ThresholdError} naming the key
   * for an unknown type, an unknown option (listing the known ones) or a value of the wrong kind.
   */
  resolve(overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined): ResolvedThresholds {
    if (overrides !== undefined) this.validate(overrides);
    const out: Record<string, Record<string, number | boolean | string>> = {};
    for (const [type, options] of this.byType) {
      const values: Record<string, number | boolean | string> = {};
      for (const o of options) values[o.name] = o.default;
      const given = overrides?.[type];
      if (given) for (const [k, v] of Object.entries(given)) values[k] = v as number | boolean | string;
      out[type] = Object.freeze(values);
    }
    return Object.freeze(out);
  }

  /** Checks a profile's `thresholds` section without resolving it. */
  validate(overrides: unknown): void {
    if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) {
      throw new ThresholdError('thresholds', 'expected an object of anomaly types');
    }
    for (const [type, given] of Object.entries(overrides as Record<string, unknown>)) {
      const options = this.byType.get(type);
      if (options === undefined) {
        throw new ThresholdError(`thresholds.${type}`, 'unknown anomaly type (see l1t analyze --list-thresholds)');
      }
      if (given === null || typeof given !== 'object' || Array.isArray(given)) {
        throw new ThresholdError(`thresholds.${type}`, 'expected an object of options');
      }
      for (const [key, value] of Object.entries(given as Record<string, unknown>)) {
        const o = options.find((x) => x.name === key);
        const path = `thresholds.${type}.${key}`;
        if (o === undefined) {
          const known = options.map((x) => x.name).join(', ') || 'none';
          throw new ThresholdError(path, `unknown option (known: ${known})`);
        }
        const want = typeof o.default;
        if (typeof value !== want) throw new ThresholdError(path, `expected a ${want}, got ${JSON.stringify(value)}`);
        if (want === 'number') {
          const v = value as number;
          if (!Number.isFinite(v)) throw new ThresholdError(path, 'expected a finite number');
          if (o.min !== undefined && v < o.min) throw new ThresholdError(path, `must be at least ${o.min} (got ${v})`);
          if (o.max !== undefined && v > o.max) throw new ThresholdError(path, `must be at most ${o.max} (got ${v})`);
        }
      }
    }
  }

  /** Every option with its default, unit and description, sorted by type then option. */
  list(): ThresholdListing[] {
    const rows: ThresholdListing[] = [];
    for (const type of this.types()) {
      for (const o of this.byType.get(type)!) {
        rows.push({
          type,
          option: o.name,
          default: o.default,
          unit: o.unit,
          description: o.description,
          detector: o.detector,
        });
      }
    }
    return rows;
  }
}

/** Reads a numeric option of a resolved threshold set (falls back when the type or option is absent). */
export function numberOption(t: ResolvedThresholds, type: string, name: string, fallback: number): number {
  const v = t[type]?.[name];
  return typeof v === 'number' ? v : fallback;
}
