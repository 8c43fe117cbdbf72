export { LinuxptpDetection, type LinuxptpDetectionResult } from './linuxptp-detection.js';
export {
  LINUXPTP_TYPES,
  linuxptpDefinition,
  resolveLinuxptpThresholds,
  type LinuxptpThresholds,
} from './linuxptp-thresholds.js';
export { LOG_TIME_BASIS } from './linuxptp-finding.js';
