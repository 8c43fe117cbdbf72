import { randomUUID } from 'node:crypto';

/**
 * The one seam between the ClickHouse SQL layer and a driver. The store writes its SQL once against this
 * interface; chDB (in-process) and `@clickhouse/client` (HTTP) implement it. Every value travels as a
 * bound parameter `{name:Type}`: implementations never splice values into SQL text.
 */
export type QueryParams = Record<string, string | number | boolean | readonly string[] | readonly number[] | null>;

export interface InsertOptions {
  /**
   * ClickHouse's `insert_deduplication_token`: a repeated insert of a block with the same token is dropped
   * (within the table's deduplication window, migration 0005), so a batch sent again after a lost answer
   * or from the spool is stored once.
   */
  deduplicationToken?: string;
}

export interface ClickHouseExecutor {
  readonly kind: 'chdb' | 'http';
  /** Runs a statement that returns no rows (DDL, DELETE). */
  command(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<void>;
  /** Runs a SELECT (without a FORMAT clause) and returns its rows as parsed JSONEachRow objects. */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<T[]>;
  /** Inserts rows, objects keyed by column name, into a database-qualified table. */
  insert(
    table: string,
    rows: readonly Record<string, unknown>[],
    signal?: AbortSignal,
    options?: InsertOptions,
  ): Promise<void>;
  ping(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
}

/**
 * The settings of one insert: always a deduplication token. With a deduplication window on the table
 * (migration 0005) ClickHouse drops a block WITHOUT a token whose data hash repeats one of the window, and
 * `insert_deduplicate = 0` does not stop it for a non-replicated MergeTree (chDB 26.7: measured) — so a file
 * analysed again after its rows were deleted, which writes the same rows, would lose them. A block with a token
 * is deduplicated by the token alone: an insert that asks for none gets a random one (never repeated).
 */
export function insertSettings(options: InsertOptions | undefined): { insert_deduplication_token: string } {
  return { insert_deduplication_token: options?.deduplicationToken ?? randomUUID() };
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Identifiers (database, table names) cannot be bound; they are checked against a plain-identifier pattern. */
export function assertIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`not a plain identifier: ${JSON.stringify(name)}`);
  return name;
}

/** Parses a JSONEachRow body (one object per line). */
export function parseJsonEachRow<T>(text: string): T[] {
  const rows: T[] = [];
  for (const line of text.split('\n')) if (line.length > 0) rows.push(JSON.parse(line) as T);
  return rows;
}
