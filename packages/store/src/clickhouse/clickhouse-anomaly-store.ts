import type { Anomaly, Incident, Metric } from '@l1t/contracts';
import type {
  AnomalyQuery,
  AnomalySummary,
  FullAnomalyStore,
  IncidentQuery,
  MetricQuery,
  SessionRecord,
} from '../types.js';
import { ClickHouseIncidents } from './incident-store.js';
import {
  ANOMALY_COLUMNS,
  anomalyToRow,
  metricToRow,
  rowToAnomaly,
  rowToMetric,
  rowToSession,
  sessionToRow,
} from './anomaly-row.js';
import { assertIdentifier, type ClickHouseExecutor, type InsertOptions, type QueryParams } from './executor.js';
import { migrateClickHouse } from './migrate.js';
import { applyEmbeddedCleanupSettings } from './embedded-part-cleanup.js';
import { deleteTarget } from './cluster-ddl.js';
import { buildAnomalyWhere, UUID, Where } from './anomaly-where.js';
import { summarizeAnomalies } from './anomaly-summary.js';
import { toChDateTime } from './time.js';

/** Each block of one deduplicated write gets a token of its own (one token per block: ClickHouse drops repeats). */
function blockToken(options: InsertOptions | undefined, offset: number): InsertOptions | undefined {
  return options?.deduplicationToken ? { deduplicationToken: `${options.deduplicationToken}:${offset}` } : undefined;
}

/** Sort keys of `AnomalyQuery` → ORDER BY expressions (a whitelist: the sort never reaches SQL as text). */
const SORT_COLUMNS: Record<NonNullable<AnomalyQuery['sort']>, string> = {
  timestamp: 'timestamp',
  severity: 'severity',
  type: 'type',
  confidence: 'confidence',
  packet_index: 'packet_index',
};
export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 10_000;
const INSERT_BATCH = 10_000;
/**
 * Files per look-up, ids per DELETE of repeated writes and sessions per count (each is ~37 bytes of the
 * request's URL over HTTP).
 */
const DELETE_BATCH = 200;

/**
 * `AnomalyStore` over any `ClickHouseExecutor` (chDB or HTTP): the SQL is written once, here.
 *
 * Anomalies are read WITHOUT `FINAL` (FINAL costs ~25× a plain read: at 10 M rows it alone breaks the API's
 * latency budget). That is correct because no write leaves two rows of one id behind:
 * - `replaceFileResults` deletes a file's rows (lightweight DELETE, synchronous) before inserting its new ones;
 * - `insertAnomalies` deletes the rows of the ids it is about to write that already exist (looked up within the
 *   batch's files, so a first analysis costs one cheap, key-pruned count), so a repeated insert replaces.
 * What a reader can briefly see: while a file is re-analysed, the window between the DELETE and the INSERT shows
 * the file with fewer (or no) anomalies; two writers inserting the same new id at the same instant (no writer of
 * ours does) could show it twice until the ReplacingMergeTree merge collapses it, which it still does.
 * Sessions stay small and are still read with FINAL.
 */
export class ClickHouseAnomalyStore implements FullAnomalyStore {
  readonly kind: 'chdb' | 'http';
  readonly database: string;
  #lastVersion = 0;

  /** ClickHouse cluster of CLICKHOUSE_CLUSTER: replicated + Distributed tables (cluster-ddl.ts). */
  readonly cluster: string | undefined;

  constructor(
    readonly executor: ClickHouseExecutor,
    database: string,
    options: { cluster?: string | undefined } = {},
  ) {
    this.kind = executor.kind;
    this.database = assertIdentifier(database);
    this.cluster = options.cluster;
    this.#incidents = new ClickHouseIncidents(executor, this.database, this.cluster);
  }

  readonly #incidents: ClickHouseIncidents;

  replaceFileIncidents(fileId: string, incidents: Incident[]): Promise<void> {
    return this.#incidents.replaceFileIncidents(fileId, incidents);
  }

  queryIncidents(q: IncidentQuery, signal?: AbortSignal): Promise<{ items: Incident[]; total: number }> {
    return this.#incidents.query(q, signal);
  }

  getIncident(id: string, signal?: AbortSignal): Promise<Incident | undefined> {
    return this.#incidents.get(id, signal);
  }

  /**
   * Applies pending migrations; on the embedded engine also the settings that let a short-lived process remove
   * the data parts earlier runs left outdated (embedded-part-cleanup.ts; a server cleans up on its own).
   */
  async migrate(): Promise<number[]> {
    const applied = await migrateClickHouse(this.executor, this.database, undefined, this.cluster);
    if (this.kind === 'chdb') await applyEmbeddedCleanupSettings(this.executor, this.database);
    return applied;
  }

  ping(signal?: AbortSignal): Promise<void> {
    return this.executor.ping(signal);
  }

  /** Readiness: the server answers and the schema is in place. */
  async ready(signal?: AbortSignal): Promise<void> {
    await this.executor.query(`SELECT count() AS n FROM ${this.database}.anomalies WHERE 0`, undefined, signal);
  }

  /** Monotonic version (µs since epoch, bumped on ties): a later write always wins the ReplacingMergeTree merge. */
  #nextVersion(): number {
    const v = Math.max(Date.now() * 1000, this.#lastVersion + 1);
    this.#lastVersion = v;
    return v;
  }

  async replaceFileResults(fileIds: string[], anomalies: Anomaly[], metrics: Metric[]): Promise<void> {
    if (fileIds.length > 0) {
      // Lightweight DELETE marks the rows synchronously (lightweight_deletes_sync default): the insert that
      // follows can never be hidden, and a re-analysis never leaves the previous run's rows behind. A file
      // analysed for the first time has nothing to delete: skip the (mutation-creating) DELETE then.
      const params = { ids: fileIds };
      for (const table of ['anomalies', 'metrics', 'incidents']) {
        const [found] = await this.executor.query<{ n: string | number }>(
          `SELECT count() AS n FROM ${this.database}.${table} WHERE file_id IN {ids:Array(String)}`,
          params,
        );
        if (Number(found?.n ?? 0) === 0) continue;
        await this.executor.command(
          `DELETE FROM ${deleteTarget(this.database, table, this.cluster)} WHERE file_id IN {ids:Array(String)}`,
          params,
        );
      }
    }
    await this.insertAnomalies(anomalies);
    await this.insertMetrics(metrics);
  }

  async deleteFileResults(fileIds: string[]): Promise<void> {
    await this.replaceFileResults(fileIds, [], []);
  }

  summarizeAnomalies(
    q: AnomalyQuery,
    opts?: { bucketMs?: number; topTypes?: number; topFiles?: number },
    signal?: AbortSignal,
  ): Promise<AnomalySummary> {
    return summarizeAnomalies(this.executor, this.database, q, opts, signal);
  }

  async insertAnomalies(rows: Anomaly[]): Promise<void> {
    if (rows.length === 0) return;
    await this.#deleteExistingIds(rows);
    const version = this.#nextVersion();
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await this.executor.insert(
        `${this.database}.anomalies`,
        rows.slice(i, i + INSERT_BATCH).map((a) => anomalyToRow(a, version)),
      );
    }
  }

  async appendAnomalies(rows: Anomaly[], options?: InsertOptions): Promise<void> {
    if (rows.length === 0) return;
    const version = this.#nextVersion();
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await this.executor.insert(
        `${this.database}.anomalies`,
        rows.slice(i, i + INSERT_BATCH).map((a) => anomalyToRow(a, version)),
        undefined,
        blockToken(options, i),
      );
    }
  }

  /**
   * A repeated write of an id replaces the stored row (reads run without FINAL: see the class comment). The
   * ids already stored are looked up within the batch's files (key-pruned; none for a first analysis, none
   * after `replaceFileResults`' DELETE), so that only the few repeated ids become query parameters.
   */
  async #deleteExistingIds(rows: Anomaly[]): Promise<void> {
    const byFile = new Map<string, Set<string>>();
    for (const a of rows) {
      const file = a.file_id ?? '';
      let ids = byFile.get(file);
      if (!ids) byFile.set(file, (ids = new Set()));
      ids.add(a.id.toLowerCase());
    }
    const allFiles = [...byFile.keys()];
    // Query parameters travel in the URL over HTTP: files and ids go in bounded groups.
    for (let f = 0; f < allFiles.length; f += DELETE_BATCH) {
      const files = allFiles.slice(f, f + DELETE_BATCH);
      const stored = await this.executor.query<{ file_id: string; id: string }>(
        `SELECT DISTINCT file_id, toString(id) AS id FROM ${this.database}.anomalies WHERE file_id IN {files:Array(String)}`,
        { files },
      );
      const repeated = [
        ...new Set(stored.filter((r) => byFile.get(r.file_id)?.has(r.id.toLowerCase())).map((r) => r.id)),
      ];
      for (let i = 0; i < repeated.length; i += DELETE_BATCH) {
        await this.executor.command(
          `DELETE FROM ${deleteTarget(this.database, 'anomalies', this.cluster)}
           WHERE file_id IN {files:Array(String)} AND id IN {ids:Array(UUID)}`,
          { files, ids: repeated.slice(i, i + DELETE_BATCH) },
        );
      }
    }
  }

  async insertMetrics(rows: Metric[], options?: InsertOptions): Promise<void> {
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      await this.executor.insert(
        `${this.database}.metrics`,
        rows.slice(i, i + INSERT_BATCH).map(metricToRow),
        undefined,
        blockToken(options, i),
      );
    }
  }

  async upsertSession(session: SessionRecord): Promise<void> {
    // An explicit updated_at is kept (replays); otherwise "now" with a tie-breaking version in the nanoseconds.
    const updatedAt =
      session.updated_at !== undefined ? toChDateTime(session.updated_at) : versionTime(this.#nextVersion());
    await this.executor.insert(`${this.database}.sessions`, [sessionToRow(session, updatedAt)]);
  }

  async getSession(id: string): Promise<SessionRecord | undefined> {
    const rows = await this.executor.query(`SELECT * FROM ${this.database}.sessions FINAL WHERE id = {id:String}`, {
      id,
    });
    return rows[0] ? rowToSession(rows[0]) : undefined;
  }

  async listSessions(limit = 100, offset = 0): Promise<SessionRecord[]> {
    const rows = await this.executor.query(
      `SELECT * FROM ${this.database}.sessions FINAL ORDER BY started_at DESC, id LIMIT {limit:UInt32} OFFSET {offset:UInt32}`,
      { limit: clampLimit(limit), offset: Math.max(0, Math.trunc(offset)) },
    );
    return rows.map(rowToSession);
  }

  async queryAnomalies(q: AnomalyQuery, signal?: AbortSignal): Promise<{ items: Anomaly[]; total: number }> {
    const where = buildAnomalyWhere(q);
    if (!where) return { items: [], total: 0 };
    const { clause, params } = where;
    const column = SORT_COLUMNS[q.sort ?? 'timestamp'] ?? 'timestamp';
    const order = q.order === 'desc' ? 'DESC' : 'ASC';
    const from = `${this.database}.anomalies`;
    const limit = clampLimit(q.limit ?? DEFAULT_LIMIT);
    const offset = Math.max(0, Math.trunc(q.offset ?? 0));
    const page = (pageClause: string, pageParams: QueryParams) =>
      this.executor.query(
        `SELECT ${ANOMALY_COLUMNS} FROM ${from} ${pageClause}
         ORDER BY ${column} ${order}, timestamp ${order}, id ${order}
         LIMIT {limit:UInt32} OFFSET {offset:UInt64}`,
        { ...pageParams, limit, offset },
        signal,
      );
    if (narrowsByHour(q, column)) {
      // The page lies in the first (sort key, hour) buckets in sort order: the counts per bucket tell which
      // buckets hold the first offset + limit rows, so that the sort reads only those (the key is in the table's
      // sorting key, and idx_timestamp skips the granules of other hours) — their rows are a prefix of the
      // ordered result, so the page read in them is the page. The same counts give the total. (Without this the
      // newest 100 of 10 M rows read ~240 k rows, a sort by severity all 10 M.)
      const keyed = column !== 'timestamp';
      const buckets = await this.executor.query<{ k?: string; h: string | number; n: string | number }>(
        `SELECT ${keyed ? `${column} AS k, ` : ''}toUnixTimestamp(toStartOfHour(timestamp)) AS h, count() AS n
         FROM ${from} ${clause} GROUP BY ${keyed ? 'k, ' : ''}h ORDER BY ${keyed ? `k ${order}, ` : ''}h ${order}`,
        params,
        signal,
      );
      let total = 0;
      let bound: { k?: string; h: number } | undefined;
      const keysBefore = new Set<string>();
      for (const r of buckets) {
        total += Number(r.n);
        if (bound !== undefined) continue;
        if (total >= offset + limit) bound = { ...(keyed ? { k: String(r.k) } : {}), h: Number(r.h) };
        else if (keyed) keysBefore.add(String(r.k));
      }
      // Fewer rows than offset + limit: the page is the tail (or empty) and needs every bucket.
      if (bound === undefined)
        return { items: total > offset ? (await page(clause, params)).map(rowToAnomaly) : [], total };
      const edge = new Date((order === 'DESC' ? bound.h : bound.h + 3600) * 1000).toISOString();
      let condition = `timestamp ${order === 'DESC' ? '>=' : '<'} {page_edge:DateTime64(9, 'UTC')}`;
      const pageParams: QueryParams = { ...params, page_edge: toChDateTime(edge) };
      if (keyed) {
        // Buckets of keys wholly before the bound's key, then the bound key's hours up to the bound's.
        const key = column === 'severity' ? 'toString(severity)' : column;
        keysBefore.delete(bound.k!);
        condition = `${key} = {page_key:String} AND ${condition}`;
        pageParams.page_key = bound.k!;
        if (keysBefore.size > 0) {
          condition = `(${key} IN {page_keys:Array(String)} OR (${condition}))`;
          pageParams.page_keys = [...keysBefore];
        }
      }
      const items = await page(clause ? `${clause} AND ${condition}` : `WHERE ${condition}`, pageParams);
      return { items: items.map(rowToAnomaly), total };
    }
    if (column === 'timestamp' && narrowsBySpans(q)) {
      // An eAxC filter: per file, the count and the first and last time of its matching rows (answered by the
      // p_link_flows projection, migration 0004, whose keys hold the eAxC). The newest (oldest) files whose rows
      // add up to offset + limit give a time edge: every row past it is in the result, and there are at least
      // offset + limit of them, so the page read past the edge is the page (~1 M rows read for the newest 100
      // of eAxC 5 at 10 M rows without it). The same counts give the total.
      const spans = await this.executor.query<{ first: string; last: string; n: string | number }>(
        `SELECT toString(min(timestamp)) AS first, toString(max(timestamp)) AS last, count() AS n
         FROM ${from} ${clause} GROUP BY file_id`,
        params,
        signal,
      );
      // DateTime64(9) text has a fixed width: it orders as the times do.
      if (order === 'DESC') spans.sort((a, b) => (a.first < b.first ? 1 : a.first > b.first ? -1 : 0));
      else spans.sort((a, b) => (a.last < b.last ? -1 : a.last > b.last ? 1 : 0));
      let total = 0;
      let edge: string | undefined;
      for (const r of spans) {
        total += Number(r.n);
        if (edge === undefined && total >= offset + limit) edge = order === 'DESC' ? r.first : r.last;
      }
      if (edge === undefined)
        return { items: total > offset ? (await page(clause, params)).map(rowToAnomaly) : [], total };
      const condition = `timestamp ${order === 'DESC' ? '>=' : '<='} {page_edge:DateTime64(9, 'UTC')}`;
      const items = await page(clause ? `${clause} AND ${condition}` : `WHERE ${condition}`, {
        ...params,
        page_edge: edge,
      });
      return { items: items.map(rowToAnomaly), total };
    }
    const [items, count] = await Promise.all([
      page(clause, params),
      this.executor.query<{ total: string | number }>(`SELECT count() AS total FROM ${from} ${clause}`, params, signal),
    ]);
    return { items: items.map(rowToAnomaly), total: Number(count[0]?.total ?? 0) };
  }

  async getAnomaly(id: string, signal?: AbortSignal): Promise<Anomaly | undefined> {
    if (!UUID.test(id)) return undefined;
    const rows = await this.executor.query(
      `SELECT ${ANOMALY_COLUMNS}, packet_context FROM ${this.database}.anomalies WHERE id = {id:UUID}
       ORDER BY version DESC LIMIT 1`,
      { id },
      signal,
    );
    return rows[0] ? rowToAnomaly(rows[0]) : undefined;
  }

  async countByFile(fileIds: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = Object.fromEntries(fileIds.map((id) => [id, 0]));
    if (fileIds.length === 0) return out;
    const rows = await this.executor.query<{ file_id: string; n: string | number }>(
      `SELECT file_id, count() AS n FROM ${this.database}.anomalies WHERE file_id IN {ids:Array(String)} GROUP BY file_id`,
      { ids: fileIds },
    );
    for (const r of rows) out[r.file_id] = Number(r.n);
    return out;
  }

  async countBySession(sessionIds: string[]): Promise<Record<string, number>> {
    const out: Record<string, number> = Object.fromEntries(sessionIds.map((id) => [id, 0]));
    // Grouped by a key of the p_counts projection (migration 0002): answered from pre-aggregated rows.
    for (let i = 0; i < sessionIds.length; i += DELETE_BATCH) {
      const rows = await this.executor.query<{ session_id: string; n: string | number }>(
        `SELECT session_id, count() AS n FROM ${this.database}.anomalies
         WHERE session_id IN {ids:Array(String)} GROUP BY session_id`,
        { ids: sessionIds.slice(i, i + DELETE_BATCH) },
      );
      for (const r of rows) out[r.session_id] = Number(r.n);
    }
    return out;
  }

  async queryMetrics(q: MetricQuery, signal?: AbortSignal): Promise<Metric[]> {
    if (q.names !== undefined && q.names.length === 0) return [];
    const w = new Where();
    if (q.names !== undefined) w.add('name IN {names:Array(String)}', 'names', [...q.names]);
    if (q.sessionId !== undefined) w.add('session_id = {session_id:String}', 'session_id', q.sessionId);
    if (q.fileId !== undefined) w.add('file_id = {file_id:String}', 'file_id', q.fileId);
    if (q.name !== undefined) w.add('name = {name:String}', 'name', q.name);
    if (q.from !== undefined) w.add(`timestamp >= {from:DateTime64(9, 'UTC')}`, 'from', toChDateTime(q.from));
    if (q.to !== undefined) w.add(`timestamp < {to:DateTime64(9, 'UTC')}`, 'to', toChDateTime(q.to));
    const rows = await this.executor.query(
      `SELECT * FROM ${this.database}.metrics ${w.clause()}
       ORDER BY timestamp, name LIMIT {limit:UInt32}`,
      { ...w.params, limit: clampLimit(q.limit ?? MAX_LIMIT) },
      signal,
    );
    return rows.map(rowToMetric);
  }

  close(): Promise<void> {
    return this.executor.close();
  }
}

/**
 * A page is read within the (sort key, hour) buckets that hold it when the sort is by time, or by severity or type
 * (p_counts keys, each followed by time in the ORDER BY). The bucket counts come pre-aggregated from p_counts when
 * the filter uses its keys only; a text search reads the matching rows to count them anyway, and grouping that
 * count by hour costs little more. Not for a time range (it already bounds what is read, and on rows laid out by
 * session and file its hours skip few more granules: measured at 10 M rows) nor an eAxC filter (narrowsBySpans).
 */
function narrowsByHour(q: AnomalyQuery, column: string): boolean {
  if (column !== 'timestamp' && column !== 'severity' && column !== 'type') return false;
  if (q.q !== undefined && q.q !== '') return true;
  return q.eaxc === undefined && q.from === undefined && q.to === undefined;
}

/** An eAxC filter without a time range or text search: its per-file spans come from p_link_flows. */
function narrowsBySpans(q: AnomalyQuery): boolean {
  return (
    q.eaxc !== undefined &&
    q.from === undefined &&
    q.to === undefined &&
    (q.q === undefined || q.q === '') &&
    q.ids === undefined &&
    (q.excludeIds === undefined || q.excludeIds.length === 0)
  );
}

function clampLimit(limit: number): number {
  return Math.min(MAX_LIMIT, Math.max(0, Math.trunc(Number.isFinite(limit) ? limit : DEFAULT_LIMIT)));
}

/** µs version → DateTime64(9) text, so that sessions written in one microsecond still order. */
function versionTime(versionUs: number): string {
  const ms = Math.floor(versionUs / 1000);
  const iso = new Date(ms).toISOString();
  const us = String(versionUs % 1000).padStart(3, '0');
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)}${us}000`;
}
