import type { Anomaly, AnomalyDraft, Metric, MetricDraft } from '@l1t/contracts';
import type { DraftSink } from './analysis-types.js';
import { AnomalyIdentity } from './anomaly-identity.js';
import type { FileResultSink } from './result-sink.js';

/** Findings and metrics handed on at once (the detection's batches are at most about this size too). */
const BATCH = 1_000;

/** What a file's findings add up to, whether they were streamed or kept. */
export interface ResultCounts {
  anomalyCount: number;
  metricCount: number;
  byType: Record<string, number>;
  bySeverity: Record<string, number>;
}

/**
 * Receives an analyzer's findings and metrics as drafts and turns them into stored rows (ids from the file
 * and finding identity, file and session keys), counting them on the way. With a {@link FileResultSink} and
 * a known file id they go straight on in batches (memory bounded by a batch); without a sink, or while the
 * file id is unknown (standard input: the id follows from a hash of bytes not all read yet), they are kept.
 */
export class ResultCollector implements DraftSink {
  readonly counts: ResultCounts = { anomalyCount: 0, metricCount: 0, byType: {}, bySeverity: {} };
  private identity: AnomalyIdentity | undefined;
  private heldAnomalies: AnomalyDraft[] = [];
  private heldMetrics: MetricDraft[] = [];

  constructor(
    private readonly keys: { file: string; sessionId?: string },
    private readonly sink: FileResultSink | undefined,
  ) {}

  /** The file id is known: from here on batches go straight to the sink. */
  start(fileId: string): void {
    this.identity = new AnomalyIdentity(fileId, {
      file: this.keys.file,
      ...(this.keys.sessionId ? { session_id: this.keys.sessionId } : {}),
    });
  }

  /** Findings and metrics kept until the file id is known. */
  get heldRows(): number {
    return this.heldAnomalies.length + this.heldMetrics.length;
  }

  get streaming(): boolean {
    return this.sink !== undefined && this.identity !== undefined;
  }

  anomalies(batch: AnomalyDraft[]): void {
    if (!this.streaming) for (const a of batch) this.heldAnomalies.push(a);
    // An analyzer that returns everything at its end hands one large batch: it leaves in batches too.
    else
      for (let i = 0; i < batch.length; i += BATCH)
        this.sink!.anomalies(batch.slice(i, i + BATCH).map((a) => this.complete(a)));
  }

  metrics(batch: MetricDraft[]): void {
    if (!this.streaming) for (const m of batch) this.heldMetrics.push(m);
    else
      for (let i = 0; i < batch.length; i += BATCH)
        this.sink!.metrics(batch.slice(i, i + BATCH).map((m) => this.completeMetric(m)));
  }

  /** Hands what was kept to the sink in batches, waiting for it between batches (after `start`). */
  async flushHeld(): Promise<void> {
    const a = this.heldAnomalies.splice(0);
    const m = this.heldMetrics.splice(0);
    for (let i = 0; i < a.length; i += BATCH) {
      this.anomalies(a.slice(i, i + BATCH));
      await this.sink!.drain();
    }
    for (let i = 0; i < m.length; i += BATCH) {
      this.metrics(m.slice(i, i + BATCH));
      await this.sink!.drain();
    }
  }

  /** Without a sink: everything kept, as rows, anomalies in time order (after `start`). */
  takeHeld(): { anomalies: Anomaly[]; metrics: Metric[] } {
    const anomalies = this.heldAnomalies
      .splice(0)
      .map((a) => this.complete(a))
      .sort((x, y) =>
        x.timestamp < y.timestamp ? -1 : x.timestamp > y.timestamp ? 1 : x.packet_index - y.packet_index,
      );
    const metrics = this.heldMetrics.splice(0).map((m) => this.completeMetric(m));
    return { anomalies, metrics };
  }

  private complete(a: AnomalyDraft): Anomaly {
    const c = this.counts;
    c.anomalyCount++;
    c.byType[a.type] = (c.byType[a.type] ?? 0) + 1;
    c.bySeverity[a.severity] = (c.bySeverity[a.severity] ?? 0) + 1;
    return this.identity!.complete(a);
  }

  private completeMetric(m: MetricDraft): Metric {
    this.counts.metricCount++;
    // Spelled out: a spread copy of each row was the analysis's hottest line on metric-heavy UE logs.
    return {
      timestamp: m.timestamp,
      source: m.source,
      name: m.name,
      labels: m.labels,
      value: m.value,
      file_id: this.identity!.fileId,
      session_id: this.keys.sessionId ?? '',
    };
  }
}
