import { eq, sql } from 'drizzle-orm';
import type { JobRecord } from '../../types.js';
import type { MetadataDb } from '../pg-connection.js';
import { analysisJobs } from '../schema.js';
import { toJob } from '../rows.js';

/**
 * `L1T_JOB_LOCK_TIMEOUT_S`: how long a running job's lock lives without a heartbeat before another worker
 * takes the job over (issue #17 defect 4: fixed at 15 min, a killed job left its file "analysing" that long).
 * Workers renew it every minute, so it must be well above that.
 */
export function lockTimeoutFromEnv(env: NodeJS.ProcessEnv): number | undefined {
  const raw = env.L1T_JOB_LOCK_TIMEOUT_S;
  if (raw === undefined || raw === '') return undefined;
  const s = Number(raw);
  if (!Number.isInteger(s) || s < 5 || s > 86_400)
    throw new Error(`L1T_JOB_LOCK_TIMEOUT_S: expected whole seconds from 5 to 86400, got ${JSON.stringify(raw)}`);
  return s * 1000;
}

/** Statuses of a job that still has work ahead (one per file at most, see enqueueJobOnce). */
const ACTIVE = sql`status IN ('queued', 'running')`;

/**
 * The analysis job queue (claimed with FOR UPDATE SKIP LOCKED). Hand-written on purpose: pg-boss 10.4.2 and
 * graphile-worker 0.17.3 (their last releases for Node 20) were tried on PostgreSQL 15 and PGlite (issue #17;
 * docs/reliability.md, "What was tried and not adopted"). Both run there — pg-boss even in-process through its
 * `db` option, graphile-worker on PGlite only behind @electric-sql/pglite-socket with its prepared statements
 * off — but neither gives what this queue exists for: neither can renew a running job's lock (pg-boss
 * expires `started_on + expire_in`, graphile-worker unlocks only after a hard-coded 4 hours), so a long file
 * and a killed worker's file cannot both be handled (defect 4); and neither checks the lock holder on
 * completion (pg-boss `complete(name, id)` let a worker whose lock had expired finish a job another worker had
 * taken over; graphile-worker deletes by id) — defect 10. Written here instead: heartbeat and a configurable
 * lock timeout, a job finished only by the worker holding it, a job given up fails its file too, one active job
 * per file.
 */
export class JobQueue {
  readonly #lockTimeoutMs: number;
  readonly #maxAttempts: number;
  readonly #retryBaseMs: number;

  constructor(
    readonly db: MetadataDb,
    opts: { jobLockTimeoutMs?: number; jobMaxAttempts?: number; jobRetryBaseMs?: number } = {},
  ) {
    this.#lockTimeoutMs = opts.jobLockTimeoutMs ?? lockTimeoutFromEnv(process.env) ?? 15 * 60_000;
    this.#maxAttempts = opts.jobMaxAttempts ?? 3;
    this.#retryBaseMs = opts.jobRetryBaseMs ?? 5_000;
  }

  // jobs
  /**
   * Queues a job for the file unless one is already queued or running (two identical uploads at once were
   * analysed twice). A transaction-scoped advisory lock on the file id serialises concurrent callers (no
   * schema change needed; PGlite has one connection and serialises anyway).
   */
  async enqueueJobOnce(
    fileId: string,
    payload: Record<string, unknown> = {},
  ): Promise<{ job: JobRecord; created: boolean }> {
    return this.db.transaction(async (tx) => {
      await tx.execute(sql`SELECT pg_advisory_xact_lock(hashtext(${`l1t-job:${fileId}`}))`);
      const [active] = await tx
        .select()
        .from(analysisJobs)
        .where(sql`${analysisJobs.fileId} = ${fileId} AND ${ACTIVE}`)
        .limit(1);
      if (active) return { job: toJob(active), created: false };
      const [r] = await tx.insert(analysisJobs).values({ fileId, payload, maxAttempts: this.#maxAttempts }).returning();
      return { job: toJob(r!), created: true };
    });
  }

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
    await this.abandonExpiredJobs();
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

  /**
   * Gives up the running jobs whose lock expired after their last attempt (their worker died every time) and
   * fails their files too (they stayed "analysing" at their last progress forever). Returns the jobs given up
   * by this call — each exactly once whoever calls (the UPDATE re-checks the row it locks), so the caller can
   * close their sessions (they stayed "running").
   */
  async abandonExpiredJobs(): Promise<{ id: string; fileId: string; payload: Record<string, unknown> }[]> {
    const result = await this.db.execute(sql`
      WITH abandoned AS (
        UPDATE analysis_jobs SET status = 'failed', locked_by = NULL, updated_at = now(),
               error = coalesce(error, 'abandoned: lock expired after ' || attempts || ' attempts')
        WHERE status = 'running' AND locked_at < now() - make_interval(secs => ${this.#lockTimeoutMs / 1000})
          AND attempts >= max_attempts
        RETURNING id, file_id, payload
      ), failed_files AS (
        UPDATE files SET status = 'failed', updated_at = now(),
               error = 'analysis abandoned: its worker stopped (killed or lost) on every attempt; upload the file again to retry'
        WHERE id IN (SELECT file_id FROM abandoned) AND status <> 'done'
      )
      SELECT id, file_id, payload FROM abandoned`);
    const rows = (result as unknown as { rows: { id: string; file_id: string; payload: unknown }[] }).rows;
    return rows.map((r) => ({
      id: r.id,
      fileId: r.file_id,
      payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : (r.payload ?? {})) as Record<string, unknown>,
    }));
  }

  /** Moves the lock of a running job forward; false when another worker reclaimed it meanwhile. */
  async heartbeatJob(id: string, workerId: string): Promise<boolean> {
    const result = await this.db.execute(sql`
      UPDATE analysis_jobs SET locked_at = now(), updated_at = now()
      WHERE id = ${id} AND status = 'running' AND locked_by = ${workerId}
      RETURNING id`);
    return (result as unknown as { rows: unknown[] }).rows.length > 0;
  }

  /**
   * Finishes a job. With `workerId`, only while that worker still holds it (two workers could finish one
   * job: one whose lock expired and the one that reclaimed it); false when it no longer does.
   */
  async completeJob(
    id: string,
    result: { ok: boolean; error?: string; retry?: boolean },
    workerId?: string,
  ): Promise<boolean> {
    const holder = workerId === undefined ? sql`TRUE` : sql`status = 'running' AND locked_by = ${workerId}`;
    let r: unknown;
    if (result.ok) {
      r = await this.db.execute(sql`
        UPDATE analysis_jobs SET status = 'done', locked_by = NULL, locked_at = NULL, error = NULL, updated_at = now()
        WHERE id = ${id} AND ${holder} RETURNING id`);
    } else if (result.retry) {
      const base = this.#retryBaseMs / 1000;
      r = await this.db.execute(sql`
        UPDATE analysis_jobs SET
          status = CASE WHEN attempts < max_attempts THEN 'queued' ELSE 'failed' END,
          run_after = CASE WHEN attempts < max_attempts THEN now() + make_interval(secs => ${base} * power(2, greatest(attempts - 1, 0))) ELSE run_after END,
          locked_by = NULL, locked_at = NULL, error = ${result.error ?? 'failed'}, updated_at = now()
        WHERE id = ${id} AND ${holder} RETURNING id`);
    } else {
      r = await this.db.execute(sql`
        UPDATE analysis_jobs SET status = 'failed', locked_by = NULL, locked_at = NULL, error = ${result.error ?? 'failed'}, updated_at = now()
        WHERE id = ${id} AND ${holder} RETURNING id`);
    }
    return (r as { rows: unknown[] }).rows.length > 0;
  }
}
