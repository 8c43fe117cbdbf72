import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { openStores } from '@l1t/store';
import { fullAnomaly } from '../../../../packages/store/src/test-support/anomaly-fixtures.js';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';

/**
 * `GET /api/anomalies` and the dashboard on the embedded stores, whose reads are cached until the next write
 * (CachedExecutor, ReadCache, ResponseCache): every write shows on the next request — never a stale answer.
 */
describe('the API on cached embedded stores answers what was last written', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let app: ReturnType<typeof createApp>;
  const session = 'cache-session';

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-api-cache-'));
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    app = createApp({ config, stores, logger: createLogger('silent') });
  }, 600_000);
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const list = () => request(app).get(`/api/anomalies?session_id=${session}&limit=100`);
  const ids = (body: { items: { id: string }[] }) => body.items.map((a) => a.id).sort();

  it('shows an insert, a status change, a re-analysis and a deletion on the next request', async () => {
    const a = fullAnomaly({ file_id: 'cache-f1', session_id: session, severity: 'minor' });
    await stores.anomalies.insertAnomalies([a]);
    const first = await list();
    expect(first.status).toBe(200);
    expect(first.body.total).toBe(1);
    // Repeated: the same body and ETag; a client holding it gets 304.
    const again = await list();
    expect(again.text).toBe(first.text);
    expect(again.headers.etag).toBe(first.headers.etag);
    const revalidated = await list().set('If-None-Match', first.headers.etag as string);
    expect(revalidated.status).toBe(304);
    const dashboard = await request(app).get(`/api/dashboard/summary?session_id=${session}`);
    expect(dashboard.body.total).toBe(1);

    const b = fullAnomaly({ file_id: 'cache-f2', session_id: session, severity: 'critical' });
    await stores.anomalies.insertAnomalies([b]);
    const second = await list();
    expect(second.body.total).toBe(2);
    expect(ids(second.body)).toEqual([a.id, b.id].sort());
    expect(second.headers.etag).not.toBe(first.headers.etag);
    expect((await list().set('If-None-Match', first.headers.etag as string)).status).toBe(200);
    const dash2 = await request(app).get(`/api/dashboard/summary?session_id=${session}`);
    expect(dash2.body.total).toBe(2);
    expect(dash2.body.by_severity).toEqual({ minor: 1, critical: 1 });

    expect((await request(app).patch(`/api/anomalies/${b.id}/status`).send({ status: 'resolved' })).status).toBe(200);
    const third = await list();
    expect(third.body.items.find((x: { id: string }) => x.id === b.id).status).toBe('resolved');
    expect((await request(app).get(`/api/anomalies?session_id=${session}&status=resolved`)).body.total).toBe(1);
    expect((await request(app).get(`/api/anomalies?session_id=${session}&status=open`)).body.total).toBe(1);

    const c = fullAnomaly({ file_id: 'cache-f1', session_id: session, severity: 'info' });
    await stores.anomalies.replaceFileResults(['cache-f1'], [c], []);
    expect(ids((await list()).body)).toEqual([b.id, c.id].sort());

    await stores.anomalies.deleteFileResults(['cache-f1', 'cache-f2']);
    const last = await list();
    expect(last.body).toEqual({ items: [], total: 0 });
    expect((await request(app).get(`/api/dashboard/summary?session_id=${session}`)).body.total).toBe(0);
  });
});
