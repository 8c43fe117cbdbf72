import type { CaptureRecordInput } from './capture-writer.js';
import { concatBytes } from './capture-writer.js';
import type { PcapWriterOptions } from './pcap-writer.js';
import { createPcapWriter } from './pcap-writer.js';
import type { PcapngWriterOptions } from './pcapng-writer.js';
import { createPcapngWriter } from './pcapng-writer.js';

export type WriteCaptureOptions =
  ({ format: 'pcapng' } & PcapngWriterOptions) | ({ format: 'pcap' } & PcapWriterOptions);

/**
 * A whole (small) capture in one buffer, e.g. the packets around an anomaly exported as pcapng for
 * Wireshark. For large outputs use the writers' `header()` / `record()` and stream the chunks.
 */
export function writeCapture(
  records: Iterable<CaptureRecordInput>,
  options: WriteCaptureOptions = { format: 'pcapng' },
): Uint8Array {
  const writer = options.format === 'pcap' ? createPcapWriter(options) : createPcapngWriter(options);
  const chunks = [writer.header()];
  for (const r of records) chunks.push(writer.record(r));
  return concatBytes(chunks);
}
