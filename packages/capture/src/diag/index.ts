export * from './diag-time.js';
export * from './diag-packet.js';
export * from './diag-stream-reader.js';
export * from './dlf-reader.js';
export * from './diag-log-reader.js';
export * from './decoders/diag-decoder.js';
export * from './decoders/registry.js';
export { LTE_ML1_SCELL_MEAS_RESPONSE } from './decoders/lte-ml1-scell-meas-response.js';
export { LTE_RRC_OTA } from './decoders/lte-rrc-ota.js';
