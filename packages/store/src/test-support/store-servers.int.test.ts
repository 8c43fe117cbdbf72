import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '@l1t/contracts';
import { expect, it } from 'vitest';
import { startStoreServers } from '../../../../test-support/store-servers.js';
import { openStores } from '../open-stores.js';

it('the root test-support helper gives other packages working database servers', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'l1t-servers-'));
  const servers = await startStoreServers();
  try {
    const stores = await openStores(loadConfig({ ...servers.env, L1T_DATA_DIR: dataDir }));
    try {
      expect(stores.anomalies.kind).toBe('http');
      expect(stores.metadata.kind).toBe(process.env.DATABASE_URL ? 'postgres' : 'pglite');
      expect((await stores.ready()).ok).toBe(true);
    } finally {
      await stores.close();
    }
  } finally {
    await servers.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
