import type { AnomalyStatus, FileInfo, FileStatus, SessionStatus } from '@l1t/contracts';
import { sql } from 'drizzle-orm';
import type {
  FileUpdate,
  FullMetadataStore,
  KnowledgeDocument,
  NewFile,
  RecommendationKey,
  RecommendationRecord,
  SiteModelRecord,
  UserRole,
} from '../types.js';
import { migratePostgres } from './migrate.js';
import type { MetadataDb, PgConnection, SqlQueryClient } from './pg-connection.js';
import { AccountsRepo } from './repos/accounts-repo.js';
import { AdviceRepo } from './repos/advice-repo.js';
import { DocumentsRepo } from './repos/documents-repo.js';
import { FilesRepo } from './repos/files-repo.js';
import { FileViewsRepo } from './repos/file-views-repo.js';
import { JobQueue } from './repos/job-queue.js';
import { ReviewRepo } from './repos/review-repo.js';

export interface MetadataStoreOptions {
  /** A running job whose lock is older than this is considered abandoned (worker died) and reclaimed. Default 15 min. */
  jobLockTimeoutMs?: number;
  /** Attempts before a job fails for good (set on enqueue). Default 3. */
  jobMaxAttempts?: number;
  /** Back-off of a retried job: base × 2^(attempts-1). Default 5 s. */
  jobRetryBaseMs?: number;
  /** Cache token look-ups and status reads on PGlite (default true; ReadCache). Never on a PostgreSQL server. */
  readCache?: boolean;
}

/**
 * `MetadataStore` written once with Drizzle over PostgreSQL; the same class runs on PGlite (embedded) and on
 * a server through `pg` (see `PgConnection`). Each responsibility lives in its repository (also reachable
 * directly: `store.jobs`, `store.files`, …); this class is the one object the API, CLI and runner hold.
 */
export class DrizzleMetadataStore implements FullMetadataStore {
  readonly kind: 'pglite' | 'postgres';
  readonly db: MetadataDb;
  readonly files: FilesRepo;
  readonly jobs: JobQueue;
  readonly review: ReviewRepo;
  readonly accounts: AccountsRepo;
  readonly advice: AdviceRepo;
  readonly documents: DocumentsRepo;
  readonly views: FileViewsRepo;

  constructor(
    readonly connection: PgConnection,
    opts: MetadataStoreOptions = {},
  ) {
    this.kind = connection.kind;
    this.db = connection.db;
    this.files = new FilesRepo(this.db);
    this.jobs = new JobQueue(this.db, opts);
    // PGlite's directory belongs to this process alone: reads its own writes invalidate can be cached.
    const single = connection.kind === 'pglite' && opts.readCache !== false;
    this.review = new ReviewRepo(this.db, { cacheStatuses: single });
    this.accounts = new AccountsRepo(this.db, { cacheTokens: single });
    this.advice = new AdviceRepo(this.db);
    this.documents = new DocumentsRepo(this.db);
    this.views = new FileViewsRepo(this.db);
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

  close(): Promise<void> {
    return this.connection.close();
  }

  // sessions and files
  createSession(s: { id: string; name: string; startedAt: string; createdBy?: string | null }) {
    return this.files.createSession(s);
  }
  finishSession(id: string, u: { status: SessionStatus; finishedAt: string; durationMs: number }) {
    return this.files.finishSession(id, u);
  }
  getSession(id: string) {
    return this.files.getSession(id);
  }
  upsertFile(f: NewFile): Promise<FileInfo> {
    return this.files.upsertFile(f);
  }
  updateFile(id: string, u: FileUpdate) {
    return this.files.updateFile(id, u);
  }
  getFile(id: string) {
    return this.files.getFile(id);
  }
  getFileBySha256(sha256: string) {
    return this.files.getFileBySha256(sha256);
  }
  countDoneFilesByWeek(endMs: number, weekMs: number, sessionId?: string) {
    return this.files.countDoneFilesByWeek(endMs, weekMs, sessionId);
  }
  getFileSummary(id: string) {
    return this.files.getFileSummary(id);
  }
  putFileViews(fileId: string, views: Record<string, Record<string, unknown>>) {
    return this.views.putFileViews(fileId, views);
  }
  getFileView(fileId: string, kind: string) {
    return this.views.getFileView(fileId, kind);
  }
  getFileViewText(fileId: string, kind: string) {
    return this.views.getFileViewText(fileId, kind);
  }
  getFileViewGzip(fileId: string, kind: string) {
    return this.views.getFileViewGzip(fileId, kind);
  }
  listFiles(q: { sessionId?: string; status?: FileStatus; limit?: number; offset?: number }) {
    return this.files.listFiles(q);
  }

  // job queue
  enqueueJob(fileId: string, payload?: Record<string, unknown>) {
    return this.jobs.enqueueJob(fileId, payload);
  }
  getJob(id: string) {
    return this.jobs.getJob(id);
  }
  claimJob(workerId: string) {
    return this.jobs.claimJob(workerId);
  }
  completeJob(id: string, result: { ok: boolean; error?: string; retry?: boolean }, workerId?: string) {
    return this.jobs.completeJob(id, result, workerId);
  }
  enqueueJobOnce(fileId: string, payload?: Record<string, unknown>) {
    return this.jobs.enqueueJobOnce(fileId, payload);
  }
  heartbeatJob(id: string, workerId: string) {
    return this.jobs.heartbeatJob(id, workerId);
  }
  abandonExpiredJobs() {
    return this.jobs.abandonExpiredJobs();
  }

  // anomaly review
  setAnomalyStatus(a: { anomalyId: string; status: AnomalyStatus; note?: string | null; userId?: string | null }) {
    return this.review.setAnomalyStatus(a);
  }
  getAnomalyStatuses(ids: string[]) {
    return this.review.getAnomalyStatuses(ids);
  }
  anomalyIdsWithStatus(status: AnomalyStatus) {
    return this.review.anomalyIdsWithStatus(status);
  }
  statusHistory(anomalyId: string) {
    return this.review.statusHistory(anomalyId);
  }

  // users and tokens
  createUser(u: { username: string; passwordHash: string; role: UserRole }) {
    return this.accounts.createUser(u);
  }
  getUser(id: string) {
    return this.accounts.getUser(id);
  }
  getUserByUsername(username: string) {
    return this.accounts.getUserByUsername(username);
  }
  listUsers() {
    return this.accounts.listUsers();
  }
  createApiToken(t: { userId: string; tokenHash: string; name?: string | null; expiresAt?: string | null }) {
    return this.accounts.createApiToken(t);
  }
  findUserByTokenHash(tokenHash: string, now?: Date) {
    return this.accounts.findUserByTokenHash(tokenHash, now);
  }
  deleteApiToken(id: string) {
    return this.accounts.deleteApiToken(id);
  }
  sqlClient(): SqlQueryClient {
    return this.connection.sql;
  }
  revokeApiTokenByHash(tokenHash: string) {
    return this.accounts.revokeApiTokenByHash(tokenHash);
  }

  // recommendations and knowledge
  getRecommendation(k: RecommendationKey) {
    return this.advice.getRecommendation(k);
  }
  putRecommendation(r: Omit<RecommendationRecord, 'createdAt'>) {
    return this.advice.putRecommendation(r);
  }
  listRecommendations(anomalyId: string) {
    return this.advice.listRecommendations(anomalyId);
  }
  upsertKnowledgeDocument(d: KnowledgeDocument) {
    return this.advice.upsertKnowledgeDocument(d);
  }
  getKnowledgeDocument(slug: string) {
    return this.advice.getKnowledgeDocument(slug);
  }
  searchKnowledge(query: string, opts?: { anomalyType?: string; limit?: number }) {
    return this.advice.searchKnowledge(query, opts);
  }

  // settings, profiles, site models
  getSetting<T = unknown>(key: string) {
    return this.documents.getSetting<T>(key);
  }
  putSetting(key: string, value: unknown) {
    return this.documents.putSetting(key, value);
  }
  putProfile(name: string, document: Record<string, unknown>) {
    return this.documents.putProfile(name, document);
  }
  getProfile(name: string) {
    return this.documents.getProfile(name);
  }
  listProfiles() {
    return this.documents.listProfiles();
  }
  putSiteModel(m: Omit<SiteModelRecord, 'updatedAt'>) {
    return this.documents.putSiteModel(m);
  }
  getSiteModel(site: string, kind: string) {
    return this.documents.getSiteModel(site, kind);
  }
}
