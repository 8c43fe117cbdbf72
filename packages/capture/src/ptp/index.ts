export {
  PtpMessage,
  PtpMessageType,
  PtpFlags,
  decodePtp,
  ptpIdentityHex,
  PTP_ETHERTYPE,
  PTP_HEADER_LENGTH,
} from './ptp-message.js';
export { isReservedClockClass } from './ptp-clock-class.js';
