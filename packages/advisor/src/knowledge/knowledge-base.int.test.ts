import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleMetadataStore, openPglite, openPgServer } from '@l1t/store';
import { REQUIRE_ALL_SUITES } from '../../../../test-support/shared.js';
import { createTestDatabase } from '../../../../test-support/store-postgres.js';
import { retrievalQuery } from '../prompt/build-prompt.js';
import { sampleAnomaly } from '../test-support/sample-anomaly.js';
import { DELETED_BUILTINS_KEY, KnowledgeBase } from './knowledge-base.js';
import { readKnowledgeFiles } from './knowledge-files.js';

// A real PostgreSQL server from DATABASE_URL; without one that suite is skipped, unless CI demands every suite.
const serverUrl = process.env.DATABASE_URL;
if (!serverUrl && REQUIRE_ALL_SUITES)
  throw new Error('DATABASE_URL is not set and L1T_REQUIRE_ALL_SUITES=1: the PostgreSQL knowledge suite must run');

interface Target {
  open(): Promise<DrizzleMetadataStore>;
  cleanup?(): Promise<void>;
}

/** The same cases on every PostgreSQL implementation (PGlite embedded, a server through pg). */
function knowledgeSuite(name: string, target: Target | undefined): void {
  describe.runIf(target !== undefined)(`knowledge base on ${name}`, () => {
    let store: DrizzleMetadataStore;
    let kb: KnowledgeBase;
    beforeAll(async () => {
      store = await target!.open();
      await store.migrate();
      kb = new KnowledgeBase(store);
    });
    afterAll(async () => {
      await store?.close();
      await target?.cleanup?.();
    });

    it('loads every shipped entry, then nothing on a second load', async () => {
      const shipped = await readKnowledgeFiles();
      expect(await kb.loadBuiltins()).toEqual({ written: shipped.length, kept: 0 });
      expect(await kb.loadBuiltins()).toEqual({ written: 0, kept: shipped.length });
      const all = await kb.list();
      expect(all.map((d) => d.slug)).toEqual(shipped.map((d) => d.slug));
      expect(all.every((d) => typeof d.updatedAt === 'string')).toBe(true);
      expect(await kb.list({ anomalyType: 'seq_gap' })).toHaveLength(1);
    });

    it('rewrites a shipped entry that changed, keeps one edited or deleted through the API', async () => {
      const shipped = await readKnowledgeFiles();
      const changed = shipped.map((d) => (d.slug === 'seq_reorder' ? { ...d, body: d.body + '\nNew note.\n' } : d));
      expect((await kb.loadBuiltins(changed)).written).toBe(1);
      expect((await kb.get('seq_reorder'))!.body).toContain('New note.');

      const edited = await kb.put({
        slug: 'iq_zero',
        title: 'Ours',
        anomalyType: 'iq_zero',
        body: '## Meaning\nours\n',
        tags: ['site'],
      });
      expect(edited.tags.sort()).toEqual(['builtin', 'edited', 'site']);
      expect(await kb.delete('beam_failure')).toBe(true);
      expect(await kb.delete('beam_failure')).toBe(false);
      expect(await store.getSetting(DELETED_BUILTINS_KEY)).toEqual(['beam_failure']);

      const again = shipped.map((d) => ({ ...d, body: d.body + '\nv2\n' }));
      const r = await kb.loadBuiltins(again);
      expect(r).toEqual({ written: shipped.length - 2, kept: 2 });
      expect((await kb.get('iq_zero'))!.body).toBe('## Meaning\nours\n');
      expect(await kb.get('beam_failure')).toBeUndefined();
    });

    it('keeps a user document with a shipped slug untouched', async () => {
      await kb.delete('seq_duplicate');
      await store.putSetting(DELETED_BUILTINS_KEY, []);
      await kb.put({ slug: 'seq_duplicate', title: 'Mine', anomalyType: null, body: 'mine', tags: [] });
      await kb.loadBuiltins();
      expect((await kb.get('seq_duplicate'))!.body).toBe('mine');
    });

    it('finds passages by keyword with the retrieval query of an anomaly', async () => {
      const found = await store.searchKnowledge(retrievalQuery(sampleAnomaly()), { limit: 5 });
      expect(found.length).toBeGreaterThan(1);
      expect(found.map((d) => d.slug)).toContain('seq_gap');
      const gm = await store.searchKnowledge('grandmaster', { limit: 3 });
      expect(gm[0]!.slug).toMatch(/^ptp_/);
    });
  });
}

knowledgeSuite('PGlite (embedded)', { open: async () => new DrizzleMetadataStore(await openPglite()) });

let testDb: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
knowledgeSuite(
  'PostgreSQL server (DATABASE_URL)',
  serverUrl
    ? {
        open: async () => {
          testDb = await createTestDatabase(serverUrl);
          return new DrizzleMetadataStore(await openPgServer(testDb.url));
        },
        cleanup: async () => testDb?.drop(),
      }
    : undefined,
);
