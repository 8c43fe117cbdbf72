export {
  LINUXPTP_LOG_FAULT_TYPES,
  LINUXPTP_LOG_FAULT_WINDOW,
  parseLinuxptpLogFaultSpec,
  synthLinuxptpLog,
  type LinuxptpLogConfig,
  type LinuxptpLogFaultSpec,
  type LinuxptpLogFaultType,
  type LinuxptpLogLabel,
  type LinuxptpLogSynthResult,
} from './linuxptp-log-synth.js';
