import { DETECTORS } from '../registry.js';
import type { DetectorDefinition, ResolvedThresholds } from './detector.js';
import { ThresholdRegistry, type ThresholdListing } from './thresholds.js';

/**
 * The profile's `thresholds` section merged over the defaults of every registered detector. Throws a
 * `ThresholdError` naming the key, e.g.
 * `thresholds.iq_zero.min_zero_ratio: unknown option (known: min_zero_prb_ratio, min_slots)`.
 */
export function resolveThresholds(
  overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined,
  definitions: readonly DetectorDefinition[] = DETECTORS,
): ResolvedThresholds {
  return new ThresholdRegistry(definitions).resolve(overrides);
}

/** Checks a profile's `thresholds` section (anything: it comes from JSON) against the registered detectors. */
export function validateThresholds(overrides: unknown, definitions: readonly DetectorDefinition[] = DETECTORS): void {
  new ThresholdRegistry(definitions).validate(overrides);
}

/** Rows of `l1t analyze --list-thresholds`: type, option, default, unit, description, detector. */
export function listThresholds(definitions: readonly DetectorDefinition[] = DETECTORS): ThresholdListing[] {
  return new ThresholdRegistry(definitions).list();
}
