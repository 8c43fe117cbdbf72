import { createReadStream } from 'node:fs';
import { lstat, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import type { AnalyzeInput } from './analyze-file.js';

/** Read size of the streaming pipeline: large enough for throughput, small enough for bounded memory. */
export const CHUNK_BYTES = 1 << 20;

/** A file on disk as pipeline input; `name` is what the user sees (relative to where they pointed). */
export function fileInput(path: string, name = path, size?: number): AnalyzeInput {
  return {
    name,
    path: resolve(path),
    ...(size !== undefined ? { size } : {}),
    open: () => createReadStream(path, { highWaterMark: CHUNK_BYTES }),
    fileBacked: true,
  };
}

/** Standard input as one capture (`l1t analyze -`). */
export function stdinInput(stream: NodeJS.ReadableStream = process.stdin): AnalyzeInput {
  return { name: '-', open: () => stream as AsyncIterable<Uint8Array> };
}

export interface WalkEntry {
  path: string;
  name: string;
  size: number;
  mtimeMs: number;
}

/** A path given by the user that could not be walked (reported like a file that failed, exit 3). */
export interface WalkProblem {
  path: string;
  reason: string;
}

/**
 * Expands files and folders (recursively, in sorted order, never following symbolic links to folders so a
 * link loop cannot hang the walk). Hidden entries inside folders are skipped (editor and VCS droppings).
 */
export async function walkPaths(paths: readonly string[]): Promise<{ files: WalkEntry[]; problems: WalkProblem[] }> {
  const files: WalkEntry[] = [];
  const problems: WalkProblem[] = [];
  for (const root of paths) {
    let st;
    try {
      st = await stat(root);
    } catch (err) {
      problems.push({ path: root, reason: errnoReason(err) });
      continue;
    }
    if (st.isFile()) files.push({ path: root, name: root, size: st.size, mtimeMs: st.mtimeMs });
    else if (st.isDirectory()) await walkDir(root, root, files, problems);
    else problems.push({ path: root, reason: 'not a regular file or folder' });
  }
  return { files, problems };
}

async function walkDir(root: string, dir: string, out: WalkEntry[], problems: WalkProblem[]): Promise<void> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (err) {
    problems.push({ path: dir, reason: errnoReason(err) });
    return;
  }
  for (const n of names) {
    if (n.startsWith('.')) continue;
    const p = join(dir, n);
    let st;
    try {
      st = await lstat(p);
      if (st.isSymbolicLink()) {
        const target = await stat(p);
        if (!target.isFile()) continue;
        st = target;
      }
    } catch (err) {
      problems.push({ path: p, reason: errnoReason(err) });
      continue;
    }
    if (st.isDirectory()) await walkDir(root, p, out, problems);
    else if (st.isFile()) out.push({ path: p, name: join(root, relative(root, p)), size: st.size, mtimeMs: st.mtimeMs });
  }
}

export function errnoReason(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOTDIR':
      return 'not a directory';
    default:
      return code ? `cannot read (${code})` : String(err);
  }
}
