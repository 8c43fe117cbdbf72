import { StoreUnavailableError } from '@l1t/store';
import { describe, expect, it } from 'vitest';
import { isStoreConnectionFailure } from './store-errors.js';

describe('isStoreConnectionFailure (the store package loaded when first asked)', () => {
  it('answers as @l1t/store does: a refused or reset connection, in the cause chain too, is a connection failure', async () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8123'), { code: 'ECONNREFUSED' });
    expect(await isStoreConnectionFailure(refused)).toBe(true);
    expect(await isStoreConnectionFailure(new Error('insert failed', { cause: refused }))).toBe(true);
    expect(await isStoreConnectionFailure(new StoreUnavailableError('ClickHouse', 'CLICKHOUSE_URL=x', refused))).toBe(
      true,
    );
  });

  it('is not one for any other error', async () => {
    expect(await isStoreConnectionFailure(new Error('Code: 62. DB::Exception: Syntax error'))).toBe(false);
    expect(await isStoreConnectionFailure(undefined)).toBe(false);
  });
});
