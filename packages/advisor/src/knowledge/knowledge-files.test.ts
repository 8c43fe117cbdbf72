import { ANOMALY_CATALOGUE } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import {
  BUILTIN_TAG,
  KnowledgeFileError,
  parseKnowledgeFile,
  readKnowledgeFiles,
  splitSections,
} from './knowledge-files.js';

const SECTIONS = ['meaning', 'common causes', 'checks', 'fixes', 'prevention', 'spec references'];

describe('shipped knowledge entries', () => {
  it('exist for every anomaly type of the catalogue, with every section filled', async () => {
    const docs = await readKnowledgeFiles();
    const byType = new Map(docs.map((d) => [d.anomalyType, d]));
    const missing = ANOMALY_CATALOGUE.filter((t) => !byType.has(t.type)).map((t) => t.type);
    expect(missing).toEqual([]);
    for (const t of ANOMALY_CATALOGUE) {
      const d = byType.get(t.type)!;
      expect(d.slug).toBe(t.type);
      expect(d.tags).toContain(BUILTIN_TAG);
      const s = splitSections(d.body);
      for (const name of SECTIONS) expect(s.get(name)?.length ?? 0, `${t.type}: ${name}`).toBeGreaterThan(10);
      // Checks name the commands an engineer runs.
      expect(s.get('checks'), `${t.type}: checks`).toMatch(/`[^`]+`/);
    }
    expect(docs.length).toBe(ANOMALY_CATALOGUE.length);
  });

  it('parses front matter and refuses a file without it', () => {
    const d = parseKnowledgeFile('x.md', '---\ntype: seq_gap\ntitle: T\ntags: a, b\n---\n## Meaning\nM\n');
    expect(d).toEqual({
      slug: 'x',
      title: 'T',
      anomalyType: 'seq_gap',
      body: '## Meaning\nM\n',
      tags: ['builtin', 'a', 'b'],
    });
    expect(() => parseKnowledgeFile('y.md', '## Meaning\n')).toThrow(KnowledgeFileError);
  });
});
