import type {
  Anomaly,
  AnomalyStatus,
  FileFormat,
  FileInfo,
  FileStatus,
  Incident,
  Metric,
  Session,
  SessionStatus,
} from '@l1t/contracts';
import type { SqlQueryClient } from './postgres/pg-connection.js';
import type { InsertOptions } from './clickhouse/executor.js';

/** Filter of `GET /api/anomalies` and of the CLI's queries (interfaces.md §HTTP API). */
export interface AnomalyQuery {
  fileId?: string;
  sessionId?: string;
  type?: string[];
  severity?: string[];
  source?: string[];
  from?: string; // ISO timestamp, inclusive
  to?: string; // ISO timestamp, exclusive
  eaxc?: number;
  /** Substrings of type names ("seq" → seq_gap, seq_duplicate, …); a row matches one of them or one of `type`. */
  typeContains?: string[];
  /** The finding at this packet (1-based frame number, as Wireshark counts). */
  packetIndex?: number;
  q?: string; // substring of description or type; a whole number also matches the finding's packet_index
  ids?: string[]; // restrict to these ids (e.g. status filter resolved in PostgreSQL)
  excludeIds?: string[]; // leave these out (status 'open' = none of the other statuses)
  sort?: 'timestamp' | 'severity' | 'type' | 'confidence' | 'packet_index';
  order?: 'asc' | 'desc';
  limit?: number; // default 100, max 10000
  offset?: number;
}

/** Session row as stored in ClickHouse `sessions`. */
export interface SessionRecord extends Session {
  updated_at?: string;
}

/** ClickHouse side: anomalies, metrics, sessions (DESIGN.md decisions). Two implementations: chDB and HTTP. */
export interface AnomalyStore {
  readonly kind: 'chdb' | 'http';
  migrate(): Promise<number[]>; // applied migration numbers
  ping(): Promise<void>;
  /** Replaces every anomaly and metric of these files (re-analysis never duplicates rows). */
  replaceFileResults(fileIds: string[], anomalies: Anomaly[], metrics: Metric[]): Promise<void>;
  insertAnomalies(rows: Anomaly[]): Promise<void>;
  /** `options.deduplicationToken`: a batch written again with the same token is stored once (spool flush). */
  insertMetrics(rows: Metric[], options?: InsertOptions): Promise<void>;
  upsertSession(session: SessionRecord): Promise<void>;
  getSession(id: string): Promise<SessionRecord | undefined>;
  listSessions(limit?: number, offset?: number): Promise<SessionRecord[]>;
  queryAnomalies(q: AnomalyQuery, signal?: AbortSignal): Promise<{ items: Anomaly[]; total: number }>;
  getAnomaly(id: string, signal?: AbortSignal): Promise<Anomaly | undefined>;
  countByFile(fileIds: string[]): Promise<Record<string, number>>;
  queryMetrics(q: MetricQuery, signal?: AbortSignal): Promise<Metric[]>;
  close(): Promise<void>;
}

/** Which metric rows to read, in time order. */
export interface MetricQuery {
  sessionId?: string;
  fileId?: string;
  name?: string;
  /** Any of these names (with `name`, both must hold); an empty list matches nothing. */
  names?: readonly string[];
  from?: string;
  to?: string;
  limit?: number;
}

export interface NewFile {
  id: string;
  sessionId: string | null;
  name: string;
  path: string | null;
  size: number;
  sha256: string;
  format: FileFormat;
  formatDetail: string | null;
}

export interface FileUpdate {
  status?: FileStatus;
  progress?: number;
  anomalyCount?: number;
  packetCount?: number;
  error?: string | null;
  warning?: string | null;
  startedAt?: string | null;
  finishedAt?: string | null;
  durationMs?: number | null;
  sessionId?: string | null;
  format?: FileFormat;
  formatDetail?: string | null;
  summary?: Record<string, unknown>;
}

export interface JobRecord {
  id: string;
  fileId: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  attempts: number;
  lockedBy: string | null;
  error: string | null;
}

/** PostgreSQL side: files, jobs, sessions metadata, status history, recommendations, users, knowledge, settings. */
export interface MetadataStore {
  readonly kind: 'pglite' | 'postgres';
  migrate(): Promise<number[]>;
  ping(): Promise<void>;
  // sessions (metadata mirror of ClickHouse sessions, with the name and who started it)
  createSession(s: { id: string; name: string; startedAt: string; createdBy?: string | null }): Promise<void>;
  finishSession(id: string, u: { status: SessionStatus; finishedAt: string; durationMs: number }): Promise<void>;
  // files
  upsertFile(f: NewFile): Promise<FileInfo>; // same sha256 → the existing record (one file per content)
  updateFile(id: string, u: FileUpdate): Promise<void>;
  getFile(id: string): Promise<FileInfo | undefined>;
  getFileBySha256(sha256: string): Promise<FileInfo | undefined>;
  listFiles(q: {
    sessionId?: string;
    status?: FileStatus;
    limit?: number;
    offset?: number;
  }): Promise<{ items: FileInfo[]; total: number }>;
  // jobs: a queue claimed with FOR UPDATE SKIP LOCKED
  enqueueJob(fileId: string, payload?: Record<string, unknown>): Promise<JobRecord>;
  claimJob(workerId: string): Promise<(JobRecord & { payload: Record<string, unknown> }) | undefined>;
  completeJob(id: string, result: { ok: boolean; error?: string }): Promise<unknown>;
  // anomaly status workflow
  setAnomalyStatus(a: {
    anomalyId: string;
    status: AnomalyStatus;
    note?: string | null;
    userId?: string | null;
  }): Promise<void>;
  getAnomalyStatuses(ids: string[]): Promise<Record<string, AnomalyStatus>>;
  anomalyIdsWithStatus(status: AnomalyStatus): Promise<string[]>;
  statusHistory(
    anomalyId: string,
  ): Promise<{ status: AnomalyStatus; note: string | null; userId: string | null; at: string }[]>;
  // users and API tokens (tokens are stored as sha256 hex only; the raw token is shown once at creation)
  createUser(u: {
    username: string;
    passwordHash: string;
    role: 'admin' | 'engineer' | 'viewer';
  }): Promise<{ id: string }>;
  createApiToken(t: { userId: string; name: string; tokenHash: string }): Promise<{ id: string }>;
  /** The user owning a token hash (and marks the token used), or undefined. */
  /** `now`: the time of the use (recorded at most once per 5 minutes). */
  findUserByTokenHash(
    tokenHash: string,
    now?: Date,
  ): Promise<{ userId: string; username: string; role: string } | undefined>;
  // settings / profiles (JSON documents by key)
  getSetting<T = unknown>(key: string): Promise<T | undefined>;
  putSetting(key: string, value: unknown): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------------------------------------------------
// Extensions (additive): what the PostgreSQL store offers beyond `MetadataStore`. The implementation returned
// by `openStores()` is a `FullMetadataStore`; code that only needs `MetadataStore` keeps working unchanged.

export type UserRole = 'admin' | 'engineer' | 'viewer';

export interface UserRecord {
  id: string;
  username: string;
  passwordHash: string;
  role: UserRole;
  createdAt: string;
}

export interface ApiTokenRecord {
  id: string;
  userId: string;
  name: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface RecommendationKey {
  anomalyId: string;
  provider: string;
  model: string;
  promptVersion: string;
}

export interface RecommendationRecord extends RecommendationKey {
  text: string;
  usage: Record<string, unknown>;
  cost: number | null;
  createdAt: string;
}

export interface KnowledgeDocument {
  slug: string;
  title: string;
  anomalyType: string | null;
  body: string;
  tags: string[];
  updatedAt?: string;
}

export interface SiteModelRecord {
  site: string;
  kind: string;
  model: Record<string, unknown>;
  trainedOnFiles: number;
  updatedAt: string;
}

export interface MetadataExtras {
  // jobs
  getJob(
    id: string,
  ): Promise<(JobRecord & { payload: Record<string, unknown>; runAfter: string; maxAttempts: number }) | undefined>;
  /** `retry: true` re-queues a failed job with back-off while attempts remain; otherwise a failure is final. */
  /** With `workerId`: only while that worker holds the job; true when this call finished it. */
  completeJob(
    id: string,
    result: { ok: boolean; error?: string; retry?: boolean },
    workerId?: string,
  ): Promise<boolean>;
  /** Queues a job for the file unless one is queued or running already (`created: false`, that job). */
  enqueueJobOnce(fileId: string, payload?: Record<string, unknown>): Promise<{ job: JobRecord; created: boolean }>;
  /** Renews the lock of a running job held by this worker (so a long file is not reclaimed); false if lost. */
  heartbeatJob(id: string, workerId: string): Promise<boolean>;
  /** Fails the jobs (and files) whose lock expired after their last attempt; the jobs given up by this call. */
  abandonExpiredJobs(): Promise<{ id: string; fileId: string; payload: Record<string, unknown> }[]>;
  // users and API tokens (hashes only)
  createUser(u: { username: string; passwordHash: string; role: UserRole }): Promise<UserRecord>;
  getUser(id: string): Promise<UserRecord | undefined>;
  getUserByUsername(username: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;
  createApiToken(t: {
    userId: string;
    tokenHash: string;
    name?: string | null;
    expiresAt?: string | null;
  }): Promise<ApiTokenRecord>;
  /** Sign-out: the token stops authenticating (its row is deleted); false when it was not known. */
  revokeApiTokenByHash(tokenHash: string): Promise<boolean>;
  /** Raw parameterised queries for libraries with tables of their own (login rate limits). */
  sqlClient(): SqlQueryClient;
  deleteApiToken(id: string): Promise<void>;
  // recommendations (one per anomaly/provider/model/prompt version)
  getRecommendation(k: RecommendationKey): Promise<RecommendationRecord | undefined>;
  putRecommendation(r: Omit<RecommendationRecord, 'createdAt'>): Promise<void>;
  listRecommendations(anomalyId: string): Promise<RecommendationRecord[]>;
  // knowledge base with keyword search (tsvector, GIN)
  upsertKnowledgeDocument(d: KnowledgeDocument): Promise<void>;
  getKnowledgeDocument(slug: string): Promise<KnowledgeDocument | undefined>;
  searchKnowledge(
    query: string,
    opts?: { anomalyType?: string; limit?: number },
  ): Promise<(KnowledgeDocument & { rank: number })[]>;
  // profiles and per-site models
  putProfile(name: string, document: Record<string, unknown>): Promise<void>;
  getProfile(name: string): Promise<Record<string, unknown> | undefined>;
  listProfiles(): Promise<{ name: string; updatedAt: string }[]>;
  putSiteModel(m: Omit<SiteModelRecord, 'updatedAt'>): Promise<void>;
  /** The file analysis page's views of a file, one document per kind; replaces the file's earlier ones. */
  putFileViews(fileId: string, views: Record<string, Record<string, unknown>>): Promise<void>;
  getFileView(fileId: string, kind: string): Promise<Record<string, unknown> | undefined>;
  /** {@link getFileView} as JSON text (served as it is). */
  getFileViewText(fileId: string, kind: string): Promise<string | undefined>;
  /** {@link getFileView} as one gzip member (stored so since migration 0005), to splice into a response (gzipJoin). */
  getFileViewGzip(fileId: string, kind: string): Promise<Uint8Array | undefined>;
  getSiteModel(site: string, kind: string): Promise<SiteModelRecord | undefined>;
  getSession(id: string): Promise<
    | {
        id: string;
        name: string;
        status: SessionStatus;
        createdBy: string | null;
        startedAt: string;
        finishedAt: string | null;
        durationMs: number | null;
      }
    | undefined
  >;
}

export type FullMetadataStore = MetadataStore & MetadataExtras;

/** Aggregates of the anomalies matching a query (`GET /api/dashboard/summary`). */
export interface AnomalySummary {
  total: number;
  /** First and last anomaly timestamps (9 decimals); absent when nothing matched. */
  first?: string;
  last?: string;
  bySeverity: Record<string, number>;
  bySource: Record<string, number>;
  /** Most frequent types first, with the worst severity seen for each. */
  byType: { type: string; count: number; worstSeverity: string }[];
  /** Files with the most anomalies first (`file` is the name as analysed). */
  byFile: { fileId: string; file: string; count: number }[];
  /** Counts per time bucket (bucket start, 9 decimals), by severity; empty buckets are left out. */
  trend: { bucket: string; total: number; bySeverity: Record<string, number> }[];
  bucketMs: number;
}

/** Filters of `GET /api/incidents`. */
export interface IncidentQuery {
  fileId?: string;
  sessionId?: string;
  severity?: string[];
  /** The incident that holds this finding. */
  findingId?: string;
  sort?: 'start' | 'severity';
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

/** What the ClickHouse store offers beyond `AnomalyStore` (additive). */
export interface AnomalyStoreExtras {
  /** A file's incidents (reference/anomalies.md §Incidents) replace its earlier ones. */
  replaceFileIncidents(fileId: string, incidents: Incident[]): Promise<void>;
  queryIncidents(q: IncidentQuery, signal?: AbortSignal): Promise<{ items: Incident[]; total: number }>;
  getIncident(id: string, signal?: AbortSignal): Promise<Incident | undefined>;
  /** Readiness: the server answers and the schema is in place. */
  ready(signal?: AbortSignal): Promise<void>;
  /** Counts by severity, source, type, file and over time; `bucketMs` defaults to a round size giving ≤ ~120 buckets. */
  summarizeAnomalies(
    q: AnomalyQuery,
    opts?: { bucketMs?: number; topTypes?: number; topFiles?: number },
    signal?: AbortSignal,
  ): Promise<AnomalySummary>;
  /** Removes every anomaly and metric of these files (a deleted upload, or before a file's results stream in). */
  deleteFileResults(fileIds: string[]): Promise<void>;
  /**
   * Inserts findings streamed in while a file is analysed, without `insertAnomalies`' look-up of repeated ids
   * (a query over the file's stored rows per batch, quadratic over a long file). The caller guarantees what
   * makes that look-up unnecessary: the file's earlier rows were deleted (`deleteFileResults`) before its
   * first batch, and its ids are unique. `options.deduplicationToken` as for `insertMetrics`.
   */
  appendAnomalies(rows: Anomaly[], options?: InsertOptions): Promise<void>;
  /**
   * Anomalies stored now per session (0 for a session without any). A session's `anomalies_detected` is what
   * it found when it ran; a file analysed again in a later session takes its rows there.
   */
  countBySession(sessionIds: string[]): Promise<Record<string, number>>;
}

export type FullAnomalyStore = AnomalyStore & AnomalyStoreExtras;
