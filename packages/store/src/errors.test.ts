import { describe, expect, it } from 'vitest';
import { StoreUnavailableError, describeCause, isConnectionFailure } from './errors.js';

describe('StoreUnavailableError', () => {
  it('is one line naming the target, with no stack trace', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 10.0.0.1:8123\n    at TCPConnectWrap'), {
      code: 'ECONNREFUSED',
    });
    const e = new StoreUnavailableError('ClickHouse', 'CLICKHOUSE_URL=http://x:8123', cause);
    expect(e.message).toBe(
      'cannot reach ClickHouse at CLICKHOUSE_URL=http://x:8123: connect ECONNREFUSED 10.0.0.1:8123',
    );
    expect(e.stack).toBe(`StoreUnavailableError: ${e.message}`);
    expect(e.cause).toBe(cause);
  });

  it('describes empty AggregateErrors by their first error or code, and unwraps Drizzle query errors', () => {
    const agg = Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:5432')], ''), {
      code: 'ECONNREFUSED',
    });
    expect(describeCause(agg)).toBe('connect ECONNREFUSED ::1:5432');
    expect(describeCause(Object.assign(new Error(''), { code: 'ETIMEDOUT' }))).toBe('connect ETIMEDOUT');
    const drizzle = new Error('Failed query: SELECT 1\nparams: ', {
      cause: new Error('password authentication failed for user "x"'),
    });
    expect(describeCause(drizzle)).toBe('password authentication failed for user "x"');
  });
});

describe('isConnectionFailure', () => {
  it("knows a StoreUnavailableError by its name, from another copy of the package (the CLI bundle's)", () => {
    const copy = Object.assign(new Error('cannot reach ClickHouse at x: refused'), { name: 'StoreUnavailableError' });
    expect(isConnectionFailure(copy)).toBe(true);
    expect(isConnectionFailure(new Error('wrapped', { cause: copy }))).toBe(true);
    expect(isConnectionFailure(new StoreUnavailableError('PostgreSQL', 'y', new Error('refused')))).toBe(true);
    expect(isConnectionFailure(new Error('Code: 62. Syntax error'))).toBe(false);
  });
});
