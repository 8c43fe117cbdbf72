import type { DetectorDefinition } from '../../framework/detector.js';

/** Anomaly types of UE event text logs (anomalies.md §UE side). */
export const UE_EVENT_TYPES = ['attach_failure', 'abnormal_detach', 'attach_storm', 'ue_behaviour_outlier'] as const;

/** Documented options of the UE event log detectors (profile `thresholds.<type>.<option>`). */
export const ueEventDefinition: DetectorDefinition = {
  name: 'ue/events',
  types: UE_EVENT_TYPES,
  reference: 'anomalies.md §UE side (UE event text logs); TS 24.301 §5.5.1 (attach), §5.5.2 (detach)',
  thresholds: {
    attach_failure: [
      {
        name: 'burst_gap_s',
        default: 60,
        unit: 's',
        min: 0,
        description: 'failed attaches of one UE closer than this are one finding',
      },
    ],
    abnormal_detach: [
      {
        name: 'network_forced',
        default: true,
        description: 'also report network-forced detaches (not only abnormal ones)',
      },
      {
        name: 'burst_gap_s',
        default: 60,
        unit: 's',
        min: 0,
        description: 'abnormal detaches of one UE closer than this are one finding',
      },
    ],
    attach_storm: [
      {
        name: 'max_attaches',
        default: 10,
        unit: 'attaches',
        min: 1,
        description: 'attach attempts of one UE within the window above which it is a storm',
      },
      { name: 'window_s', default: 3600, unit: 's', min: 1, description: 'sliding window of the count' },
    ],
    ue_behaviour_outlier: [
      { name: 'min_ues', default: 8, unit: 'UEs', min: 4, description: 'UEs a log needs before UEs are compared' },
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
        description: 'at least one feature must be this many robust σ from the UEs’ median',
      },
      {
        name: 'boundary_k',
        default: 6,
        unit: 'robust σ',
        min: 1,
        max: 100,
        description: 'each model votes when its score exceeds median + k·σ of the UEs’ scores',
      },
      { name: 'seed', default: 1, min: 0, max: 2 ** 31, description: 'seed of the Isolation Forest' },
    ],
  },
  create: () => ({ finish: () => undefined }),
};
