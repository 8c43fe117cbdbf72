import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { readKnowledgeFiles } from './knowledge-files.js';

const run = promisify(execFile);
const hasTshark = await run('tshark', ['-v']).then(
  () => true,
  () => false,
);

/** The display filters (`-Y '…'`) of the shipped entries, placeholders replaced by a number. */
async function displayFilters(): Promise<{ slug: string; filter: string }[]> {
  const out: { slug: string; filter: string }[] = [];
  for (const d of await readKnowledgeFiles())
    for (const m of d.body.matchAll(/-Y '([^']+)'/g))
      out.push({ slug: d.slug, filter: m[1]!.replace(/\{\{[a-z_.]+\}\}/g, '1') });
  return out;
}

describe.skipIf(!hasTshark)('knowledge entry commands (checked with the installed tshark)', () => {
  it('uses display filters tshark accepts and field names it knows', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l1t-kb-'));
    try {
      // An empty little-endian pcap (LINKTYPE_ETHERNET): enough for tshark to compile a filter.
      const empty = join(dir, 'empty.pcap');
      const header = Buffer.alloc(24);
      header.writeUInt32LE(0xa1b2c3d4, 0);
      header.writeUInt16LE(2, 4);
      header.writeUInt16LE(4, 6);
      header.writeUInt32LE(65535, 16);
      header.writeUInt32LE(1, 20);
      writeFileSync(empty, header);
      const filters = await displayFilters();
      expect(filters.length).toBeGreaterThan(10);
      const results = await Promise.all(
        filters.map(({ slug, filter }) =>
          run('tshark', ['-r', empty, '-Y', filter]).then(
            () => undefined,
            (e: { stderr?: string }) =>
              `${slug}: ${filter}: ${
                String(e.stderr ?? e)
                  .split('\n')
                  .find((l) => l && !l.startsWith('Running as')) ?? ''
              }`,
          ),
        ),
      );
      expect(results.filter(Boolean)).toEqual([]);

      const known = new Set(
        (await run('tshark', ['-G', 'fields'], { maxBuffer: 256 * 1024 * 1024 })).stdout
          .split('\n')
          .map((l) => l.split('\t')[2]),
      );
      const used = new Set<string>();
      for (const d of await readKnowledgeFiles())
        for (const m of d.body.matchAll(/-e ((?:ecpri|oran_fh_cus|ptp|frame|eth|vlan)\.[A-Za-z0-9_.]*[A-Za-z0-9])/g))
          used.add(m[1]!);
      expect([...used].filter((f) => !known.has(f))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
