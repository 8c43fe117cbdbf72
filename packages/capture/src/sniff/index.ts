export { crc16X25, hdlcFrameVerifies } from './crc16-x25.js';
export { SNIFF_HEAD_BYTES, sniffFormat, type SniffResult, type SniffedFormat } from './sniff-format.js';
