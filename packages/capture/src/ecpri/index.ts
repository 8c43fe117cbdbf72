export {
  EcpriMessage,
  EcpriPdu,
  EcpriType,
  decodeEcpriMessage,
  ECPRI_ETHERTYPE,
  ECPRI_HEADER_LENGTH,
  type EcpriEventElement,
} from './ecpri-message.js';
