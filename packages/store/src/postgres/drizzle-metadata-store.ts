import type { AnomalyStatus, FileInfo, FileStatus, SessionStatus } from '@l1t/contracts';
import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type {
  ApiTokenRecord,
  FileUpdate,
  FullMetadataStore,
  JobRecord,
  KnowledgeDocument,
  NewFile,
  RecommendationKey,
  RecommendationRecord,
  SiteModelRecord,
  UserRecord,
  UserRole,
} from '../types.js';
import { migratePostgres } from './migrate.js';
import type { MetadataDb, PgConnection } from './pg-connection.js';
import {
  analysisJobs,
  anomalyStatus,
  anomalyStatusHistory,
  apiTokens,
  files,
  knowledgeDocuments,
  profiles,
  recommendations,
  sessions,
  settings,
  siteModels,
  users,
} from './schema.js';

export interface MetadataStoreOptions {
  /** A running job whose lock is older than this is considered abandoned (worker died) and reclaimed. */
  jobLockTimeoutMs?: number;
  /** Attempts before a job fails for good (set on enqueue). */
  jobMaxAttempts?: number;
  /** Back-off of a retried job: base × 2^(attempts-1). */
  jobRetryBaseMs?: number;
}

const iso = (d: Date | null | undefined): string | null => (d ? d.toISOString() : null);
const isoReq = (d: Date): string => d.toISOString();
const date = (s: string | null | undefined): Date | null => (s === null || s === undefined ? null : new Date(s));

type FileRow = typeof files.$inferSelect;
function toFileInfo(r: FileRow): FileInfo {
  return {
    id: r.id,
    session_id: r.sessionId,
    name: r.name,
    path: r.path,
    size: r.size,
    sha256: r.sha256,
    format: r.format as FileInfo['format'],
    format_detail: r.formatDetail,
    status: r.status as FileStatus,
    progress: r.progress,
    anomaly_count: r.anomalyCount,
    packet_count: r.packetCount,
    error: r.error,
    warning: r.warning,
    started_at: iso(r.startedAt),
    finished_at: iso(r.finishedAt),
    duration_ms: r.durationMs,
    created_at: isoReq(r.createdAt),
  };
}

type JobRow = typeof analysisJobs.$inferSelect;
function toJob(r: JobRow): JobRecord & { payload: Record<string, unknown>; runAfter: string; maxAttempts: number } {
  return {
    id: r.id,
    fileId: r.fileId,
    status: r.status,
    attempts: r.attempts,
    lockedBy: r.lockedBy,
    error: r.error,
    payload: r.payload,
    runAfter: isoReq(r.runAfter),
    maxAttempts: r.maxAttempts,
  };
}

type UserRow = typeof users.$inferSelect;
const toUser = (r: UserRow): UserRecord => ({
  id: r.id,
  username: r.username,
  passwordHash: r.passwordHash,
  role: r.role,
  createdAt: isoReq(r.createdAt),
});

type RecRow = typeof recommendations.$inferSelect;
const toRec = (r: RecRow): RecommendationRecord => ({
  anomalyId: r.anomalyId,
  provider: r.provider,
  model: r.model,
  promptVersion: r.promptVersion,
  text: r.text,
  usage: r.usage,
  cost: r.cost,
  createdAt: isoReq(r.createdAt),
});

type DocRow = typeof knowledgeDocuments.$inferSelect;
const toDoc = (r: Omit<DocRow, 'id' | 'search'>): KnowledgeDocument => ({
  slug: r.slug,
  title: r.title,
  anomalyType: r.anomalyType,
  body: r.body,
  tags: r.tags,
  updatedAt: isoReq(r.updatedAt),
});

/**
 * `MetadataStore` written once with Drizzle over PostgreSQL; the same class runs on PGlite (embedded) and
 * on a server through `pg` (see `PgConnection`).
 */
export class DrizzleMetadataStore implements FullMetadataStore {
  readonly kind: 'pglite' | 'postgres';
  readonly db: MetadataDb;
  readonly #lockTimeoutMs: number;
  readonly #maxAttempts: number;
  readonly #retryBaseMs: number;

  constructor(
    readonly connection: PgConnection,
    opts: MetadataStoreOptions = {},
  ) {
    this.kind = connection.kind;
    this.db = connection.db;
    this.#lockTimeoutMs = opts.jobLockTimeoutMs ?? 15 * 60_000;
    this.#maxAttempts = opts.jobMaxAttempts ?? 3;
    this.#retryBaseMs = opts.jobRetryBaseMs ?? 5_000;
  }

  migrate(): Promise<number[]> {
    return migratePostgres(this.connection);
  }

  async ping(): Promise<void> {
    await this.db.execute(sql`SELECT 1`);
  }

  /** Readiness: the server answers and the schema is migrated. */
  async ready(): Promise<void> {
    await this.db.execute(sql`SELECT 1 FROM schema_migrations LIMIT 1`);
  }

  // ----- sessions
  async createSession(s: { id: string; name: string; startedAt: string; createdBy?: string | null }): Promise<void> {
    await this.db
      .insert(sessions)
      .values({ id: s.id, name: s.name, startedAt: new Date(s.startedAt), createdBy: s.createdBy ?? null })
      .onConflictDoUpdate({ target: sessions.id, set: { name: s.name } });
  }

  async finishSession(id: string, u: { status: SessionStatus; finishedAt: string; durationMs: number }): Promise<void> {
    await this.db
      .update(sessions)
      .set({ status: u.status, finishedAt: new Date(u.finishedAt), durationMs: u.durationMs })
      .where(eq(sessions.id, id));
  }

  async getSession(id: string) {
    const [r] = await this.db.select().from(sessions).where(eq(sessions.id, id));
    if (!r) return undefined;
    return {
      id: r.id,
      name: r.name,
      status: r.status,
      createdBy: r.createdBy,
      startedAt: isoReq(r.startedAt),
      finishedAt: iso(r.finishedAt),
      durationMs: r.durationMs,
    };
  }

  // ----- files
  async upsertFile(f: NewFile): Promise<FileInfo> {
    const [inserted] = await this.db
      .insert(files)
      .values({
        id: f.id,
        sessionId: f.sessionId,
        name: f.name,
        path: f.path,
        size: f.size,
        sha256: f.sha256,
        format: f.format,
        formatDetail: f.formatDetail,
      })
      .onConflictDoNothing({ target: files.sha256 })
      .returning();
    if (inserted) return toFileInfo(inserted);
    const existing = await this.getFileBySha256(f.sha256);
    if (!existing) throw new Error(`file ${f.id} conflicts on id with another content`);
    return existing;
  }

  async updateFile(id: string, u: FileUpdate): Promise<void> {
    const set: Partial<typeof files.$inferInsert> = { updatedAt: new Date() };
    if (u.status !== undefined) set.status = u.status;
    if (u.progress !== undefined) set.progress = u.progress;
    if (u.anomalyCount !== undefined) set.anomalyCount = u.anomalyCount;
    if (u.packetCount !== undefined) set.packetCount = u.packetCount;
    if (u.error !== undefined) set.error = u.error;
    if (u.warning !== undefined) set.warning = u.warning;
    if (u.startedAt !== undefined) set.startedAt = date(u.startedAt);
    if (u.finishedAt !== undefined) set.finishedAt = date(u.finishedAt);
    if (u.durationMs !== undefined) set.durationMs = u.durationMs;
    if (u.sessionId !== undefined) set.sessionId = u.sessionId;
    if (u.format !== undefined) set.format = u.format;
    if (u.formatDetail !== undefined) set.formatDetail = u.formatDetail;
    if (u.summary !== undefined) set.summary = u.summary;
    await this.db.update(files).set(set).where(eq(files.id, id));
  }

  async getFile(id: string): Promise<FileInfo | undefined> {
    const [r] = await this.db.select().from(files).where(eq(files.id, id));
    return r ? toFileInfo(r) : undefined;
  }

  async getFileBySha256(sha256: string): Promise<FileInfo | undefined> {
    const [r] = await this.db.select().from(files).where(eq(files.sha256, sha256));
    return r ? toFileInfo(r) : undefined;
  }

  /** The analysis summary stored with `updateFile({ summary })`. */
  async getFileSummary(id: string): Promise<Record<string, unknown> | undefined> {
    const [r] = await this.db.select({ summary: files.summary }).from(files).where(eq(files.id, id));
    return r?.summary ?? undefined;
  }

  async listFiles(q: {
    sessionId?: string;
    status?: FileStatus;
    limit?: number;
    offset?: number;
  }): Promise<{ items: FileInfo[]; total: number }> {
    const where = and(
      q.sessionId !== undefined ? eq(files.sessionId, q.sessionId) : undefined,
      q.status !== undefined ? eq(files.status, q.status) : undefined,
    );
    const limit = Math.min(10_000, Math.max(0, Math.trunc(q.limit ?? 100)));
    const [rows, totals] = await Promise.all([
      this.db
        .select()
        .from(files)
        .where(where)
        .orderBy(desc(files.createdAt), asc(files.id))
        .limit(limit)
        .offset(Math.max(0, Math.trunc(q.offset ?? 0))),
      this.db.select({ n: count() }).from(files).where(where),
    ]);
    return { items: rows.map(toFileInfo), total: Number(totals[0]?.n ?? 0) };
  }

  // ----- jobs
  async enqueueJob(fileId: string, payload: Record<string, unknown> = {}): Promise<JobRecord> {
    const [r] = await this.db
      .insert(analysisJobs)
      .values({ fileId, payload, maxAttempts: this.#maxAttempts })
      .returning();
    return toJob(r!);
  }

  async getJob(id: string) {
    const [r] = await this.db.select().from(analysisJobs).where(eq(analysisJobs.id, id));
    return r ? toJob(r) : undefined;
  }

  /**
   * Claims the oldest runnable job: queued and due, or running with a lock older than the lock timeout
   * (its worker died). FOR UPDATE SKIP LOCKED lets concurrent claimers pass over each other's rows, so no
   * two workers ever get the same job. A stale job that has used all its attempts fails instead.
   */
  async claimJob(workerId: string): Promise<(JobRecord & { payload: Record<string, unknown> }) | undefined> {
    const staleMs = this.#lockTimeoutMs;
    await this.db.execute(sql`
      UPDATE analysis_jobs SET status = 'failed', locked_by = NULL, updated_at = now(),
             error = coalesce(error, 'abandoned: lock expired after ' || attempts || ' attempts')
      WHERE status = 'running' AND locked_at < now() - make_interval(secs => ${staleMs / 1000}) AND attempts >= max_attempts`);
    const result = await this.db.execute(sql`
      WITH candidate AS (
        SELECT id FROM analysis_jobs
        WHERE attempts < max_attempts
          AND ((status = 'queued' AND run_after <= now())
            OR (status = 'running' AND locked_at < now() - make_interval(secs => ${staleMs / 1000})))
        ORDER BY run_after, created_at, id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      UPDATE analysis_jobs AS j
      SET status = 'running', attempts = j.attempts + 1, locked_by = ${workerId}, locked_at = now(), updated_at = now()
      FROM candidate WHERE j.id = candidate.id
      RETURNING j.id`);
    const id = (result as unknown as { rows: { id: string }[] }).rows[0]?.id;
    return id ? this.getJob(id) : undefined;
  }

  async completeJob(id: string, result: { ok: boolean; error?: string; retry?: boolean }): Promise<void> {
    if (result.ok) {
      await this.db
        .update(analysisJobs)
        .set({ status: 'done', lockedBy: null, lockedAt: null, error: null, updatedAt: new Date() })
        .where(eq(analysisJobs.id, id));
      return;
    }
    const error = result.error ?? 'failed';
    if (result.retry) {
      const base = this.#retryBaseMs / 1000;
      await this.db.execute(sql`
        UPDATE analysis_jobs SET
          status = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
          run_after = CASE WHEN attempts < max_attempts THEN now() + make_interval(secs => ${base} * power(2, greatest(attempts - 1, 0))) ELSE run_after END,
          locked_by = NULL, locked_at = NULL, error = ${error}, updated_at = now()
        WHERE id = ${id}`);
      return;
    }
    await this.db
      .update(analysisJobs)
      .set({ status: 'failed', lockedBy: null, lockedAt: null, error, updatedAt: new Date() })
      .where(eq(analysisJobs.id, id));
  }

  // ----- anomaly status workflow
  async setAnomalyStatus(a: {
    anomalyId: string;
    status: AnomalyStatus;
    note?: string | null;
    userId?: string | null;
  }): Promise<void> {
    const note = a.note ?? null;
    const userId = a.userId ?? null;
    await this.db.transaction(async (tx) => {
      const now = new Date();
      await tx
        .insert(anomalyStatus)
        .values({ anomalyId: a.anomalyId, status: a.status, note, userId, updatedAt: now })
        .onConflictDoUpdate({
          target: anomalyStatus.anomalyId,
          set: { status: a.status, note, userId, updatedAt: now },
        });
      await tx.insert(anomalyStatusHistory).values({ anomalyId: a.anomalyId, status: a.status, note, userId, at: now });
    });
  }

  /** Statuses set explicitly; an anomaly absent from the answer is `open`. */
  async getAnomalyStatuses(ids: string[]): Promise<Record<string, AnomalyStatus>> {
    if (ids.length === 0) return {};
    const rows = await this.db
      .select({ id: anomalyStatus.anomalyId, status: anomalyStatus.status })
      .from(anomalyStatus)
      .where(inArray(anomalyStatus.anomalyId, ids));
    return Object.fromEntries(rows.map((r) => [r.id, r.status as AnomalyStatus]));
  }

  /** Ids whose status was set to `status` (anomalies never reviewed are open and not listed). */
  async anomalyIdsWithStatus(status: AnomalyStatus): Promise<string[]> {
    const rows = await this.db
      .select({ id: anomalyStatus.anomalyId })
      .from(anomalyStatus)
      .where(eq(anomalyStatus.status, status))
      .orderBy(asc(anomalyStatus.anomalyId));
    return rows.map((r) => r.id);
  }

  async statusHistory(
    anomalyId: string,
  ): Promise<{ status: AnomalyStatus; note: string | null; userId: string | null; at: string }[]> {
    const rows = await this.db
      .select()
      .from(anomalyStatusHistory)
      .where(eq(anomalyStatusHistory.anomalyId, anomalyId))
      .orderBy(asc(anomalyStatusHistory.at), asc(anomalyStatusHistory.id));
    return rows.map((r) => ({ status: r.status as AnomalyStatus, note: r.note, userId: r.userId, at: isoReq(r.at) }));
  }

  // ----- settings
  async getSetting<T = unknown>(key: string): Promise<T | undefined> {
    const [r] = await this.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
    return r ? (r.value as T) : undefined;
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    const now = new Date();
    await this.db
      .insert(settings)
      .values({ key, value, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
  }

  // ----- users and tokens
  async createUser(u: { username: string; passwordHash: string; role: UserRole }): Promise<UserRecord> {
    const [r] = await this.db.insert(users).values(u).returning();
    return toUser(r!);
  }

  async getUser(id: string): Promise<UserRecord | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [r] = await this.db.select().from(users).where(eq(users.id, id));
    return r ? toUser(r) : undefined;
  }

  async getUserByUsername(username: string): Promise<UserRecord | undefined> {
    const [r] = await this.db.select().from(users).where(eq(users.username, username));
    return r ? toUser(r) : undefined;
  }

  async listUsers(): Promise<UserRecord[]> {
    return (await this.db.select().from(users).orderBy(asc(users.username))).map(toUser);
  }

  async createApiToken(t: {
    userId: string;
    tokenHash: string;
    name?: string | null;
    expiresAt?: string | null;
  }): Promise<ApiTokenRecord> {
    const [r] = await this.db
      .insert(apiTokens)
      .values({ userId: t.userId, tokenHash: t.tokenHash, name: t.name ?? null, expiresAt: date(t.expiresAt) })
      .returning();
    return {
      id: r!.id,
      userId: r!.userId,
      name: r!.name,
      createdAt: isoReq(r!.createdAt),
      lastUsedAt: iso(r!.lastUsedAt),
      expiresAt: iso(r!.expiresAt),
    };
  }

  /** The user of a known, unexpired token hash; records the use (last_used_at). */
  async findUserByTokenHash(
    tokenHash: string,
  ): Promise<{ userId: string; username: string; role: UserRole } | undefined> {
    const [t] = await this.db
      .update(apiTokens)
      .set({ lastUsedAt: new Date() })
      .where(
        and(
          eq(apiTokens.tokenHash, tokenHash),
          sql`(${apiTokens.expiresAt} IS NULL OR ${apiTokens.expiresAt} > now())`,
        ),
      )
      .returning({ userId: apiTokens.userId });
    const u = t ? await this.getUser(t.userId) : undefined;
    return u ? { userId: u.id, username: u.username, role: u.role } : undefined;
  }

  async deleteApiToken(id: string): Promise<void> {
    await this.db.delete(apiTokens).where(eq(apiTokens.id, id));
  }

  // ----- recommendations
  async getRecommendation(k: RecommendationKey): Promise<RecommendationRecord | undefined> {
    const [r] = await this.db
      .select()
      .from(recommendations)
      .where(
        and(
          eq(recommendations.anomalyId, k.anomalyId),
          eq(recommendations.provider, k.provider),
          eq(recommendations.model, k.model),
          eq(recommendations.promptVersion, k.promptVersion),
        ),
      );
    return r ? toRec(r) : undefined;
  }

  async putRecommendation(r: Omit<RecommendationRecord, 'createdAt'>): Promise<void> {
    const now = new Date();
    await this.db
      .insert(recommendations)
      .values({ ...r, createdAt: now })
      .onConflictDoUpdate({
        target: [
          recommendations.anomalyId,
          recommendations.provider,
          recommendations.model,
          recommendations.promptVersion,
        ],
        set: { text: r.text, usage: r.usage, cost: r.cost, createdAt: now },
      });
  }

  async listRecommendations(anomalyId: string): Promise<RecommendationRecord[]> {
    return (
      await this.db
        .select()
        .from(recommendations)
        .where(eq(recommendations.anomalyId, anomalyId))
        .orderBy(desc(recommendations.createdAt))
    ).map(toRec);
  }

  // ----- knowledge
  async upsertKnowledgeDocument(d: KnowledgeDocument): Promise<void> {
    const values = {
      slug: d.slug,
      title: d.title,
      anomalyType: d.anomalyType,
      body: d.body,
      tags: d.tags,
      updatedAt: d.updatedAt ? new Date(d.updatedAt) : new Date(),
    };
    const { slug: _slug, ...set } = values;
    await this.db
      .insert(knowledgeDocuments)
      .values(values)
      .onConflictDoUpdate({ target: knowledgeDocuments.slug, set });
  }

  async getKnowledgeDocument(slug: string): Promise<KnowledgeDocument | undefined> {
    const [r] = await this.db.select().from(knowledgeDocuments).where(eq(knowledgeDocuments.slug, slug));
    return r ? toDoc(r) : undefined;
  }

  /** Keyword search (websearch syntax: words, "phrases", -exclusions), best match first. */
  async searchKnowledge(
    query: string,
    opts: { anomalyType?: string; limit?: number } = {},
  ): Promise<(KnowledgeDocument & { rank: number })[]> {
    const tsq = sql`(websearch_to_tsquery('english', ${query}) || websearch_to_tsquery('simple', ${query}))`;
    const rank = sql<number>`ts_rank(${knowledgeDocuments.search}, ${tsq})`;
    const rows = await this.db
      .select({
        slug: knowledgeDocuments.slug,
        title: knowledgeDocuments.title,
        anomalyType: knowledgeDocuments.anomalyType,
        body: knowledgeDocuments.body,
        tags: knowledgeDocuments.tags,
        updatedAt: knowledgeDocuments.updatedAt,
        rank,
      })
      .from(knowledgeDocuments)
      .where(
        and(
          sql`${knowledgeDocuments.search} @@ ${tsq}`,
          opts.anomalyType !== undefined ? eq(knowledgeDocuments.anomalyType, opts.anomalyType) : undefined,
        ),
      )
      .orderBy(desc(rank), asc(knowledgeDocuments.slug))
      .limit(Math.min(100, Math.max(1, opts.limit ?? 10)));
    return rows.map((r) => ({ ...toDoc(r), rank: Number(r.rank) }));
  }

  // ----- profiles and site models
  async putProfile(name: string, document: Record<string, unknown>): Promise<void> {
    const now = new Date();
    await this.db
      .insert(profiles)
      .values({ name, document, updatedAt: now })
      .onConflictDoUpdate({ target: profiles.name, set: { document, updatedAt: now } });
  }

  async getProfile(name: string): Promise<Record<string, unknown> | undefined> {
    const [r] = await this.db.select({ document: profiles.document }).from(profiles).where(eq(profiles.name, name));
    return r?.document;
  }

  async listProfiles(): Promise<{ name: string; updatedAt: string }[]> {
    const rows = await this.db
      .select({ name: profiles.name, updatedAt: profiles.updatedAt })
      .from(profiles)
      .orderBy(asc(profiles.name));
    return rows.map((r) => ({ name: r.name, updatedAt: isoReq(r.updatedAt) }));
  }

  async putSiteModel(m: Omit<SiteModelRecord, 'updatedAt'>): Promise<void> {
    const now = new Date();
    await this.db
      .insert(siteModels)
      .values({ ...m, updatedAt: now })
      .onConflictDoUpdate({
        target: [siteModels.site, siteModels.kind],
        set: { model: m.model, trainedOnFiles: m.trainedOnFiles, updatedAt: now },
      });
  }

  async getSiteModel(site: string, kind: string): Promise<SiteModelRecord | undefined> {
    const [r] = await this.db
      .select()
      .from(siteModels)
      .where(and(eq(siteModels.site, site), eq(siteModels.kind, kind)));
    return r
      ? { site: r.site, kind: r.kind, model: r.model, trainedOnFiles: r.trainedOnFiles, updatedAt: isoReq(r.updatedAt) }
      : undefined;
  }

  close(): Promise<void> {
    return this.connection.close();
  }
}
