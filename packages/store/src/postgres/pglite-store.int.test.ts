import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { metadataStoreSuite } from '../test-support/metadata-store-suite.js';
import { DrizzleMetadataStore } from './drizzle-metadata-store.js';
import { openPglite } from './pg-connection.js';

const dir = mkdtempSync(join(tmpdir(), 'l1t-pglite-'));

metadataStoreSuite('PGlite (embedded, on disk)', {
  open: async () => new DrizzleMetadataStore(await openPglite(join(dir, 'postgres'))),
  cleanup: async () => rmSync(dir, { recursive: true, force: true }),
});
