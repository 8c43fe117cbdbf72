import { walkPaths, type WalkEntry } from './sources.js';

export interface WatchOptions {
  intervalMs: number;
  signal: AbortSignal;
  /** Called once per new file, after its size and mtime stayed the same across two polls. */
  onFile: (entry: WalkEntry) => Promise<void>;
}

/**
 * Polls folders (portable across NFS/EFS, where inotify misses writes from other hosts) and hands over each
 * new file once it has stopped growing. Files present at the first poll are picked up too.
 */
export async function watchPaths(paths: readonly string[], opts: WatchOptions): Promise<void> {
  const seen = new Map<string, { size: number; mtimeMs: number }>();
  const done = new Set<string>();
  while (!opts.signal.aborted) {
    const { files } = await walkPaths(paths);
    for (const f of files) {
      if (done.has(f.path)) continue;
      const prev = seen.get(f.path);
      seen.set(f.path, { size: f.size, mtimeMs: f.mtimeMs });
      if (prev && prev.size === f.size && prev.mtimeMs === f.mtimeMs) {
        done.add(f.path);
        await opts.onFile(f);
      }
    }
    await sleep(opts.intervalMs, opts.signal);
  }
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
