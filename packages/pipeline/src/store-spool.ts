import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { open, readFile, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Anomaly, Incident, Metric } from '@l1t/contracts';
import type { FullAnomalyStore, SessionRecord } from '@l1t/store';

/**
 * What the job runner writes to ClickHouse while a file is analysed, kept on local disk while ClickHouse is
 * unreachable (issue #17 faults) and written when it answers again.
 *
 * Layout: one append-only JSON-lines file per analysis run, `<dir>/<run id>.jsonl`. Each line is one record:
 * a batch of rows (`anomalies`, `metrics` with their insert deduplication token), a file's `incidents` or a
 * `session` row; `{"done":seq}` marks a record written to ClickHouse by a flush; `{"commit":…}` closes a run
 * whose job completed. Every line is fsync'd (`datasync`) before the write counts as done, so an accepted
 * batch survives a crash of this process.
 *
 * Exactly once: a flush skips the records marked done and resends the rest with their tokens, so the one
 * record in flight when a flush was cut off is dropped by ClickHouse if it had landed (migration 0005). A run
 * that never committed (its job failed, was retried elsewhere or its process died) is deleted, never
 * flushed: its file is analysed again and the retry's rows replace it. A new analysis of a file supersedes the
 * committed spool of its earlier one (`supersede`), which would otherwise add stale rows after the new ones.
 *
 * One process owns a spool directory (it is under L1T_DATA_DIR, which the embedded stores lock; give each
 * worker pod its own).
 */
export type SpoolRecord =
  | { seq: number; kind: 'anomalies'; token: string; rows: Anomaly[] }
  | { seq: number; kind: 'metrics'; token: string; rows: Metric[] }
  | { seq: number; kind: 'incidents'; fileId: string; rows: Incident[] }
  | { seq: number; kind: 'session'; session: SessionRecord };

type RecordInput =
  | { kind: 'anomalies'; token: string; rows: Anomaly[] }
  | { kind: 'metrics'; token: string; rows: Metric[] }
  | { kind: 'incidents'; fileId: string; rows: Incident[] }
  | { kind: 'session'; session: SessionRecord };

/** What a committed run holds: its file, the rows kept, when, and the file's note before the spool's. */
export interface SpoolCommit {
  fileId: string;
  rows: number;
  spooledAt: string;
  /** The file's own warning (the job runner's note is appended to it). */
  warning: string | null;
}

export interface SpoolFlushed extends SpoolCommit {
  flushedAt: string;
}

/** The spool would grow past its bound: the job fails as it did without a spool, and is retried. */
export class SpoolFullError extends Error {
  override name = 'SpoolFullError';
}

/**
 * L1T_SPOOL_MAX_MB: bytes the spool may hold on disk. Default 512 MB: half the 1 GiB `/data` volume of the
 * Kubernetes worker and app pods (deploy/kubernetes/base), which is per pod, as a spool must be.
 */
export function spoolMaxBytesFromEnv(env: Record<string, string | undefined>): number {
  const raw = env.L1T_SPOOL_MAX_MB;
  if (raw === undefined || raw === '') return 512 * 1024 * 1024;
  const mb = Number(raw);
  if (!Number.isInteger(mb) || mb < 1 || mb > 1_048_576)
    throw new Error(`L1T_SPOOL_MAX_MB: expected whole megabytes from 1 to 1048576, got ${JSON.stringify(raw)}`);
  return mb * 1024 * 1024;
}

/** A record's row count (a session row counts as one). */
function rowsOf(r: RecordInput): number {
  return r.kind === 'session' ? 1 : r.rows.length;
}

interface ParsedRun {
  records: SpoolRecord[];
  done: Set<number>;
  commit: SpoolCommit | undefined;
}

/** Reads a run's lines; a torn last line (the process died while writing it, never acknowledged) is skipped. */
function parseRun(text: string): ParsedRun {
  const records: SpoolRecord[] = [];
  const done = new Set<number>();
  let commit: SpoolCommit | undefined;
  for (const line of text.split('\n')) {
    if (line.length === 0) continue;
    let v: Record<string, unknown>;
    try {
      v = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof v.done === 'number') done.add(v.done);
    else if (v.commit && typeof v.commit === 'object') commit = v.commit as SpoolCommit;
    else if (typeof v.seq === 'number' && typeof v.kind === 'string') records.push(v as unknown as SpoolRecord);
  }
  return { records, done, commit };
}

/** One analysis run's records: appended while ClickHouse is unreachable, then committed or discarded. */
export class SpoolRun {
  readonly id = randomUUID();
  readonly path: string;
  #handle: Promise<FileHandle> | undefined;
  #seq = 0;
  #rows = 0;
  #bytes = 0;
  #since: string | undefined;
  #closed = false;

  constructor(
    private readonly spool: StoreSpool,
    readonly fileId: string,
  ) {
    this.path = join(spool.dir, `${this.id}.jsonl`);
  }

  /** Rows kept on disk by this run so far. */
  get rows(): number {
    return this.#rows;
  }

  get bytes(): number {
    return this.#bytes;
  }

  /** True once a write went to the spool: the run's later writes go there too, in order. */
  get active(): boolean {
    return this.#since !== undefined;
  }

  /** Appends one record durably (written and fsync'd before it resolves). */
  async append(record: RecordInput): Promise<void> {
    if (this.#closed) throw new Error(`spool run ${this.id} is closed`);
    const line = JSON.stringify({ seq: ++this.#seq, ...record }) + '\n';
    const size = Buffer.byteLength(line);
    this.spool.reserve(size, this);
    this.#since ??= new Date().toISOString();
    this.#handle ??= open(this.path, 'a');
    const fh = await this.#handle;
    await fh.write(line);
    await fh.datasync();
    this.#bytes += size;
    this.#rows += rowsOf(record);
  }

  /** The job completed: the records become the file's to flush. Nothing spooled: nothing to do. */
  async commit(warning: string | null): Promise<SpoolCommit | undefined> {
    if (this.#closed) return undefined;
    if (!this.active) {
      this.#closed = true;
      this.spool.released(this);
      return undefined;
    }
    const commit: SpoolCommit = { fileId: this.fileId, rows: this.#rows, spooledAt: this.#since!, warning };
    const fh = await this.#handle!;
    const line = JSON.stringify({ commit }) + '\n';
    await fh.write(line);
    await fh.datasync();
    await fh.close();
    this.#closed = true;
    this.spool.committed(this, commit, Buffer.byteLength(line));
    return commit;
  }

  /** The job did not complete here: its records are dropped (the file's next analysis writes them anew). */
  async discard(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#handle) await (await this.#handle).close().catch(() => undefined);
    await rm(this.path, { force: true });
    this.spool.released(this);
  }
}

/** The spool directory of one process. */
export class StoreSpool {
  readonly maxBytes: number;
  #bytes = 0;
  readonly #active = new Set<SpoolRun>();
  readonly #committed = new Map<string, SpoolCommit & { bytes: number }>();
  #flushing: Promise<{ flushed: SpoolFlushed[]; error?: unknown }> | undefined;

  /**
   * Opens (creates) the directory. Runs left committed by an earlier process are kept for the next flush;
   * runs it left uncommitted are deleted (their jobs are retried: see the class comment).
   */
  constructor(
    readonly dir: string,
    opts: { maxBytes?: number } = {},
  ) {
    this.maxBytes = opts.maxBytes ?? spoolMaxBytesFromEnv(process.env);
    mkdirSync(dir, { recursive: true });
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.jsonl')) continue;
      const path = join(dir, name);
      const { commit } = parseRun(readFileSync(path, 'utf8'));
      if (!commit) {
        rmSync(path, { force: true });
        continue;
      }
      const bytes = statSync(path).size;
      this.#bytes += bytes;
      this.#committed.set(path, { ...commit, bytes });
    }
  }

  /** Bytes on disk (committed and running). */
  get bytes(): number {
    return this.#bytes;
  }

  /** Committed runs waiting for ClickHouse. */
  get pending(): SpoolCommit[] {
    return [...this.#committed.values()].map(({ bytes: _bytes, ...c }) => c);
  }

  run(fileId: string): SpoolRun {
    const run = new SpoolRun(this, fileId);
    this.#active.add(run);
    return run;
  }

  /** @internal Accounts for `size` more bytes, or throws when the bound would be passed. */
  reserve(size: number, run: SpoolRun): void {
    if (this.#bytes + size > this.maxBytes)
      throw new SpoolFullError(
        `ClickHouse unreachable and the spool at ${this.dir} is full (${this.#bytes} of ${this.maxBytes} bytes, L1T_SPOOL_MAX_MB): file ${run.fileId} is retried later`,
      );
    this.#bytes += size;
  }

  /** @internal */
  committed(run: SpoolRun, commit: SpoolCommit, extra: number): void {
    this.#active.delete(run);
    this.#bytes += extra;
    this.#committed.set(run.path, { ...commit, bytes: run.bytes + extra });
  }

  /** @internal */
  released(run: SpoolRun): void {
    this.#active.delete(run);
    this.#bytes -= run.bytes;
  }

  /**
   * A new analysis of `fileId` begins: the committed spool of an earlier one is dropped (the new run deletes
   * the file's rows and writes its own). Waits for a flush in progress, which stops before its next record.
   */
  async supersede(fileId: string): Promise<void> {
    const stale = [...this.#committed].filter(([, c]) => c.fileId === fileId);
    for (const [path] of stale) this.#committed.delete(path);
    await this.#flushing?.catch(() => undefined);
    for (const [path, c] of stale) {
      await rm(path, { force: true });
      this.#bytes -= c.bytes;
    }
  }

  /**
   * Writes every committed run to the store, oldest first, and deletes it; stops at the first failure
   * (ClickHouse still unreachable: the rest waits for the next call) and returns it with the runs flushed
   * before it. One flush at a time.
   */
  flush(store: FullAnomalyStore): Promise<{ flushed: SpoolFlushed[]; error?: unknown }> {
    this.#flushing ??= this.#flush(store).finally(() => (this.#flushing = undefined));
    return this.#flushing;
  }

  async #flush(store: FullAnomalyStore): Promise<{ flushed: SpoolFlushed[]; error?: unknown }> {
    const flushed: SpoolFlushed[] = [];
    const order = [...this.#committed].sort((a, b) => a[1].spooledAt.localeCompare(b[1].spooledAt));
    for (const [path, commit] of order) {
      const { records, done } = parseRun(await readFile(path, 'utf8'));
      const fh = await open(path, 'a');
      try {
        for (const r of records) {
          if (done.has(r.seq)) continue;
          if (!this.#committed.has(path)) break; // superseded by a new analysis of the file
          await replay(store, r);
          await fh.write(JSON.stringify({ done: r.seq }) + '\n');
          await fh.datasync();
        }
      } catch (error) {
        return { flushed, error };
      } finally {
        await fh.close();
      }
      if (!this.#committed.has(path)) continue;
      this.#committed.delete(path);
      await rm(path, { force: true });
      this.#bytes -= commit.bytes;
      const { bytes: _bytes, ...c } = commit;
      flushed.push({ ...c, flushedAt: new Date().toISOString() });
    }
    return { flushed };
  }
}

async function replay(store: FullAnomalyStore, r: SpoolRecord): Promise<void> {
  switch (r.kind) {
    case 'anomalies':
      return store.appendAnomalies(r.rows, { deduplicationToken: r.token });
    case 'metrics':
      return store.insertMetrics(r.rows, { deduplicationToken: r.token });
    case 'incidents':
      // Replaces the file's incidents: a repeat is harmless.
      return store.replaceFileIncidents(r.fileId, r.rows);
    case 'session':
      // ReplacingMergeTree(updated_at): the newest write of a session wins; a repeat is harmless.
      return store.upsertSession(r.session);
  }
}
