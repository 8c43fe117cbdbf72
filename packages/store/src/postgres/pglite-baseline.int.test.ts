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
});
