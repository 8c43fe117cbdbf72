import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { KnowledgeDocument } from '@l1t/store';

/** The curated entries shipped with this package (`packages/advisor/knowledge/*.md`), from src/ and dist/ alike. */
export const KNOWLEDGE_DIR = fileURLToPath(new URL('../../knowledge/', import.meta.url));

/** Tag of documents that came from the shipped files; `edited` marks one changed through the API since. */
export const BUILTIN_TAG = 'builtin';
export const EDITED_TAG = 'edited';

export class KnowledgeFileError extends Error {
  override name = 'KnowledgeFileError';
}

/**
 * One entry: a front matter block (`type`, `title`, `tags`) then Markdown with level-2 sections
 * (Meaning, Common causes, Checks, Fixes, Prevention, Spec references). The slug is the file name.
 */
export function parseKnowledgeFile(fileName: string, text: string): KnowledgeDocument {
  const m = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(text.replace(/\r\n/g, '\n'));
  if (!m) throw new KnowledgeFileError(`${fileName}: missing front matter (--- … ---)`);
  const meta: Record<string, string> = {};
  for (const line of m[1]!.split('\n')) {
    const kv = /^([a-z_]+):\s*(.*)$/.exec(line.trim());
    if (kv) meta[kv[1]!] = kv[2]!.trim();
  }
  if (!meta.title) throw new KnowledgeFileError(`${fileName}: front matter has no title`);
  const slug = fileName.replace(/\.md$/, '');
  const tags = (meta.tags ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  return {
    slug,
    title: meta.title,
    anomalyType: meta.type ?? null,
    body: m[2]!.trim() + '\n',
    tags: [...new Set([BUILTIN_TAG, ...tags])],
  };
}

/** Every shipped entry, sorted by slug. */
export async function readKnowledgeFiles(dir: string = KNOWLEDGE_DIR): Promise<KnowledgeDocument[]> {
  const names = (await readdir(dir)).filter((n) => n.endsWith('.md') && n !== 'README.md').sort();
  return Promise.all(names.map(async (n) => parseKnowledgeFile(n, await readFile(`${dir}/${n}`, 'utf8'))));
}

/** Level-2 sections of a Markdown body by heading (lower-cased), in order. */
export function splitSections(body: string): Map<string, string> {
  const out = new Map<string, string>();
  let current = '';
  let lines: string[] = [];
  const flush = (): void => {
    if (current) out.set(current, lines.join('\n').trim());
  };
  for (const line of body.split('\n')) {
    const h = /^##\s+(.+?)\s*$/.exec(line);
    if (h) {
      flush();
      current = h[1]!.toLowerCase();
      lines = [];
    } else lines.push(line);
  }
  flush();
  return out;
}
