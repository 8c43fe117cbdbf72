/**
 * `tsx bench/store-readback.ts DATA_DIR [OUT.json]` — everything analyses stored in the embedded stores of
 * DATA_DIR (L1T_DATA_DIR), read back and hashed, so that a change to the store path can show that it stores the
 * same rows (issue 14 item 5: "stored data must stay identical"). Two folders, each migrated and then given the
 * same `l1t analyze FILE --session NAME`, one before and one after a change, must print the same digests.
 *
 * Read: every row of ClickHouse's anomalies, metrics, incidents and sessions (FINAL) and of PostgreSQL's
 * sessions, files, file_views, settings, site_models and analysis_jobs; and what the API reads through the
 * store (queryAnomalies and queryMetrics of each file, listSessions). A file view's body is read as its JSON
 * document whether stored as json (before PostgreSQL migration 0005) or as gzip (since), so a folder of either
 * version digests the same. What differs between two runs of the same analysis is left out: the session's
 * random id (replaced by SESSION wherever it appears as a value) and the times of the writes (version,
 * created/updated/started/finished/applied times, durations, a site model's refittedAt). Rows are compared as
 * sorted JSON lines.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { loadConfig } from '@l1t/contracts';
import { openStores, viewText } from '@l1t/store';

const WRITE_TIMES = new Set([
  'version',
  'updated_at',
  'started_at',
  'finished_at',
  'duration_ms',
  'created_at',
  'applied_at',
  'locked_at',
  'refittedAt',
]);

const [dataDir, out] = process.argv.slice(2);
if (!dataDir) throw new Error('usage: tsx bench/store-readback.ts DATA_DIR [OUT.json]');
const stores = await openStores(loadConfig({ L1T_DATA_DIR: dataDir }), { migrate: false, queryCache: false });
try {
  const pg = stores.metadata.connection.sql;
  const sessionIds = new Set((await pg.query({ text: 'SELECT id FROM sessions' })).rows.map((r) => String(r.id)));
  const clean = (v: unknown): unknown => {
    if (typeof v === 'string') {
      if (sessionIds.has(v)) return 'SESSION';
      // JSON held as text (a setting's value, an anomaly's evidence) is cleaned inside too
      if (v.startsWith('{') || v.startsWith('[')) {
        try {
          return JSON.stringify(clean(JSON.parse(v)));
        } catch {
          return v;
        }
      }
      return v;
    }
    if (v instanceof Date) return v.toISOString();
    if (Array.isArray(v)) return v.map(clean);
    if (v !== null && typeof v === 'object')
      return Object.fromEntries(
        Object.keys(v)
          .sort()
          .filter((k) => !WRITE_TIMES.has(k))
          .map((k) => [k, clean((v as Record<string, unknown>)[k])]),
      );
    return v;
  };
  const lines = (rows: readonly unknown[]): string[] => rows.map((r) => JSON.stringify(clean(r))).sort();

  const read: Record<string, string[]> = {};
  const db = stores.anomalies.database;
  for (const t of ['anomalies', 'metrics', 'incidents', 'sessions'])
    read[`clickhouse.${t}`] = lines(
      await stores.anomalies.executor.query(`SELECT * FROM ${db}.${t}${t === 'sessions' ? ' FINAL' : ''}`),
    );
  // a view's body: a json column's document (PGlite/pg parse it) or bytea (gzip, or the text of an older row)
  const viewBody = (r: Record<string, unknown>) =>
    r.body instanceof Uint8Array ? { ...r, body: JSON.parse(viewText(r.body)) as unknown } : r;
  for (const t of ['sessions', 'files', 'file_views', 'settings', 'site_models', 'analysis_jobs']) {
    const rows = (await pg.query({ text: `SELECT * FROM ${t}` })).rows;
    read[`postgres.${t}`] = lines(t === 'file_views' ? rows.map(viewBody) : rows);
  }
  const files = (await pg.query({ text: 'SELECT id FROM files ORDER BY id' })).rows.map((r) => String(r.id));
  for (const [i, fileId] of files.entries()) {
    read[`api.anomalies[file ${i}]`] = lines((await stores.anomalies.queryAnomalies({ fileId, limit: 10_000 })).items);
    read[`api.metrics[file ${i}]`] = lines(await stores.anomalies.queryMetrics({ fileId, limit: 10_000 }));
  }
  read['api.sessions'] = lines(await stores.anomalies.listSessions());

  const digest = (s: string): string => createHash('sha256').update(s).digest('hex').slice(0, 16);
  for (const [k, rows] of Object.entries(read))
    process.stdout.write(`${k.padEnd(28)} ${String(rows.length).padStart(8)} rows  ${digest(rows.join('\n'))}\n`);
  process.stdout.write(`all ${digest(JSON.stringify(read))}\n`);
  if (out) writeFileSync(out, JSON.stringify(read));
} finally {
  await stores.close();
}
