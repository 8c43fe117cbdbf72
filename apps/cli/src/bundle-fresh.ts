import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

/** One line of dist/bundle/stamps.json (written by apps/cli/bundle.mjs): a file and its content's sha1. */
interface Stamp {
  file: string;
  sha1: string;
}

/**
 * The entry of the CLI's bundle in `bundleDir` when it was made from the current build: every file that
 * bundle.mjs stamped (each bundled workspace's .tsbuildinfo, which `tsc -b` rewrites whenever it emits, and
 * each bundled package's package.json) still has the same content. Otherwise undefined: bin/l1t.js then runs
 * the tsc output, so a `tsc -b` without the bundle step never runs stale code. Content, not mtimes: copies
 * (the Docker image's build stage) keep a bundle fresh.
 */
export function freshBundle(bundleDir: URL): URL | undefined {
  const entry = new URL('main.cjs', bundleDir);
  const stampsFile = new URL('stamps.json', bundleDir);
  if (!existsSync(entry) || !existsSync(stampsFile)) return undefined;
  try {
    const stamps = JSON.parse(readFileSync(stampsFile, 'utf8')) as Stamp[];
    const same = stamps.every(
      ({ file, sha1 }) =>
        createHash('sha1')
          .update(readFileSync(new URL(file, stampsFile)))
          .digest('hex') === sha1,
    );
    return same ? entry : undefined;
  } catch {
    return undefined; // a stamped file is gone: the tsc output is the last build
  }
}
