import type { FileInfo, FileStatus, SessionStatus } from '@l1t/contracts';
import { and, asc, count, desc, eq, sql } from 'drizzle-orm';
import type { FileUpdate, NewFile } from '../../types.js';
import type { MetadataDb } from '../pg-connection.js';
import { files, sessions } from '../schema.js';
import { date, iso, isoReq, toFileInfo } from '../rows.js';

/** Analysis sessions and files (one row per content, by sha256). */
export class FilesRepo {
  constructor(readonly db: MetadataDb) {}

  // sessions
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

  // files
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

  /**
   * Done files per window of `weekMs` ending at `endMs` (index 0) and the window before it (index 1), by when
   * their analysis ended (`finished_at`, else `created_at`, at millisecond precision as the API shows it), and
   * how many of them have findings: the dashboard's files cards, counted in the database instead of listing
   * every file (the listing cost ~170 ms of the event loop per dashboard request on PGlite at 2000 files).
   */
  async countDoneFilesByWeek(
    endMs: number,
    weekMs: number,
    sessionId?: string,
  ): Promise<{ files: [number, number]; withFindings: [number, number] }> {
    const t = sql`date_trunc('milliseconds', coalesce(${files.finishedAt}, ${files.createdAt}))`;
    const at = (ms: number) => sql`${new Date(ms).toISOString()}::timestamptz`;
    const end = at(endMs);
    const mid = at(endMs - weekMs);
    const start = at(endMs - 2 * weekMs);
    const [r] = await this.db
      .select({
        f0: sql<number>`count(*) filter (where ${t} > ${mid} and ${t} <= ${end})`.mapWith(Number),
        f1: sql<number>`count(*) filter (where ${t} > ${start} and ${t} <= ${mid})`.mapWith(Number),
        h0: sql<number>`count(*) filter (where ${t} > ${mid} and ${t} <= ${end} and ${files.anomalyCount} > 0)`.mapWith(
          Number,
        ),
        h1: sql<number>`count(*) filter (where ${t} > ${start} and ${t} <= ${mid} and ${files.anomalyCount} > 0)`.mapWith(
          Number,
        ),
      })
      .from(files)
      .where(and(eq(files.status, 'done'), sessionId !== undefined ? eq(files.sessionId, sessionId) : undefined));
    return { files: [r?.f0 ?? 0, r?.f1 ?? 0], withFindings: [r?.h0 ?? 0, r?.h1 ?? 0] };
  }
}
