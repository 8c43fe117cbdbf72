export { OranMessage, UplaneSection, CplaneSection, CplaneExtension, Inferred } from './oran-message.js';
export { decodeOran } from './oran-decoder.js';
export { decodeUplaneSections, UplaneFormatCache, type UplaneFormat } from './uplane.js';
export { decodeCplaneBody } from './cplane.js';
export { decodeExtensions } from './extensions.js';
export { decodePrbIq, prbIqBytes, PrbIqResult, INV_FULL_SCALE_PRB_POWER } from './iq.js';
export { sectionPrbSums } from './prb-sums.js';
export { splitEaxc, type EaxcParts } from './eaxc.js';
