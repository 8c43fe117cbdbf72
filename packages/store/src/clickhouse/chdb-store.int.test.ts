import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { anomalyStoreSuite } from '../test-support/anomaly-store-suite.js';
import { ChdbExecutor } from './chdb-executor.js';
import { ClickHouseAnomalyStore } from './clickhouse-anomaly-store.js';

// chDB binds one data directory per process: this file owns the process (vitest pool: forks).
const dir = mkdtempSync(join(tmpdir(), 'l1t-chdb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

anomalyStoreSuite('chDB (embedded)', {
  open: async (database) => new ClickHouseAnomalyStore(new ChdbExecutor(join(dir, 'clickhouse')), database),
});
