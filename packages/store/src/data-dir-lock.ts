import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** True when a process with this id exists (signal 0 only checks). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The other live process recorded in a ClickHouse-style status file (`PID: n`), if any. */
export function otherHolder(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const pid = Number(/(?:PID: )?(\d+)/.exec(text)?.[1]);
  return Number.isInteger(pid) && pid !== process.pid && alive(pid) ? pid : undefined;
}

/**
 * Embedded PostgreSQL (PGlite) has no lock of its own: a second process on the same directory would corrupt
 * it. This takes `<dir>/l1t.pid` (a lock left by a dead process is taken over) and returns its release.
 */
export function lockDataDir(dir: string, what: string): () => void {
  const file = join(dir, 'l1t.pid');
  const holder = otherHolder(file);
  if (holder !== undefined) throw new Error(`${what} at ${dir} is in use by another process (pid ${holder})`);
  writeFileSync(file, `PID: ${process.pid}\n`);
  return () => {
    if (otherHolder(file) === undefined) rmSync(file, { force: true });
  };
}
