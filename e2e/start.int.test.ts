import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useOwnDatabase } from '../test-support/e2e-app.js';
import { CHROMIUM_ARGS, CLI_BIN, REPO_ROOT, requireBuild, requireChromium, waitForServerUrl } from '../test-support/built.js';

useOwnDatabase();

const built = requireBuild();
const chromiumPath = requireChromium();

function l1t(args: string[], env: Record<string, string>, input?: Uint8Array) {
  return spawnSync(process.execPath, [CLI_BIN, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, L1T_LOG_LEVEL: 'silent', ...env },
    encoding: 'utf8',
    ...(input ? { input } : {}),
    timeout: 120_000,
    maxBuffer: 512 * 1024 * 1024,
  });
}

describe.runIf(built)('the built product, as a new user runs it', () => {
  let work: string;
  let env: Record<string, string>;
  let server: ChildProcess | undefined;
  let url = '';
  let browser: Browser | undefined;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'l1t-e2e-'));
    env = { L1T_DATA_DIR: join(work, 'data') };
    // `npm start` without the build step (npm test built already), on a free port.
    server = spawn(process.execPath, [join(REPO_ROOT, 'scripts/start.mjs'), '--port', '0', '--host', '127.0.0.1'], {
      cwd: REPO_ROOT,
      env: { ...process.env, ...env, L1T_SKIP_BUILD: '1', L1T_LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    url = await waitForServerUrl(server, 'npm start');
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      server.kill('SIGTERM');
      await new Promise((r) => server!.once('exit', r));
    }
  });

  it('serves readiness and the example session through the API', async () => {
    expect((await fetch(`${url}/readyz`)).status).toBe(200);
    const sessions = (await (await fetch(`${url}/api/sessions`)).json()) as { items: { name: string; files_processed: number }[] };
    expect(sessions.items).toEqual([expect.objectContaining({ name: 'examples' })]);
    expect(sessions.items[0]!.files_processed).toBeGreaterThan(0);
  });

  it.runIf(Boolean(chromiumPath))('shows the example session and its files in a real browser', async () => {
    browser = await chromium.launch({ executablePath: chromiumPath!, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    await page.getByText('examples', { exact: true }).first().waitFor({ timeout: 15_000 });
    await page.getByRole('table', { name: 'Files' }).waitFor({ timeout: 15_000 });
    const text = await page.textContent('body');
    expect(text).toContain('fronthaul-example.pcapng');
    expect(text).toContain('Authentication off');
    mkdirSync(join(REPO_ROOT, 'artifacts'), { recursive: true });
    await page.screenshot({ path: join(REPO_ROOT, 'artifacts/start-page.png') });
  });

  it('gives the contract exit codes and one-line messages from the command line', () => {
    const missing = l1t(['analyze', '/no/such/path', '--no-store'], env);
    expect(missing.status).toBe(3);
    expect(missing.stderr.trim().split('\n')).toEqual(['l1t: /no/such/path: offset 0: no such file or directory']);
    writeFileSync(join(work, 'random.bin'), new Uint8Array(5000).map((_, i) => (i * 2654435761) >>> 24));
    const random = l1t(['analyze', join(work, 'random.bin'), '--no-store', '--format', 'jsonl'], env);
    expect(random.status).toBe(3);
    expect(random.stdout).toBe('');
    expect(random.stderr).toMatch(/random\.bin: offset 0: unrecognised format/);
    expect(l1t(['analyze'], env).status).toBe(2);
  });

  it('analyses a folder with worker threads and decodes a capture with Wireshark field names', () => {
    const examples = join(work, 'data/examples');
    const r = l1t(['analyze', examples, examples, '--no-store', '--format', 'json', '--workers', '2'], env);
    expect(r.status, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.files).toHaveLength(2);
    expect(doc.files[0].summary.records).toBeGreaterThan(0);
    const d = l1t(['decode', join(examples, 'fronthaul-example.pcapng'), '--fields', 'frame.number,ecpri.type'], env);
    expect(d.status, d.stderr).toBe(0);
    const first = JSON.parse(d.stdout.split('\n')[0]!);
    expect(first['frame.number']).toBe(1);
  });
});
