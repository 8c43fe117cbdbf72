import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChdbHttpFixture, type ChdbHttpFixture } from '../test-support/chdb-http-fixture.js';
import { anomalyStoreSuite } from '../test-support/anomaly-store-suite.js';
import { fullAnomaly } from '../test-support/anomaly-fixtures.js';
import { ClickHouseAnomalyStore } from './clickhouse-anomaly-store.js';
import { HttpExecutor } from './http-executor.js';

// A real server when CLICKHOUSE_URL is set; otherwise chDB behind the HTTP interface (test fixture).
let fixture: ChdbHttpFixture | undefined;
let url = process.env.CLICKHOUSE_URL ?? '';
beforeAll(async () => {
  if (!url) {
    fixture = await startChdbHttpFixture();
    url = fixture.url;
  }
});
afterAll(async () => {
  await fixture?.close();
});

const auth = () => ({
  ...(process.env.CLICKHOUSE_USERNAME ? { username: process.env.CLICKHOUSE_USERNAME } : {}),
  ...(process.env.CLICKHOUSE_PASSWORD ? { password: process.env.CLICKHOUSE_PASSWORD } : {}),
});

anomalyStoreSuite(
  process.env.CLICKHOUSE_URL
    ? 'HTTP (@clickhouse/client → CLICKHOUSE_URL)'
    : 'HTTP (@clickhouse/client → chDB HTTP fixture)',
  {
    open: async (database) => new ClickHouseAnomalyStore(new HttpExecutor({ url, ...auth() }), database),
    cleanup: async (store, database) => {
      await (store as ClickHouseAnomalyStore).executor.command(`DROP DATABASE IF EXISTS ${database}`);
    },
  },
);

describe('HTTP executor errors', () => {
  it('surfaces the ClickHouse error text and code of a failing query', async () => {
    const exec = new HttpExecutor({ url });
    try {
      await expect(exec.query('SELECT * FROM no_such_db.no_such_table')).rejects.toMatchObject({
        code: expect.stringMatching(/^(81|60)$/),
      });
      await expect(exec.query('SELECT {x:UInt8} AS x', { x: 'abc' })).rejects.toThrow(/abc/);
    } finally {
      await exec.close();
    }
  });

  it('passes an AbortSignal down: a running query is abandoned as soon as it fires', async () => {
    const exec = new HttpExecutor({ url });
    try {
      const started = Date.now();
      await expect(
        exec.query('SELECT sleepEachRow(0.25) FROM numbers(4)', undefined, AbortSignal.timeout(150)),
      ).rejects.toThrow(/abort/i);
      expect(Date.now() - started).toBeLessThan(900);
    } finally {
      await exec.close();
    }
  });

  it('works with gzip-compressed inserts and results', async () => {
    const store = new ClickHouseAnomalyStore(
      new HttpExecutor({ url, ...auth(), compression: true }),
      `l1t_gzip_${Date.now()}`,
    );
    try {
      await store.migrate();
      const rows = Array.from({ length: 500 }, (_, i) => fullAnomaly({ file_id: 'gz', packet_index: i + 1 }));
      await store.insertAnomalies(rows);
      const r = await store.queryAnomalies({ fileId: 'gz', sort: 'packet_index', limit: 1000 });
      expect(r.total).toBe(500);
      expect(r.items[499]!.packet_index).toBe(500);
    } finally {
      await store.executor.command(`DROP DATABASE IF EXISTS ${store.database}`);
      await store.close();
    }
  });
});
