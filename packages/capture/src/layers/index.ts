export { formatIp, formatIpv4, formatIpv6, formatMac } from './format-address.js';
export * from './link-layers.js';
export * from './link-types.js';
export { parseLinkLayers } from './parse-link-layers.js';
