export * from './capture-records.js';
export { createCaptureReader, readCaptureRecords } from './create-capture-reader.js';
export { PCAP_MAX_STANDARD_CAPLEN, PcapReader } from './pcap-reader.js';
export { PCAPNG_BYTE_ORDER_MAGIC, PCAPNG_SHB, PcapngReader } from './pcapng-reader.js';
