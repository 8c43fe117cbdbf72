import type { FileFormat } from '@l1t/contracts';
import type { AnalyzerOutput, DecodeSummary, FileAnalyzer } from '../analysis-types.js';

const HDLC_FLAG = 0x7e;
const LF = 0x0a;

/**
 * Counts the records of a UE log while the per-log-code decoders and UE detectors are built: HDLC frames
 * of a DIAG stream (0x7E-terminated), lines of a text log. Other DIAG containers report their size only.
 */
export class LogRecordCounter implements FileAnalyzer {
  private readonly summary: DecodeSummary = { records: 0, unknownRecords: 0, malformedRecords: 0, details: {} };
  private readonly delimiter: number | undefined;
  private pendingBytes = 0;

  constructor(private readonly format: FileFormat) {
    this.delimiter = format === 'diag_hdlc' ? HDLC_FLAG : format === 'text' ? LF : undefined;
  }

  push(chunk: Uint8Array): void {
    const d = this.delimiter;
    if (d === undefined) return;
    let from = 0;
    for (let i = chunk.indexOf(d, from); i !== -1; i = chunk.indexOf(d, from)) {
      if (i > from || this.pendingBytes > 0) this.summary.records++;
      this.pendingBytes = 0;
      from = i + 1;
    }
    this.pendingBytes += chunk.length - from;
  }

  finish(): AnalyzerOutput {
    let warning: string | undefined;
    if (this.pendingBytes > 0) {
      if (this.format === 'text') this.summary.records++;
      else warning = `last ${this.pendingBytes} bytes are an unterminated HDLC frame (file cut short)`;
    }
    this.summary.details = { record_kind: this.format === 'text' ? 'line' : this.delimiter ? 'hdlc_frame' : 'none' };
    return { summary: this.summary, anomalies: [], metrics: [], ...(warning ? { warning } : {}) };
  }
}
