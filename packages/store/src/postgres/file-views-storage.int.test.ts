import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DrizzleMetadataStore } from './drizzle-metadata-store.js';
import { openPglite } from './pg-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'l1t-file-views-storage-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Migration 0004: a file's views are stored out of line as written, never compressed (pglz on PGlite's
// baseline WebAssembly was ~0.2 CPU-s of `l1t analyze` on 5.4 MB of views) — and read back the same.
describe('file views storage', { timeout: 120_000 }, () => {
  it('keeps a large, very compressible view uncompressed and reads back the same document', async () => {
    const store = new DrizzleMetadataStore(await openPglite(join(dir, 'postgres'), { baselineOnly: true }));
    try {
      await store.migrate();
      const sha = 'a'.repeat(64);
      const file = await store.upsertFile({
        id: sha,
        sessionId: null,
        name: 'big.pcap',
        path: null,
        size: 1,
        sha256: sha,
        format: 'pcap',
        formatDetail: null,
      });
      // a heatmap-like grid: 200 rows of 273 small counts, ~170 kB of JSON that pglz shrinks several times
      const grid = Array.from({ length: 200 }, (_, r) => Array.from({ length: 273 }, (_, c) => (r * c) % 7));
      const heatmap = { name: 'u|dl|eaxc=0', columns: 200, prbs: 273, grid };
      await store.putFileViews(file.id, { 'heatmap:u|dl|eaxc=0': heatmap });

      expect(await store.getFileView(file.id, 'heatmap:u|dl|eaxc=0')).toEqual(heatmap);
      expect(await store.views.getFileViewText(file.id, 'heatmap:u|dl|eaxc=0')).toBe(JSON.stringify(heatmap));
      const [sizes] = (
        await store.connection.sql.query({
          text: `SELECT pg_column_size(body) AS stored, octet_length(body::text) AS text FROM file_views WHERE file_id = $1`,
          values: [file.id],
        })
      ).rows as { stored: number; text: number }[];
      // stored as its text (plus the 4-byte varlena header); compressed it would be a fraction of it
      expect(Number(sizes!.stored)).toBeGreaterThanOrEqual(Number(sizes!.text));
    } finally {
      await store.close();
    }
  });
});
