/**
 * A configured database cannot be reached. The message is ONE line naming the variable and the redacted
 * address, e.g. `cannot reach ClickHouse at CLICKHOUSE_URL=http://x:8123: connect ECONNREFUSED 10.0.0.1:8123`;
 * `stack` is that line too, so a CLI or a log prints no trace for an operational condition.
 */
export class StoreUnavailableError extends Error {
  override name = 'StoreUnavailableError';
  readonly store: 'ClickHouse' | 'PostgreSQL';
  /** Where it was looked for: `CLICKHOUSE_URL=…`, `DATABASE_URL=…` (password hidden) or the embedded directory. */
  readonly target: string;
  readonly reason: string;

  constructor(store: 'ClickHouse' | 'PostgreSQL', target: string, cause: unknown) {
    const reason = describeCause(cause);
    super(`cannot reach ${store} at ${target}: ${reason}`, { cause });
    this.store = store;
    this.target = target;
    this.reason = reason;
    this.stack = `${this.name}: ${this.message}`;
  }
}

/** First line of an error, or its code when the message is empty (Node's AggregateError for dual-stack connects). */
export function describeCause(cause: unknown): string {
  const e = cause as { message?: unknown; code?: unknown; errors?: unknown[]; cause?: unknown } | undefined;
  // Drizzle wraps driver errors as "Failed query: <sql>": the driver's error is the reason.
  if (typeof e?.message === 'string' && e.message.startsWith('Failed query') && e.cause !== undefined)
    return describeCause(e.cause);
  const code = typeof e?.code === 'string' ? e.code : undefined;
  let message = typeof e?.message === 'string' ? e.message.split('\n')[0]!.trim() : String(cause);
  if (!message && Array.isArray(e?.errors) && e.errors.length > 0) message = describeCause(e.errors[0]);
  if (!message) message = code ? `connect ${code}` : 'unknown error';
  if (code && !message.includes(code)) message = `${message} (${code})`;
  return message;
}

/** Socket-level failures: the server is down, restarting or unreachable — not a fault of the request. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/**
 * True when `err` says the server could not be reached or dropped the connection (refused, reset, timed out,
 * name not resolved), as opposed to an answer refusing the request (a bad query, a type error). The first kind
 * is worth waiting out (the job runner spools ClickHouse writes); the second would fail again.
 * `@clickhouse/client` rejects with Node's socket error itself, or "Timeout error." for its request timeout.
 */
export function isConnectionFailure(err: unknown): boolean {
  for (
    let e = err as { code?: unknown; message?: unknown; cause?: unknown } | undefined, depth = 0;
    e && depth < 5;
    depth++
  ) {
    // by name too: the CLI's bundle holds a copy of this package of its own (apps/cli/bundle.mjs), and `l1t serve`
    // hands the server's stores, made by the package, to the CLI's code
    if (e instanceof StoreUnavailableError || (e as { name?: unknown }).name === 'StoreUnavailableError') return true;
    if (typeof e.code === 'string' && CONNECTION_CODES.has(e.code)) return true;
    if (typeof e.message === 'string' && /^(socket hang up|Timeout error\.?)$/.test(e.message)) return true;
    e = e.cause as typeof e;
  }
  return false;
}
