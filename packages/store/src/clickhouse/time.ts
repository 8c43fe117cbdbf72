const ISO = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;
const CH = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?$/;

/**
 * ISO-8601 UTC (any number of fractional digits up to 9) → ClickHouse DateTime64(9) text
 * `YYYY-MM-DD hh:mm:ss.nnnnnnnnn`, without passing through a JS Date (which would drop the nanoseconds).
 * Other offsets are normalised through Date (millisecond precision).
 */
export function toChDateTime(iso: string): string {
  let m = ISO.exec(iso);
  if (!m) {
    const d = new Date(iso);
    if (Number.isNaN(d.getTime())) throw new RangeError(`not an ISO timestamp: ${JSON.stringify(iso)}`);
    m = ISO.exec(d.toISOString());
    if (!m) throw new RangeError(`not an ISO timestamp: ${JSON.stringify(iso)}`);
  }
  return `${m[1]} ${m[2]}.${(m[3] ?? '').padEnd(9, '0')}`;
}

/** ClickHouse DateTime64(9) text → `2026-11-26T03:11:54.123456789Z` (always nine decimals). */
export function fromChDateTime(ch: string): string {
  const m = CH.exec(ch);
  if (!m) throw new RangeError(`unexpected ClickHouse DateTime64 text: ${JSON.stringify(ch)}`);
  return `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(9, '0')}Z`;
}

/**
 * Session times come from `Date#toISOString()` (milliseconds) or from capture clocks (nanoseconds): answer
 * in the millisecond form when the sub-millisecond digits are zero, so both round-trip unchanged.
 */
export function fromChDateTimeCompact(ch: string): string {
  const nine = fromChDateTime(ch);
  return nine.endsWith('000000Z') ? `${nine.slice(0, -7)}Z` : nine;
}
