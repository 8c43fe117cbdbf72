import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUIRE_ALL_SUITES } from '../../../../test-support/shared.js';
import { POSTGRES_MIGRATIONS } from '../migrations/postgres/index.js';
import type { NewFile } from '../types.js';
import { createTestDatabase } from '../test-support/postgres-server.js';
import { DrizzleMetadataStore } from './drizzle-metadata-store.js';
import { migratePostgres } from './migrate.js';
import { openPglite, openPgServer, type PgConnection } from './pg-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'l1t-file-views-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const serverUrl = process.env.DATABASE_URL;
if (!serverUrl && REQUIRE_ALL_SUITES)
  throw new Error('DATABASE_URL is not set and L1T_REQUIRE_ALL_SUITES=1: the PostgreSQL suite must run');

// Both engines the metadata store runs on: a fresh, empty database each call.
const engines: { name: string; open: () => Promise<{ conn: PgConnection; drop: () => Promise<void> }> }[] = [
  {
    name: 'PGlite',
    open: async () => ({
      conn: await openPglite(mkdtempSync(join(dir, 'pg-')), { baselineOnly: true }),
      drop: async () => {},
    }),
  },
  ...(serverUrl
    ? [
        {
          name: 'PostgreSQL server',
          open: async () => {
            const db = await createTestDatabase(serverUrl);
            return { conn: await openPgServer(db.url), drop: db.drop };
          },
        },
      ]
    : []),
];

const sha = 'a'.repeat(64);
const aFile: NewFile = {
  id: sha,
  sessionId: null,
  name: 'big.pcap',
  path: null,
  size: 1,
  sha256: sha,
  format: 'pcap',
  formatDetail: null,
};
// a heatmap-like grid: 200 rows of 273 small counts, ~170 kB of JSON that compresses many times
const kind = 'heatmap:u|dl|eaxc=0';
const grid = Array.from({ length: 200 }, (_, r) => Array.from({ length: 273 }, (_, c) => (r * c) % 7));
const heatmap = { name: 'u|dl|eaxc=0', columns: 200, prbs: 273, grid, note: 'µs ü' };

const storedSize = async (conn: PgConnection, fileId: string) => {
  const { rows } = await conn.sql.query({
    text: `SELECT pg_column_size(body) AS stored, substring(body from 1 for 2) AS magic FROM file_views WHERE file_id = $1 AND kind = $2`,
    values: [fileId, kind],
  });
  return { stored: Number(rows[0]!.stored), magic: Buffer.from(rows[0]!.magic as Uint8Array) };
};

// Migration 0005: a file's views are stored gzip-compressed by Node (PostgreSQL's JSON lexer and pglz in
// PGlite's WebAssembly cost ~0.3 CPU-s of `l1t analyze` on 5.4 MB of views) — and read back the same.
describe.each(engines)('file views storage on $name', { timeout: 120_000 }, ({ open }) => {
  it('stores a large, very compressible view as gzip, a fraction of its text, and reads back the same document', async () => {
    const { conn, drop } = await open();
    const store = new DrizzleMetadataStore(conn);
    try {
      await store.migrate();
      const file = await store.upsertFile(aFile);
      await store.putFileViews(file.id, { [kind]: heatmap });

      const text = JSON.stringify(heatmap);
      expect(await store.getFileView(file.id, kind)).toEqual(heatmap);
      expect(await store.getFileViewText(file.id, kind)).toBe(text);
      expect(gunzipSync((await store.getFileViewGzip(file.id, kind))!).toString('utf8')).toBe(text);
      const { stored, magic } = await storedSize(conn, file.id);
      expect([...magic]).toEqual([0x1f, 0x8b]);
      // as json (migrations 0003/0004) it took its text's length; gzip at level 1 takes under a tenth of it
      expect(stored).toBeLessThan(text.length / 10);
    } finally {
      await store.close();
      await drop();
    }
  });

  it('reads a view written as json before migration 0005 as the same document after it', async () => {
    const { conn, drop } = await open();
    const store = new DrizzleMetadataStore(conn);
    try {
      expect(
        await migratePostgres(
          conn,
          POSTGRES_MIGRATIONS.filter((m) => m.version <= 4),
        ),
      ).toEqual([1, 2, 3, 4]);
      const file = await store.upsertFile(aFile);
      // written as the code of migration 0004 wrote it: the document's JSON text into the json column
      const text = JSON.stringify(heatmap);
      await conn.sql.query({
        text: `INSERT INTO file_views (file_id, kind, body) VALUES ($1, $2, $3::json), ($1, 'flows', '{"flows": []}')`,
        values: [file.id, kind, text],
      });
      expect(await store.migrate()).toEqual([5]);

      expect(await store.getFileView(file.id, kind)).toEqual(heatmap);
      expect(await store.getFileViewText(file.id, kind)).toBe(text);
      expect(gunzipSync((await store.getFileViewGzip(file.id, kind))!).toString('utf8')).toBe(text);
      // json keeps the text as written (whitespace too), and so does the conversion
      expect(await store.getFileViewText(file.id, 'flows')).toBe('{"flows": []}');
      expect(await store.getFileView(file.id, 'flows')).toEqual({ flows: [] });
      const { stored, magic } = await storedSize(conn, file.id);
      // the text itself, not gzip, and not compressed by pglz while the migration rewrote the rows
      expect(magic.toString('utf8')).toBe('{"');
      expect(stored).toBeGreaterThanOrEqual(text.length);
    } finally {
      await store.close();
      await drop();
    }
  });
});
