import { eq, sql } from 'drizzle-orm';
import type { JobRecord } from '../../types.js';
import type { MetadataDb } from '../pg-connection.js';
import { analysisJobs } from '../schema.js';
import { toJob } from '../rows.js';

/** The analysis job queue (claimed with FOR UPDATE SKIP LOCKED). */
export class JobQueue {
  readonly #lockTimeoutMs: number;
  readonly #maxAttempts: number;
  readonly #retryBaseMs: number;

  constructor(
    readonly db: MetadataDb,
    opts: { jobLockTimeoutMs?: number; jobMaxAttempts?: number; jobRetryBaseMs?: number } = {},
  ) {
    this.#lockTimeoutMs = opts.jobLockTimeoutMs ?? 15 * 60_000;
    this.#maxAttempts = opts.jobMaxAttempts ?? 3;
    this.#retryBaseMs = opts.jobRetryBaseMs ?? 5_000;
  }

  // jobs
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

  /** Moves the lock of a running job forward; false when another worker reclaimed it meanwhile. */
  async heartbeatJob(id: string, workerId: string): Promise<boolean> {
    const result = await this.db.execute(sql`
      UPDATE analysis_jobs SET locked_at = now(), updated_at = now()
      WHERE id = ${id} AND status = 'running' AND locked_by = ${workerId}
      RETURNING id`);
    return (result as unknown as { rows: unknown[] }).rows.length > 0;
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
}
