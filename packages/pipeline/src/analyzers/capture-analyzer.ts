import { CaptureFormatError, CaptureTruncatedError, createCaptureReader, type CaptureReader } from '@l1t/capture';
import { InputError, type AnalyzerContext, type AnalyzerOutput, type DecodeSummary, type FileAnalyzer } from '../analysis-types.js';

/**
 * Reads a pcap/pcapng capture record by record. Packet decoders and detectors plug in here (they see each
 * packet once, in file order); the container reader keeps memory bounded by one record.
 */
export class CaptureAnalyzer implements FileAnalyzer {
  private readonly reader: CaptureReader;
  private readonly summary: DecodeSummary = { records: 0, unknownRecords: 0, malformedRecords: 0, details: {} };
  private truncatedPackets = 0;
  private warning: string | undefined;
  private stopped = false;

  constructor(
    format: 'pcap' | 'pcapng',
    private readonly ctx: AnalyzerContext,
  ) {
    this.reader = createCaptureReader(format);
  }

  push(chunk: Uint8Array): void {
    if (this.stopped) return;
    this.reader.append(chunk);
    this.drain();
  }

  finish(): AnalyzerOutput {
    if (!this.stopped) {
      this.reader.end();
      this.drain();
    }
    const info = this.reader.fileInfo();
    this.summary.details = {
      ...this.summary.details,
      link_types: info?.linkTypes ?? [],
      link_type_supported: info?.linkTypeSupported ?? true,
      snaplen: info?.snapLen,
      sections: info?.sections.length ?? 0,
      interfaces: info?.interfaces.length ?? 0,
      snaplen_truncated_packets: this.truncatedPackets,
    };
    return { summary: this.summary, anomalies: [], metrics: [], ...(this.warning ? { warning: this.warning } : {}) };
  }

  private drain(): void {
    try {
      for (let rec = this.reader.next(); rec !== undefined; rec = this.reader.next()) {
        if (rec.kind === 'packet') {
          const s = this.summary;
          s.records++;
          if (s.firstTimestampNs === undefined) s.firstTimestampNs = rec.tsNs;
          s.lastTimestampNs = rec.tsNs;
          if (rec.truncated) this.truncatedPackets++;
        } else if (rec.kind === 'unknown') {
          this.summary.unknownRecords++;
        }
      }
    } catch (err) {
      this.stopped = true;
      if (!(err instanceof CaptureFormatError)) throw err;
      // Nothing readable at all: the container header is corrupt, the file cannot be analysed (exit 3).
      if (this.summary.records === 0 && !(err instanceof CaptureTruncatedError && err.byteOffset > 0)) {
        throw new InputError(this.ctx.fileName, err.byteOffset, `${err.recordType} ${err.reason}`);
      }
      // Everything before the fault is kept; the file is analysed up to it (interfaces.md: exit 0, warning).
      this.warning = `analysed up to offset ${err.byteOffset}: ${err.recordType} ${err.reason}`;
    }
  }
}
