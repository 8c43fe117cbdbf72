/**
 * The one seam between the ClickHouse SQL layer and a driver. The store writes its SQL once against this
 * interface; chDB (in-process) and `@clickhouse/client` (HTTP) implement it. Every value travels as a
 * bound parameter `{name:Type}`: implementations never splice values into SQL text.
 */
export type QueryParams = Record<string, string | number | boolean | readonly string[] | readonly number[] | null>;

export interface ClickHouseExecutor {
  readonly kind: 'chdb' | 'http';
  /** Runs a statement that returns no rows (DDL, DELETE). */
  command(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<void>;
  /** Runs a SELECT (without a FORMAT clause) and returns its rows as parsed JSONEachRow objects. */
  query<T = Record<string, unknown>>(sql: string, params?: QueryParams, signal?: AbortSignal): Promise<T[]>;
  /** Inserts rows, objects keyed by column name, into a database-qualified table. */
  insert(table: string, rows: readonly Record<string, unknown>[], signal?: AbortSignal): Promise<void>;
  ping(signal?: AbortSignal): Promise<void>;
  close(): Promise<void>;
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
