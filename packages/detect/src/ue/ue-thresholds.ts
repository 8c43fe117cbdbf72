import type { DetectorDefinition, ResolvedThresholds } from '../framework/detector.js';
import { ThresholdRegistry } from '../framework/thresholds.js';
import { UE_EVENT_TYPES, ueEventDefinition } from './events/ue-event-thresholds.js';
import { UE_LINK_TYPES, ueLinkDefinition } from './ue-link-thresholds.js';

/** The UE serving-cell anomaly types this module reports (anomalies.md §UE side). */
export const UE_SERVING_CELL_TYPES = ['rsrp_drop', 'sinr_drop', 'rsrp_low', 'rx_imbalance'] as const;

/**
 * Documented options of the serving-cell detectors (profile `thresholds.<type>.<option>`). The detection
 * runs over decoded DIAG measurements ({@link UeServingCellDetection}), not in the fronthaul stage, so
 * `create` gives a detector with no packet hooks.
 */
export const ueServingCellDefinition: DetectorDefinition = {
  name: 'ue/serving-cell',
  types: UE_SERVING_CELL_TYPES,
  reference: 'anomalies.md §UE side; TS 36.133 §9.1 (RSRP/RSRQ measurement), TS 38.133',
  thresholds: {
    rsrp_drop: [
      {
        name: 'min_drop_db',
        default: 10,
        unit: 'dB',
        description: 'RSRP fall that triggers, from the best value inside the window',
        min: 0,
      },
      { name: 'window_ms', default: 500, unit: 'ms', description: 'how fast the fall must happen', min: 1 },
    ],
    sinr_drop: [
      {
        name: 'min_drop_db',
        default: 10,
        unit: 'dB',
        description: 'SINR fall that triggers, from the best value inside the window',
        min: 0,
      },
      { name: 'window_ms', default: 500, unit: 'ms', description: 'how fast the fall must happen', min: 1 },
    ],
    rsrp_low: [
      { name: 'max_rsrp_dbm', default: -115, unit: 'dBm', description: 'serving-cell RSRP below this is low' },
      { name: 'min_duration_ms', default: 1000, unit: 'ms', description: 'how long it must stay low', min: 0 },
    ],
    rx_imbalance: [
      { name: 'min_delta_db', default: 6, unit: 'dB', description: 'RSRP difference between receive chains', min: 0 },
      { name: 'min_duration_ms', default: 1000, unit: 'ms', description: 'how long the difference must last', min: 0 },
    ],
  },
  create: () => ({ finish: () => undefined }),
};

/** The UE thresholds (serving-cell, link and event log detectors): defaults overridden by the profile's entries of these types. */
export function resolveUeThresholds(
  overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined,
): ResolvedThresholds {
  const mine: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const t of [...UE_SERVING_CELL_TYPES, ...UE_LINK_TYPES, ...UE_EVENT_TYPES])
    if (overrides?.[t]) mine[t] = overrides[t];
  return new ThresholdRegistry([ueServingCellDefinition, ueLinkDefinition, ueEventDefinition]).resolve(mine);
}

/** `radio_link_failure` (RRC re-establishment) and `out_of_sync` (RLM reports): no options ("any"). */
export const ueRrcDefinition: DetectorDefinition = {
  name: 'ue/radio-link',
  types: ['radio_link_failure', 'out_of_sync'],
  reference: 'TS 36.331 §5.3.7 (RRC connection re-establishment), §5.3.11 (radio link failure); TS 36.133 §7.6 (RLM)',
  thresholds: {},
  create: () => ({ finish: () => undefined }),
};
