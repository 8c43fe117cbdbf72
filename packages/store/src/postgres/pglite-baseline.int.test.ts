import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DrizzleMetadataStore } from './drizzle-metadata-store.js';
import { openPglite } from './pg-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'l1t-pglite-baseline-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// `baselineOnly` (l1t analyze) hands PGlite a module of its own compiling: the data folder it writes must be the
// one a default open (the server) reads, and the other way round.
describe('PGlite on the baseline compiler only (short-lived processes)', { timeout: 120_000 }, () => {
  it('migrates and writes a folder that a default open reads back, and reads what a default open wrote', async () => {
    const pg = join(dir, 'postgres');
    const started = '2026-12-06T10:00:00.000Z';
    const baseline = new DrizzleMetadataStore(await openPglite(pg, { baselineOnly: true }));
    try {
      expect((await baseline.migrate()).length).toBeGreaterThan(0);
      await baseline.createSession({ id: 's-baseline', name: 'written on Liftoff', startedAt: started });
      await baseline.putFileViews('f-none', {}); // no file: nothing written, no error
    } finally {
      await baseline.close();
    }
    const optimised = new DrizzleMetadataStore(await openPglite(pg));
    try {
      expect(await optimised.migrate()).toEqual([]);
      expect(await optimised.getSession('s-baseline')).toMatchObject({ name: 'written on Liftoff', status: 'running' });
      await optimised.createSession({ id: 's-default', name: 'written optimised', startedAt: started });
    } finally {
      await optimised.close();
    }
    const again = new DrizzleMetadataStore(await openPglite(pg, { baselineOnly: true }));
    try {
      expect(await again.getSession('s-default')).toMatchObject({ name: 'written optimised' });
    } finally {
      await again.close();
    }
  });

  // `smallBufferPool` (l1t analyze): PostgreSQL's shared memory is zeroed on every start, so a short process
  // takes 2 MB of buffers. Rows bigger than the pool leave it through evictions, not only at close()'s checkpoint:
  // 6 MB of random bytes (incompressible: TOAST keeps them whole) must read back the same from a default open.
  it('a short-lived open has a 2 MB buffer pool, a default one 16 MB; rows bigger than the small pool read back', async () => {
    const pg = join(dir, 'postgres-pool');
    const bytes = randomBytes(6 << 20);
    const digest = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const pool = async (c: Awaited<ReturnType<typeof openPglite>>) =>
      (await c.sql.query({ text: 'SHOW shared_buffers' })).rows[0]?.['shared_buffers'];
    const short = await openPglite(pg, { baselineOnly: true, smallBufferPool: true });
    try {
      expect(await pool(short)).toBe('2MB');
      await short.sql.query({ text: 'CREATE TABLE blobs (id int PRIMARY KEY, body bytea NOT NULL)' });
      for (let id = 0; id < 3; id++)
        await short.sql.query({ text: 'INSERT INTO blobs VALUES ($1, $2)', values: [id, bytes] });
    } finally {
      await short.close();
    }
    const server = await openPglite(pg);
    try {
      expect(await pool(server)).toBe('16MB');
      const { rows } = await server.sql.query({ text: 'SELECT id, body FROM blobs ORDER BY id' });
      expect(rows.map((r) => [r['id'], digest(r['body'] as Uint8Array)])).toEqual(
        [0, 1, 2].map((id) => [id, digest(bytes)]),
      );
    } finally {
      await server.close();
    }
  });
});
