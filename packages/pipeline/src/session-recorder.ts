import type { SessionStatus } from '@l1t/contracts';
import type { FullAnomalyStore, FullMetadataStore } from '@l1t/store';
import type { FileResult } from './analyze-file.js';
import { newSessionId } from './ids.js';
import type { FileResultSink } from './result-sink.js';
import { createStoreSink } from './store-sink.js';

export interface Stores {
  anomalies: FullAnomalyStore;
  metadata: FullMetadataStore;
}

/**
 * Records an analysis session and each file's outcome in both stores: the file and its status in
 * PostgreSQL, findings and metrics in ClickHouse (replacing the file's earlier rows, so re-analysis never
 * duplicates), the session's counters in both. Findings are either streamed to ClickHouse while the file is
 * analysed (`sink()` passed as `AnalyzeOptions.sink`) or written here from the result.
 *
 * Every count is of the rows stored: the file's `anomaly_count`, the session's `anomalies_detected` (a file
 * recorded twice in one session, the same content under two names, counts once, as its rows are stored once).
 */
export class SessionRecorder {
  readonly id: string;
  private filesProcessed = 0;
  private filesFailed = 0;
  private anomaliesDetected = 0;
  /** Findings counted per file id in this session (a repeated file replaces its rows, not adds to them). */
  private readonly perFile = new Map<string, number>();
  private started = new Date();

  /**
   * `batch`: the session gathers the jobs of one batch upload (issue 16: 11 files uploaded at once are one
   * session), each run by its own recorder, possibly on other workers: its counters and status are then those
   * of every file the session holds, read back from PostgreSQL, and it started when its first job did.
   */
  constructor(
    private readonly stores: Stores | undefined,
    readonly name: string,
    id: string = newSessionId(),
    private readonly batch = false,
  ) {
    this.id = id;
  }

  async start(): Promise<void> {
    if (!this.stores) return;
    if (this.batch) {
      const earlier = await this.stores.metadata.getSession(this.id);
      if (earlier) this.started = new Date(earlier.startedAt);
    }
    await this.stores.metadata.createSession({ id: this.id, name: this.name, startedAt: this.started.toISOString() });
    await this.writeClickHouseSession('running', null);
  }

  /** A sink that streams one file's findings and metrics to ClickHouse (undefined without stores). */
  sink(): FileResultSink | undefined {
    return this.stores ? createStoreSink(this.stores.anomalies) : undefined;
  }

  async record(result: FileResult): Promise<void> {
    this.filesProcessed++;
    if (result.status === 'failed') this.filesFailed++;
    const count = result.counts.anomalyCount;
    this.anomaliesDetected += count - (this.perFile.get(result.fileId) ?? 0);
    this.perFile.set(result.fileId, count);
    if (!this.stores) return;
    const { metadata, anomalies } = this.stores;
    await metadata.upsertFile({
      id: result.fileId,
      sessionId: this.id,
      name: result.name,
      path: result.path,
      size: result.size,
      sha256: result.sha256,
      format: result.format,
      formatDetail: result.formatDetail,
    });
    await metadata.updateFile(result.fileId, {
      sessionId: this.id,
      format: result.format,
      formatDetail: result.formatDetail,
      status: result.status,
      progress: 1,
      anomalyCount: count,
      packetCount: result.summary.records,
      error: result.error ?? null,
      warning: result.warning ?? null,
      startedAt: result.startedAt,
      finishedAt: result.finishedAt,
      durationMs: result.durationMs,
      summary: summaryJson(result),
    });
    // The file page's views replace the earlier analysis' (none for a failed file or one without O-RAN traffic).
    await metadata.putFileViews(result.fileId, viewDocuments(result));
    // Streamed rows are in already (their sink replaced the file's earlier ones); a failed file keeps none.
    if (!result.streamed || result.status === 'failed')
      await anomalies.replaceFileResults([result.fileId], result.anomalies, result.metrics);
  }

  /**
   * Closes the session of a job the queue gave up after its last attempt (its worker died each time, so no
   * run recorded the file or finished the session: it stayed "running"). The file, failed by the queue, is
   * counted in the session and the session ends with the status of the files it holds — failed when it was
   * the job's own session, partial or failed (or still running, other files pending) for a batch.
   */
  async closeAbandoned(fileId: string): Promise<{ status: SessionStatus; durationMs: number }> {
    if (!this.stores) return this.finish();
    await this.stores.metadata.updateFile(fileId, { sessionId: this.id });
    const totals = new SessionRecorder(this.stores, this.name, this.id, true);
    await totals.start();
    return totals.finish();
  }

  /** The counters of a batch session: every file it holds now (the other jobs' files included). */
  private async batchTotals(): Promise<{ pending: boolean }> {
    const { items } = await this.stores!.metadata.listFiles({ sessionId: this.id, limit: 10_000 });
    const ended = items.filter((f) => f.status === 'done' || f.status === 'failed');
    this.filesProcessed = ended.length;
    this.filesFailed = ended.filter((f) => f.status === 'failed').length;
    this.anomaliesDetected = ended.reduce((n, f) => n + f.anomaly_count, 0);
    return { pending: ended.length < items.length };
  }

  async finish(): Promise<{ status: SessionStatus; durationMs: number }> {
    // A batch session still has files queued or analysing: it stays 'running' until its last job ends.
    const pending = this.batch && this.stores ? (await this.batchTotals()).pending : false;
    const status: SessionStatus = pending
      ? 'running'
      : this.filesFailed === 0
        ? 'done'
        : this.filesFailed === this.filesProcessed
          ? 'failed'
          : 'partial';
    const finished = new Date();
    const durationMs = finished.getTime() - this.started.getTime();
    if (this.stores) {
      await this.stores.metadata.finishSession(this.id, { status, finishedAt: finished.toISOString(), durationMs });
      await this.writeClickHouseSession(status, finished, durationMs);
    }
    return { status, durationMs };
  }

  private async writeClickHouseSession(
    status: SessionStatus,
    finished: Date | null,
    durationMs?: number,
  ): Promise<void> {
    await this.stores!.anomalies.upsertSession({
      id: this.id,
      name: this.name,
      status,
      files_processed: this.filesProcessed,
      files_failed: this.filesFailed,
      anomalies_detected: this.anomaliesDetected,
      started_at: this.started.toISOString(),
      finished_at: finished ? finished.toISOString() : null,
      duration_ms: durationMs ?? null,
    });
  }
}

/**
 * The file page's views as stored documents by kind, each small enough to serve at once: `flows` (the table),
 * `timing` (histograms of every flow), `scatter:<flow>` (one flow's offsets over time), `heatmaps` (the index)
 * and `heatmap:<flow>` (one eAxC's grid). None for a failed file or one without O-RAN traffic.
 */
export function viewDocuments(result: FileResult): Record<string, Record<string, unknown>> {
  const v = result.status === 'done' ? result.views : undefined;
  if (!v) return {};
  const docs: Record<string, Record<string, unknown>> = {
    flows: { version: v.version, first_ts_ns: v.first_ts_ns, flows: v.flows, notes: v.notes },
    timing: {
      mode: v.timing.mode,
      windows_us: v.timing.windows_us,
      groups: v.timing.groups,
      // per flow: the totals and extremes (its margin), not its histogram (the groups hold the counts)
      flows: v.timing.flows.map(({ scatter, counts, ...totals }) => ({
        ...totals,
        bins: counts.length,
        scatter_points: scatter.t_ms.length,
      })),
    },
    heatmaps: {
      items: v.heatmaps.map((h) => ({
        name: h.name,
        columns: h.columns,
        prbs: h.prbs,
        column_ms: h.column_ms,
        decoded_prbs: h.decoded_prbs,
        skipped_prbs: h.skipped_prbs,
      })),
    },
  };
  for (const t of v.timing.flows) docs[`scatter:${t.name}`] = { name: t.name, window: t.window, ...t.scatter };
  for (const h of v.heatmaps) docs[`heatmap:${h.name}`] = { ...h };
  return docs;
}

/** The decode summary as JSON (bigint timestamps become strings). */
export function summaryJson(result: FileResult): Record<string, unknown> {
  const s = result.summary;
  return {
    records: s.records,
    unknown_records: s.unknownRecords,
    malformed_records: s.malformedRecords,
    ...(s.firstTimestampNs !== undefined ? { first_timestamp_ns: s.firstTimestampNs.toString() } : {}),
    ...(s.lastTimestampNs !== undefined ? { last_timestamp_ns: s.lastTimestampNs.toString() } : {}),
    ...s.details,
  };
}
