export { ByteCursor, readU16, readU16BE, readU32, type ByteOrder } from './byte-cursor.js';
export { CaptureFormatError, CaptureTruncatedError, hex32 } from './capture-errors.js';
export { decodeUtf8 } from './utf8.js';
