import type { Profile } from '@l1t/contracts';
import type { FullAnomalyStore } from '@l1t/store';
import { isStoreConnectionFailure } from './store-errors.js';
import { analyzeFileWithSiteModel } from './site-models.js';
import { SessionRecorder, type Stores } from './session-recorder.js';
import { fileInput } from './sources.js';
import { createStoreSink, type StoreSinkOptions } from './store-sink.js';
import type { SpoolCommit, SpoolFlushed, StoreSpool } from './store-spool.js';
import { jobSessionId } from './ids.js';

/** What an analysis job carries (enqueued by uploads, `l1t` scripts or the CronJob). */
export interface JobPayload {
  /** Session to record into: one per upload batch; a job without one gets a session of its own. */
  sessionName?: string;
  /** The batch's session id (all files of one batch upload record into it); without it, a session per job. */
  sessionId?: string;
  profile?: Profile;
}

export interface JobRunnerOptions {
  workerId: string;
  /** Jobs run at the same time by this process. */
  concurrency?: number;
  /** Poll interval when the queue is empty. */
  pollMs?: number;
  /** How often a running job's lock is renewed (default 60 s; the queue reclaims locks after 15 min). */
  heartbeatMs?: number;
  /** Called as jobs start, progress and end (logs, SSE, metrics). */
  onEvent?: (e: JobEvent) => void;
  /** Called when claiming or running a job threw (the store unreachable, a bug); it was swallowed unlogged. */
  onError?: (err: unknown) => void;
  /**
   * ClickHouse writes kept on disk while it is unreachable (issue #17 faults): the file's job completes with
   * a note, and the rows are written when it answers again (tried every poll interval). Without a spool an
   * unreachable ClickHouse fails the job, which is retried.
   */
  spool?: StoreSpool;
  /** Bulk size and backpressure of the store sink (defaults: store-sink.ts). */
  sink?: Pick<StoreSinkOptions, 'bulkRows' | 'maxPendingRows'>;
}

export type JobEvent =
  | { kind: 'started'; jobId: string; fileId: string }
  | { kind: 'progress'; jobId: string; fileId: string; progress: number }
  | { kind: 'done'; jobId: string; fileId: string; anomalies: number }
  | { kind: 'failed'; jobId: string; fileId: string; error: string; retry: boolean }
  /** The job was taken over by another worker (this one's lock expired): its result was not recorded. */
  | { kind: 'lost'; jobId: string; fileId: string }
  /** ClickHouse was unreachable: the file's rows were kept in the spool (once per file). */
  | { kind: 'spooled'; jobId: string; fileId: string; rows: number; spooledAt: string; dir: string }
  /** A spooled file's rows were written to ClickHouse (once per file). */
  | { kind: 'flushed'; fileId: string; rows: number; spooledAt: string; flushedAt: string };

/** The file's note while its rows wait in the spool, and once they are written (`FileInfo.warning`). */
export function spoolNote(c: SpoolCommit | SpoolFlushed, dir: string): string {
  const note =
    'flushedAt' in c
      ? `ClickHouse was unreachable: ${c.rows} rows spooled at ${c.spooledAt}, flushed at ${c.flushedAt}`
      : `ClickHouse unreachable: ${c.rows} rows spooled at ${c.spooledAt} under ${dir}, written when it answers`;
  return c.warning ? `${c.warning}; ${note}` : note;
}

/** Progress is written to PostgreSQL at most this often per job (the UI polls or streams it). */
const PROGRESS_EVERY_MS = 500;

/**
 * Claims analysis jobs from the PostgreSQL queue (FOR UPDATE SKIP LOCKED, so any number of `l1t worker`
 * pods and in-process runners share it) and runs each through analyzeFile(). A job is idempotent: the file's
 * results replace its earlier ones. An input fault fails the job for good; anything else is retried with
 * back-off, and a job whose worker died is reclaimed when its lock expires.
 */
export class JobRunner {
  private running = 0;
  private stopped = false;
  private wake: (() => void) | undefined;
  private loops: Promise<void>[] = [];
  private lastFlush = 0;

  constructor(
    private readonly stores: Stores,
    private readonly opts: JobRunnerOptions,
  ) {}

  /** Starts the claim loops; `stop()` ends them after the jobs in hand. */
  start(): void {
    const n = Math.max(1, this.opts.concurrency ?? 1);
    for (let i = 0; i < n; i++) this.loops.push(this.loop());
  }

  /** Runs queued jobs until the queue is empty (tests, `l1t worker --once`). Returns how many ran. */
  async drain(): Promise<number> {
    let count = 0;
    while (await this.runOne()) count++;
    return count;
  }

  /** Nudges idle loops to look for work now (after an enqueue in this process). */
  poke(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await Promise.all(this.loops);
  }

  get busy(): number {
    return this.running;
  }

  private async loop(): Promise<void> {
    while (!this.stopped) {
      let worked = false;
      try {
        worked = await this.runOne();
      } catch (err) {
        // The store is unreachable for now: the claim is retried after the poll interval — and said.
        this.opts.onError?.(err);
      }
      if (!worked && !this.stopped) {
        await new Promise<void>((resolve) => {
          const done = (): void => {
            clearTimeout(timer);
            if (this.wake === done) this.wake = undefined;
            resolve();
          };
          const timer = setTimeout(done, this.opts.pollMs ?? 1000);
          this.wake = done;
        });
      }
    }
  }

  /**
   * Gives up the jobs whose worker died on their last attempt (the queue fails them and their files) and
   * closes their sessions, which no run would ever finish (issue #17 defect 4: they stayed "running").
   */
  private async closeAbandoned(emit: (e: JobEvent) => void): Promise<void> {
    const { metadata } = this.stores;
    for (const job of await metadata.abandonExpiredJobs()) {
      const payload = job.payload as JobPayload;
      const name = payload.sessionName ?? `upload ${(await metadata.getFile(job.fileId))?.name ?? job.fileId}`;
      await new SessionRecorder(this.stores, name, payload.sessionId ?? jobSessionId(job.id)).closeAbandoned(
        job.fileId,
      );
      const error = 'analysis abandoned: its worker stopped on every attempt';
      emit({ kind: 'failed', jobId: job.id, fileId: job.fileId, error, retry: false });
    }
  }

  /**
   * Writes the spooled rows of completed files to ClickHouse when it answers (at most once per poll interval)
   * and notes on each file when they were written. ClickHouse still unreachable: they wait for the next try.
   */
  async flushSpool(force = false): Promise<void> {
    const spool = this.opts.spool;
    if (!spool || spool.pending.length === 0) return;
    const now = Date.now();
    if (!force && now - this.lastFlush < (this.opts.pollMs ?? 1000)) return;
    this.lastFlush = now;
    const { flushed, error } = await spool.flush(this.stores.anomalies);
    if (error !== undefined && !(await isStoreConnectionFailure(error))) this.opts.onError?.(error);
    for (const f of flushed) {
      await this.stores.metadata
        .updateFile(f.fileId, { warning: spoolNote(f, spool.dir) })
        .catch((err: unknown) => this.opts.onError?.(err));
      this.opts.onEvent?.({
        kind: 'flushed',
        fileId: f.fileId,
        rows: f.rows,
        spooledAt: f.spooledAt,
        flushedAt: f.flushedAt,
      });
    }
  }

  /** Claims and runs one job; false when the queue had nothing runnable. */
  async runOne(): Promise<boolean> {
    const { metadata } = this.stores;
    const emit = this.opts.onEvent ?? (() => undefined);
    await this.flushSpool();
    await this.closeAbandoned(emit);
    const job = await metadata.claimJob(this.opts.workerId);
    if (!job) return false;
    this.running++;
    // A long file must not be reclaimed by another worker while this one is still on it. When the heartbeat
    // answers that the lock is gone (this worker stalled past the lock timeout and another took the job
    // over), this run stops: the other worker's run is the one that counts.
    const lost = new AbortController();
    const heartbeat = setInterval(() => {
      void metadata.heartbeatJob(job.id, this.opts.workerId).then(
        (held) => {
          if (!held) lost.abort(new Error('job reclaimed by another worker'));
        },
        (err: unknown) => this.opts.onError?.(err),
      );
    }, this.opts.heartbeatMs ?? 60_000);
    heartbeat.unref();
    // Findings reach ClickHouse while the file is read: memory stays bounded whatever its size.
    const sink = createStoreSink(this.stores.anomalies, {
      ...this.opts.sink,
      ...(this.opts.spool ? { spool: this.opts.spool } : {}),
    });
    let committed = false;
    try {
      const payload = job.payload as JobPayload;
      const file = await metadata.getFile(job.fileId);
      if (!file || !file.path) {
        await metadata.completeJob(job.id, { ok: false, error: `file ${job.fileId} has no stored path` });
        emit({ kind: 'failed', jobId: job.id, fileId: job.fileId, error: 'no stored path', retry: false });
        return true;
      }
      emit({ kind: 'started', jobId: job.id, fileId: file.id });
      await metadata.updateFile(file.id, {
        status: 'analysing',
        progress: 0,
        error: null,
        startedAt: new Date().toISOString(),
      });
      // Once the file's rows are spooled, its session row at the end waits in the same spool run.
      const stores = { ...this.stores, anomalies: spoolingSessions(this.stores.anomalies, () => sink.run) };
      const recorder = payload.sessionId
        ? new SessionRecorder(stores, payload.sessionName ?? `upload ${file.name}`, payload.sessionId, true)
        : new SessionRecorder(stores, payload.sessionName ?? `upload ${file.name}`, jobSessionId(job.id));
      await recorder.start();
      let last = 0;
      let progressWrite: Promise<unknown> = Promise.resolve();
      // The site's window_stat_outlier model comes in and, after a good file, goes back refreshed.
      const result = await analyzeFileWithSiteModel(
        fileInput(file.path, file.name, file.size),
        {
          ...(payload.profile ? { profile: payload.profile } : {}),
          sessionId: recorder.id,
          signal: lost.signal,
          sink,
          // Hashed on arrival: no read-ahead hash before the first batch (bytes that changed fail the job).
          ...(/^[0-9a-f]{64}$/.test(file.sha256) ? { knownSha256: file.sha256 } : {}),
          onProgress: (bytes, total) => {
            const now = Date.now();
            if (!total || now - last < PROGRESS_EVERY_MS) return;
            last = now;
            const progress = Math.min(0.99, bytes / total);
            // Chained, and awaited before the final record, so a late progress write never undoes 'done'.
            progressWrite = progressWrite.then(() => metadata.updateFile(file.id, { progress })).catch(() => undefined);
            emit({ kind: 'progress', jobId: job.id, fileId: file.id, progress });
          },
        },
        metadata,
      );
      await progressWrite;
      if (lost.signal.aborted) {
        await recorder.finish();
        emit({ kind: 'lost', jobId: job.id, fileId: file.id });
        return true;
      }
      if (result.status === 'failed' && result.fileId !== file.id) {
        // Unreadable now (moved, deleted): the failure belongs to the queued file, not to a hash of nothing.
        await recorder.record({ ...result, fileId: file.id, sha256: file.sha256, size: file.size });
      } else {
        await recorder.record(result);
        if (result.fileId !== file.id) {
          await metadata.updateFile(file.id, {
            status: 'done',
            progress: 1,
            warning: `content changed since it was queued: analysed as file ${result.fileId}`,
            finishedAt: result.finishedAt,
          });
        }
      }
      await recorder.finish();
      // Only the worker holding the job finishes it (completeJob checks locked_by).
      const worker = this.opts.workerId;
      if (result.status === 'failed') {
        const held = await metadata.completeJob(job.id, { ok: false, error: result.error ?? 'failed' }, worker);
        emit(
          held
            ? { kind: 'failed', jobId: job.id, fileId: file.id, error: result.error ?? 'failed', retry: false }
            : { kind: 'lost', jobId: job.id, fileId: file.id },
        );
      } else {
        const held = await metadata.completeJob(job.id, { ok: true }, worker);
        const run = sink.run;
        if (held && run?.active) {
          // The job is done; its rows wait for ClickHouse: said on the file, logged once, flushed later.
          const warning = (await metadata.getFile(result.fileId))?.warning ?? null;
          const commit = (await run.commit(warning))!;
          committed = true;
          const dir = this.opts.spool!.dir;
          await metadata.updateFile(result.fileId, { warning: spoolNote(commit, dir) });
          emit({
            kind: 'spooled',
            jobId: job.id,
            fileId: result.fileId,
            rows: commit.rows,
            spooledAt: commit.spooledAt,
            dir,
          });
        }
        emit(
          held
            ? { kind: 'done', jobId: job.id, fileId: file.id, anomalies: result.counts.anomalyCount }
            : { kind: 'lost', jobId: job.id, fileId: file.id },
        );
      }
    } catch (err) {
      // Not the file's fault (a store hiccup, a bug): give the job back for a later attempt.
      this.opts.onError?.(err);
      const error = err instanceof Error ? err.message : String(err);
      const held = await metadata
        .completeJob(job.id, { ok: false, error, retry: true }, this.opts.workerId)
        .catch(() => false);
      if (held) await metadata.updateFile(job.fileId, { status: 'queued', error }).catch(() => undefined);
      emit({ kind: 'failed', jobId: job.id, fileId: job.fileId, error, retry: true });
    } finally {
      clearInterval(heartbeat);
      // Not completed here (failed, lost, retried): the next analysis of the file writes its rows anew.
      if (!committed) await sink.run?.discard().catch((err: unknown) => this.opts.onError?.(err));
      this.running--;
    }
    return true;
  }
}

/**
 * The store as the job's session recorder sees it: a session row that cannot reach ClickHouse goes to the
 * file's spool run (flushed with its rows; a repeated session row is harmless: ReplacingMergeTree).
 */
function spoolingSessions(
  store: FullAnomalyStore,
  run: () => ReturnType<StoreSpool['run']> | undefined,
): FullAnomalyStore {
  return new Proxy(store, {
    get(target, prop) {
      if (prop === 'upsertSession')
        return async (session: Parameters<FullAnomalyStore['upsertSession']>[0]): Promise<void> => {
          const r = run();
          if (r?.active) return r.append({ kind: 'session', session });
          try {
            await target.upsertSession(session);
          } catch (err) {
            if (!r || !(await isStoreConnectionFailure(err))) throw err;
            await r.append({ kind: 'session', session });
          }
        };
      const v = Reflect.get(target, prop, target) as unknown;
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
}
