import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { REQUIRE_ALL_SUITES } from './shared.js';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
export const CLI_BIN = `${REPO_ROOT}apps/cli/bin/l1t.js`;

/**
 * End-to-end suites run the built product (`npm test` builds first). Missing build output skips them, or
 * fails them when L1T_REQUIRE_ALL_SUITES=1.
 */
export function requireBuild(): boolean {
  const ok = existsSync(`${REPO_ROOT}apps/cli/dist/main.js`) && existsSync(`${REPO_ROOT}apps/web/dist/index.html`);
  if (!ok && REQUIRE_ALL_SUITES) throw new Error('the build output is missing (run npm run build) and L1T_REQUIRE_ALL_SUITES=1');
  return ok;
}

/** Debian's Chromium for browser tests (CHROMIUM_PATH overrides); missing fails under L1T_REQUIRE_ALL_SUITES. */
export function requireChromium(): string | undefined {
  const path = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
  if (existsSync(path)) return path;
  if (REQUIRE_ALL_SUITES) throw new Error(`Chromium is missing at ${path} and L1T_REQUIRE_ALL_SUITES=1`);
  return undefined;
}

/** Flags for headless Chromium on a closed network, as root (see the machine notes). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-dev-shm-usage',
];

/**
 * Resolves with the URL a starting server prints on stderr (`… is running at http://…`); rejects with what it
 * printed if it exits first or says nothing within `timeoutMs`.
 */
export function waitForServerUrl(child: ChildProcess, what: string, timeoutMs = 100_000): Promise<string> {
  let stderr = '';
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not print its URL:\n${stderr}`)), timeoutMs);
    child.stderr!.on('data', (c: Buffer) => {
      stderr += c.toString();
      const m = /running at (http:\/\/\S+)/.exec(stderr);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`${what} exited ${code}:\n${stderr}`)));
  });
}
