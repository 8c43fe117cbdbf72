import { spawn, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase } from '../packages/store/src/test-support/postgres-server.js';
import { CHROMIUM_ARGS, CLI_BIN, REPO_ROOT, waitForServerUrl } from './built.js';

/** A running `l1t serve` of the built CLI. */
export interface ServedApp {
  url: string;
  server: ChildProcess;
}

/**
 * Starts the built `l1t serve` on a free loopback port with its own data folder (embedded stores), auth off
 * and warnings only unless `env` says otherwise; resolves once it prints its URL.
 */
export async function serveApp(dataDir: string, env: NodeJS.ProcessEnv = {}): Promise<ServedApp> {
  const server = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
    cwd: REPO_ROOT,
    env: { ...process.env, L1T_DATA_DIR: dataDir, L1T_LOG_LEVEL: 'warn', L1T_AUTH: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return { url: await waitForServerUrl(server, 'l1t serve'), server };
}

/** Stops a child process (SIGTERM) and waits for it to exit; nothing when it is gone already. */
export async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Debian's Chromium (headless, the suite's flags) and one page with these options. */
export async function openPage(
  chromiumPath: string,
  options: BrowserContextOptions,
): Promise<{ browser: Browser; page: Page }> {
  const browser = await chromium.launch({ executablePath: chromiumPath, args: CHROMIUM_ARGS });
  return { browser, page: await browser.newPage(options) };
}

/**
 * With DATABASE_URL set (CI's real PostgreSQL), gives this test file a throw-away database of its own on that
 * server for as long as it runs: every `l1t` process it starts inherits it. Suites run side by side, and with
 * one shared database a capture uploaded by one (files are one record per content) was another's record.
 * Without DATABASE_URL the processes use embedded PGlite in their own data folders. Call at the file's top level.
 */
export function useOwnDatabase(): void {
  const server = process.env.DATABASE_URL;
  let db: Awaited<ReturnType<typeof createTestDatabase>> | undefined;
  beforeAll(async () => {
    if (!server) return;
    db = await createTestDatabase(server);
    process.env.DATABASE_URL = db.url;
  }, 60_000);
  afterAll(async () => {
    if (!db) return;
    process.env.DATABASE_URL = server;
    await db.drop();
  }, 60_000);
}
