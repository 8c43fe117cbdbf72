import type { Incident } from '@l1t/contracts';
import type { IncidentQuery } from '../types.js';
import { deleteTarget } from './cluster-ddl.js';
import type { ClickHouseExecutor } from './executor.js';
import { UUID, Where } from './anomaly-where.js';
import { fromChDateTime, toChDateTime } from './time.js';

const COLUMNS =
  'id, file_id, session_id, file, scope, title, severity, hypothesis, start_time, end_time, finding_ids, types';

function toRow(i: Incident): Record<string, unknown> {
  return {
    id: i.id,
    file_id: i.file_id,
    session_id: i.session_id ?? '',
    file: i.file,
    scope: i.scope,
    title: i.title,
    severity: i.severity,
    hypothesis: i.hypothesis,
    start_time: toChDateTime(i.start),
    end_time: toChDateTime(i.end),
    finding_ids: i.finding_ids,
    types: i.types,
  };
}

function fromRow(r: Record<string, unknown>): Incident {
  const types: Record<string, number> = {};
  for (const [k, v] of Object.entries((r.types ?? {}) as Record<string, unknown>)) types[k] = Number(v);
  return {
    id: String(r.id),
    file_id: String(r.file_id),
    session_id: r.session_id ? String(r.session_id) : null,
    file: String(r.file),
    scope: String(r.scope),
    title: String(r.title),
    severity: r.severity as Incident['severity'],
    hypothesis: String(r.hypothesis),
    start: fromChDateTime(String(r.start_time)),
    end: fromChDateTime(String(r.end_time)),
    finding_ids: (r.finding_ids as unknown[]).map(String),
    types,
  };
}

/** The `incidents` table (migration 0003): written per file, read by file, session, severity or id. */
export class ClickHouseIncidents {
  constructor(
    private readonly executor: ClickHouseExecutor,
    private readonly database: string,
    private readonly cluster: string | undefined,
  ) {}

  /** A file's incidents replace its earlier ones (a re-analysis never duplicates). */
  async replaceFileIncidents(fileId: string, incidents: Incident[]): Promise<void> {
    const params = { file_id: fileId };
    const [found] = await this.executor.query<{ n: string | number }>(
      `SELECT count() AS n FROM ${this.database}.incidents WHERE file_id = {file_id:String}`,
      params,
    );
    if (Number(found?.n ?? 0) > 0)
      await this.executor.command(
        `DELETE FROM ${deleteTarget(this.database, 'incidents', this.cluster)} WHERE file_id = {file_id:String}`,
        params,
      );
    if (incidents.length > 0) await this.executor.insert(`${this.database}.incidents`, incidents.map(toRow));
  }

  async query(q: IncidentQuery, signal?: AbortSignal): Promise<{ items: Incident[]; total: number }> {
    const w = new Where();
    if (q.fileId !== undefined) w.add('file_id = {file_id:String}', 'file_id', q.fileId);
    if (q.sessionId !== undefined) w.add('session_id = {session_id:String}', 'session_id', q.sessionId);
    if (q.severity?.length) w.add('toString(severity) IN {severities:Array(String)}', 'severities', q.severity);
    if (q.findingId !== undefined) w.add('has(finding_ids, {finding_id:String})', 'finding_id', q.findingId);
    const where = w.clause();
    const order =
      q.sort === 'severity' ? `severity ${q.order ?? 'desc'}, start_time` : `start_time ${q.order ?? 'asc'}, id`;
    const rows = await this.executor.query(
      `SELECT ${COLUMNS} FROM ${this.database}.incidents ${where} ORDER BY ${order} LIMIT {limit:UInt32} OFFSET {offset:UInt64}`,
      { ...w.params, limit: Math.min(q.limit ?? 100, 10_000), offset: q.offset ?? 0 },
      signal,
    );
    const [count] = await this.executor.query<{ n: string | number }>(
      `SELECT count() AS n FROM ${this.database}.incidents ${where}`,
      w.params,
      signal,
    );
    return { items: rows.map(fromRow), total: Number(count?.n ?? 0) };
  }

  async get(id: string, signal?: AbortSignal): Promise<Incident | undefined> {
    if (!UUID.test(id)) return undefined;
    const [row] = await this.executor.query(
      `SELECT ${COLUMNS} FROM ${this.database}.incidents WHERE id = {id:UUID} LIMIT 1`,
      { id },
      signal,
    );
    return row ? fromRow(row) : undefined;
  }
}
