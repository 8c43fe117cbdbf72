import type { CaptureFormat, CaptureReader, CaptureReaderOptions, CaptureRecord } from './capture-records.js';
import { PcapReader } from './pcap-reader.js';
import { PcapngReader } from './pcapng-reader.js';

/** A streaming reader for `format` (see {@link CaptureReader} for the push/pull contract). */
export function createCaptureReader(format: CaptureFormat, options?: CaptureReaderOptions): CaptureReader {
  return format === 'pcap' ? new PcapReader(options) : new PcapngReader(options);
}

/**
 * Every record of a capture held in memory, in order. Records follow the reader's reuse rule: pass
 * `{ copyData: true }` to keep them. Throws like {@link CaptureReader.next} (after yielding every
 * complete record).
 */
export function* readCaptureRecords(
  bytes: Uint8Array,
  format: CaptureFormat,
  options?: CaptureReaderOptions,
): Generator<CaptureRecord, void, undefined> {
  const reader = createCaptureReader(format, options);
  reader.append(bytes);
  reader.end();
  for (let rec = reader.next(); rec !== undefined; rec = reader.next()) yield rec;
}
