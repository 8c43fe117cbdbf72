import type { Metric } from '@l1t/contracts';
import { PTP_TE_METRIC_NAMES, ptpViewFromMetrics, type PtpPortView } from '@l1t/detect';
import type { FileResultSink } from './result-sink.js';

const NAMES: ReadonlySet<string> = new Set(PTP_TE_METRIC_NAMES);

/**
 * Keeps the time-error metric rows of one file as they stream past (the others are dropped), to give the
 * file's PTP view at its end — what `GET /api/files/:id/ptp` serves from the store, for outputs that do not
 * read the store (`l1t analyze --format json`). Bounded: the rows are per port and chart bucket, not per packet.
 */
export class PtpViewSink implements FileResultSink {
  private readonly rows: Metric[] = [];
  begin(): Promise<void> {
    return Promise.resolve();
  }
  anomalies(): void {}
  metrics(batch: Metric[]): void {
    for (const m of batch) if (NAMES.has(m.name)) this.rows.push(m);
  }
  drain(): Promise<void> {
    return Promise.resolve();
  }
  end(): Promise<void> {
    return Promise.resolve();
  }
  /** The file's PTP ports (empty when it had no PTP exchanges or servo offsets). */
  view(): PtpPortView[] {
    return ptpViewFromMetrics(this.rows);
  }
}
