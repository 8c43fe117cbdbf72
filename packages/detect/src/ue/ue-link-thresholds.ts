import type { DetectorDefinition } from '../framework/detector.js';

/** The UE link anomaly types of the DIAG log detectors in this folder (anomalies.md §UE side). */
export const UE_LINK_TYPES = [
  'bler_high',
  'harq_failure',
  'beam_failure',
  'rach_failure',
  'ul_power_limited',
  'timing_advance_jump',
] as const;

/**
 * Documented options of the UE link detectors (profile `thresholds.<type>.<option>`, listed by
 * `l1t analyze --list-thresholds`). Defaults are anomalies.md's triggers. Like the serving-cell
 * definition, detection runs over decoded DIAG records, not in the fronthaul stage.
 */
export const ueLinkDefinition: DetectorDefinition = {
  name: 'ue/link',
  types: UE_LINK_TYPES,
  reference:
    'anomalies.md §UE side; TS 36.213 §7.2.3 / TS 38.214 §5.2.2.1 (BLER target), TS 38.321 §5.1 (RACH), §5.4.2 (HARQ), §5.17 (beam failure), TS 38.213 §4.2 (TA), §7.1 (PUSCH power)',
  thresholds: {
    bler_high: [
      {
        name: 'max_bler',
        default: 0.1,
        unit: 'ratio',
        min: 0,
        max: 1,
        description: 'share of initial transmissions NACKed in a window above which BLER is high',
      },
      {
        name: 'min_tbs',
        default: 100,
        unit: 'TBs',
        min: 1,
        description: 'initial transmissions a window needs before its BLER is judged',
      },
      {
        name: 'window_ms',
        default: 1000,
        unit: 'ms',
        min: 10,
        description: 'length of a BLER window (per cell; it slides by a tenth of its length)',
      },
    ],
    harq_failure: [
      {
        name: 'max_transmissions',
        default: 4,
        unit: 'transmissions',
        min: 1,
        description:
          'a NACK on this transmission of a TB is max retransmissions reached (logs with no HARQ-failure field)',
      },
      {
        name: 'min_consecutive_nack',
        default: 5,
        unit: 'TBs',
        min: 1,
        description: 'consecutive NACKed TBs of one cell that are a NACK burst',
      },
    ],
    ul_power_limited: [
      {
        name: 'headroom_db',
        default: 1,
        unit: 'dB',
        min: 0,
        description: 'power headroom (Pcmax − PUSCH power) at or below this counts as at Pcmax',
      },
      {
        name: 'min_limited_ratio',
        default: 0.8,
        unit: 'ratio',
        min: 0,
        max: 1,
        description: 'share of a window’s PUSCH transmissions at Pcmax that makes it power limited',
      },
      {
        name: 'min_ul_bler',
        default: 0.1,
        unit: 'ratio',
        min: 0,
        max: 1,
        description: 'UL BLER (share of PUSCH retransmissions) the window must also reach, when the log gives it',
      },
      {
        name: 'window_ms',
        default: 1000,
        unit: 'ms',
        min: 10,
        description: 'length of a window (per cell; it slides by a tenth of its length)',
      },
      {
        name: 'min_samples',
        default: 10,
        unit: 'transmissions',
        min: 1,
        description: 'PUSCH transmissions a window needs before it is judged',
      },
    ],
    timing_advance_jump: [
      {
        name: 'max_delta_ta',
        default: 16,
        unit: 'TA units',
        min: 0,
        description: 'change of the timing advance between two updates above which it is a jump',
      },
    ],
    beam_failure: [],
    rach_failure: [],
  },
  create: () => ({ finish: () => undefined }),
};
