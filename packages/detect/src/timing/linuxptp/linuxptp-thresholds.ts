import type { DetectorDefinition, ResolvedThresholds } from '../../framework/detector.js';
import { numberOption, ThresholdRegistry } from '../../framework/thresholds.js';
import { ptpTimeErrorDetector } from '../ptp-time-error.js';

/** Types only a linuxptp log gives (the log also gives ptp_time_error, ptp_gm_change, ptp_announce_timeout). */
export const LINUXPTP_TYPES = ['ptp_servo_unlocked', 'ptp_port_fault', 'ptp_path_delay_jump'] as const;

/**
 * Options of the linuxptp log detectors (profile `thresholds.<type>.<option>`). They run over parsed log
 * lines ({@link LinuxptpDetection}), not in the fronthaul stage, so `create` gives a detector with no hooks.
 * Servo offsets are judged against `ptp_time_error.max_abs_offset_ns`, the capture detector's option.
 */
export const linuxptpDefinition: DetectorDefinition = {
  name: 'timing/linuxptp-log',
  types: LINUXPTP_TYPES,
  reference:
    'linuxptp ptp4l/phc2sys/ts2phc logs (servo.h states, port.c transitions, clockcheck.c); IEEE 1588-2019 §9.2',
  thresholds: {
    ptp_path_delay_jump: [
      {
        name: 'min_jump_ns',
        default: 100,
        unit: 'ns',
        description:
          'change of the mean path delay level (median of the 8 samples after against the 8 before) that is reported',
        min: 0,
      },
      {
        name: 'noise_factor',
        default: 6,
        unit: 'x',
        description:
          'the change must also exceed this many robust standard deviations (1.4826·MAD) of the samples before it',
        min: 0,
      },
    ],
    ptp_servo_unlocked: [
      {
        name: 'max_acquisition_s',
        default: 120,
        unit: 's',
        description: 'a servo that has not locked (s2) this long after its first sample is reported as never locking',
        min: 0,
      },
    ],
  },
  create: () => ({ finish: () => undefined }),
};

export interface LinuxptpThresholds {
  maxAbsOffsetNs: number;
  minJumpNs: number;
  noiseFactor: number;
  maxAcquisitionS: number;
}

export function resolveLinuxptpThresholds(
  overrides: Readonly<Record<string, Readonly<Record<string, unknown>>>> | undefined,
): LinuxptpThresholds {
  const mine: Record<string, Readonly<Record<string, unknown>>> = {};
  for (const t of [...LINUXPTP_TYPES, 'ptp_time_error']) if (overrides?.[t]) mine[t] = overrides[t];
  const r: ResolvedThresholds = new ThresholdRegistry([linuxptpDefinition, ptpTimeErrorDetector]).resolve(mine);
  return {
    maxAbsOffsetNs: numberOption(r, 'ptp_time_error', 'max_abs_offset_ns', 1100),
    minJumpNs: numberOption(r, 'ptp_path_delay_jump', 'min_jump_ns', 100),
    noiseFactor: numberOption(r, 'ptp_path_delay_jump', 'noise_factor', 6),
    maxAcquisitionS: numberOption(r, 'ptp_servo_unlocked', 'max_acquisition_s', 120),
  };
}
