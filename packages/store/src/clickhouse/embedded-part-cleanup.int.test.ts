import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const RUN = fileURLToPath(new URL('../test-support/short-lived-chdb-run.ts', import.meta.url));
// tsx runs the child from the TypeScript sources, so it exercises this very code (no build needed)
const TSX = createRequire(import.meta.url).resolve('tsx/cli');
const root = mkdtempSync(join(tmpdir(), 'l1t-parts-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function child(...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [TSX, RUN, ...args], { timeout: 120_000 });
  return stdout;
}

// Each write is its own process (chDB loads the directory's tables at open, and merges and cleans up in its
// own threads only while the process lives), as separate `l1t analyze` runs are. Before the embedded cleanup
// settings the outdated parts of every run stayed on disk (removed only 30-40 s after a process opened the
// store, which no CLI run lives): 7 runs of 3 inserts left 31 parts and the count grew with every run.
describe('the embedded store across short-lived processes', { timeout: 600_000 }, () => {
  it('keeps the data parts on disk bounded: each open removes the parts earlier runs left outdated', async () => {
    const dir = join(root, 'clickhouse');
    const counts: { all: number; active: number }[] = [];
    for (let i = 0; i < 10; i++) {
      // 3 s: about what an `l1t analyze` of a small capture keeps the store open
      await child(dir, 'l1t_parts_test', 'write', '3000');
      if (i % 5 === 4) counts.push(JSON.parse(await child(dir, 'l1t_parts_test', 'count')));
    }
    // 10 runs wrote 10 × 3 parts (plus the migrations' own); merges keep a handful active, and the parts left
    // outdated by the runs before the last are gone (measured with the cleanup: 6-12 on disk after each of 6
    // runs; without it 10, 13, 17, 20, 24, 28: ~4 more per run)
    for (const c of counts) expect(c.active).toBeLessThanOrEqual(12);
    for (const c of counts) expect(c.all).toBeLessThanOrEqual(20);
  });
});
