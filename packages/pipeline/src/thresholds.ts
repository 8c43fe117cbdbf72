import {
  DETECTORS,
  linuxptpDefinition,
  listThresholds,
  ueEventDefinition,
  ueLinkDefinition,
  ueRrcDefinition,
  ueServingCellDefinition,
  validateThresholds,
  type ThresholdListing,
} from '@l1t/detect';
import type { Profile } from '@l1t/contracts';

/**
 * The detectors' threshold options as the CLI and the server see them (interfaces.md §Analysis profile:
 * `thresholds` overrides detector defaults; unknown keys are an error that names the key).
 */
export type { ThresholdListing };

/** The fronthaul/timing detectors and the UE serving-cell detectors of DIAG logs. */
const ALL_DEFINITIONS = [
  ...DETECTORS,
  ueServingCellDefinition,
  ueRrcDefinition,
  ueLinkDefinition,
  ueEventDefinition,
  linuxptpDefinition,
];

/** Every documented option of every registered detector (`l1t analyze --list-thresholds`). */
export function thresholdListing(): ThresholdListing[] {
  return listThresholds(ALL_DEFINITIONS);
}

/**
 * Checks a profile's `thresholds` against the registered detectors; throws an Error whose message names
 * the key, e.g. `thresholds.iq_zero.min_zero_ratio: unknown option (known: min_zero_prb_ratio, min_slots)`.
 */
export function checkProfileThresholds(profile: Profile | undefined): void {
  if (profile?.thresholds !== undefined) validateThresholds(profile.thresholds, ALL_DEFINITIONS);
}
