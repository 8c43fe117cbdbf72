import type { AnomalyStatus } from '@l1t/contracts';
import { asc, eq, inArray } from 'drizzle-orm';
import type { MetadataDb } from '../pg-connection.js';
import { anomalyStatus, anomalyStatusHistory } from '../schema.js';
import { isoReq } from '../rows.js';
import { ReadCache } from '../read-cache.js';

/** Review workflow of anomalies: the current status and its history (who, when, note). */
export class ReviewRepo {
  /** Statuses of the pages read since the last status change (embedded store only: ReadCache). */
  readonly #statuses: ReadCache<Record<string, AnomalyStatus>> | undefined;

  /** `cacheStatuses`: only when this process is the database's only writer (PGlite). */
  constructor(
    readonly db: MetadataDb,
    opts: { cacheStatuses?: boolean } = {},
  ) {
    this.#statuses = opts.cacheStatuses ? new ReadCache(256) : undefined;
  }

  /**
   * Changes with every status write; undefined while one runs or when nothing is cached (a PostgreSQL server,
   * where other processes write): what a response built on statuses may be cached against.
   */
  get statusVersion(): number | undefined {
    return this.#statuses?.generation;
  }

  // anomaly status workflow
  async setAnomalyStatus(a: {
    anomalyId: string;
    status: AnomalyStatus;
    note?: string | null;
    userId?: string | null;
  }): Promise<void> {
    const note = a.note ?? null;
    const userId = a.userId ?? null;
    const write = (run: () => Promise<void>) => (this.#statuses ? this.#statuses.write(run) : run());
    await write(() =>
      this.db.transaction(async (tx) => {
        const now = new Date();
        await tx
          .insert(anomalyStatus)
          .values({ anomalyId: a.anomalyId, status: a.status, note, userId, updatedAt: now })
          .onConflictDoUpdate({
            target: anomalyStatus.anomalyId,
            set: { status: a.status, note, userId, updatedAt: now },
          });
        await tx
          .insert(anomalyStatusHistory)
          .values({ anomalyId: a.anomalyId, status: a.status, note, userId, at: now });
      }),
    );
  }

  /** Statuses set explicitly; an anomaly absent from the answer is `open`. */
  async getAnomalyStatuses(ids: string[]): Promise<Record<string, AnomalyStatus>> {
    if (ids.length === 0) return {};
    if (!this.#statuses) return this.#readStatuses(ids);
    // A copy per caller: the cached object is never handed out.
    return { ...(await this.#statuses.get(ids.join(','), () => this.#readStatuses(ids))) };
  }

  async #readStatuses(ids: string[]): Promise<Record<string, AnomalyStatus>> {
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
}
