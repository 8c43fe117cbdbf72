import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { openPage, serveApp, stopProcess, useOwnDatabase } from '../test-support/e2e-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_ARGS,
  CLI_BIN,
  REPO_ROOT,
  requireBuild,
  requireChromium,
  waitForServerUrl,
} from '../test-support/built.js';

useOwnDatabase();

const built = requireBuild();
const chromiumPath = requireChromium();
const ARTIFACTS = join(REPO_ROOT, 'artifacts');

/** The web app in real Chromium against `l1t serve`: upload, live analysis, filters, detail, status, pcap slice. */
describe.runIf(built && Boolean(chromiumPath))('the web application in a real browser', () => {
  let work: string;
  let server: ChildProcess | undefined;
  let url = '';
  let browser: Browser | undefined;
  let page: Page;
  let capture: string;
  let labels: { type: string; packet_index: number }[];

  const shot = (name: string, fullPage = false) =>
    page.screenshot({ path: join(ARTIFACTS, `web-${name}.png`), fullPage });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'l1t-web-e2e-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    capture = join(work, 'du-faults.pcapng');
    // A small carrier (24 PRBs, 3 eAxC) keeps the capture at tens of MB with the same fault timing.
    const synth = spawnSync(
      process.execPath,
      [
        CLI_BIN,
        'synth',
        'fronthaul',
        '--out',
        capture,
        '--labels',
        join(work, 'labels.jsonl'),
        '--faults',
        'seq_gap@0.3:count=3;rx_window_late@0.5',
        '--nrb',
        '24',
        '--eaxc',
        'dl=0,1 ul=0',
        '--duration',
        '0.6',
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 },
    );
    expect(synth.status, synth.stderr).toBe(0);
    labels = readFileSync(join(work, 'labels.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));

    ({ url, server } = await serveApp(join(work, 'data')));
    ({ browser, page } = await openPage(chromiumPath!, {
      viewport: { width: 1280, height: 800 },
      acceptDownloads: true,
    }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopProcess(server);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('uploads a synthesized capture, watches it analyse and shows its decode summary', async () => {
    await page.goto(url);
    await page.getByText('Authentication off (local)').waitFor({ timeout: 15_000 });
    await page.getByText('No analysis sessions yet').waitFor({ timeout: 15_000 });
    // Two files at once: the capture, and bytes that are no capture (refused with a reason).
    const junk = join(work, 'notes.bin');
    writeFileSync(
      junk,
      new Uint8Array(4096).map((_, i) => (i * 2654435761) >>> 24),
    );
    await page.getByTestId('file-input').setInputFiles([capture, junk]);
    const uploads = page.getByRole('list', { name: 'Uploads' });
    const item = uploads.getByRole('listitem').filter({ hasText: 'du-faults.pcapng' });
    await item.getByRole('progressbar').first().waitFor({ timeout: 15_000 });
    await shot('1-uploading');
    await page.locator('.uploads li[data-phase="done"]').waitFor({ timeout: 150_000 });
    const refused = uploads.getByRole('listitem').filter({ hasText: 'notes.bin' });
    await refused.getByRole('alert').waitFor({ timeout: 15_000 });
    expect(await refused.getByRole('alert').textContent()).toMatch(/not a capture or log/);
    await item.getByLabel('Decode summary').waitFor({ timeout: 15_000 });
    expect(await item.textContent()).toMatch(/[1-9]\d* anomalies/);
    await page.getByRole('table', { name: 'Files' }).waitFor({ timeout: 15_000 });
    await shot('2-analysed');
  }, 200_000);

  it('finds the injected anomalies with the filters', async () => {
    await page.locator('.uploads li[data-phase="done"] a', { hasText: /anomalies/ }).click();
    await page.getByRole('table', { name: 'Anomalies' }).waitFor({ timeout: 15_000 });
    for (const type of new Set(labels.map((l) => l.type))) {
      await page.getByLabel('Type', { exact: true }).fill(type);
      await expect
        .poll(() => page.getByTestId('total').textContent(), { timeout: 15_000 })
        .toMatch(/^[1-9]\d* anomal(y|ies)/);
      const rows = page.getByRole('table', { name: 'Anomalies' }).getByRole('row');
      await expect.poll(async () => (await rows.nth(1).textContent()) ?? '', { timeout: 15_000 }).toContain(type);
      expect(new URL(page.url()).searchParams.get('type')).toBe(type);
    }
    await page.getByLabel('Type', { exact: true }).fill('seq_gap');
    await expect
      .poll(() => page.getByRole('table', { name: 'Anomalies' }).getByRole('row').nth(1).textContent(), {
        timeout: 15_000,
      })
      .toContain('seq_gap');
    await shot('3-filtered');
    // Keyboard: focus the table, Enter opens the selected (first) row.
    await page.getByRole('table', { name: 'Anomalies' }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('table', { name: 'Evidence' }).waitFor({ timeout: 15_000 });
  }, 90_000);

  it('shows the evidence and a streamed recommendation, changes the status, and serves a pcapng slice', async () => {
    expect(await page.locator('h2').first().textContent()).toContain('seq_gap');
    expect(await page.getByRole('table', { name: 'Evidence' }).textContent()).toMatch(/\d/);
    await page.getByTestId('recommendation-text').waitFor({ timeout: 60_000 });
    await page.getByTestId('recommendation-meta').waitFor({ timeout: 60_000 });
    // The text is revealed as it streams (a typewriter after the last chunk): judge it once it stands still.
    await page.locator('[data-testid="recommendation-text"][data-streaming="false"]').waitFor({ timeout: 60_000 });
    expect((await page.getByTestId('recommendation-text').textContent())!.length).toBeGreaterThan(20);
    await shot('4-detail', true);

    await page.getByLabel('Note').fill('seen on the lab DU, checking the switch');
    await page.getByRole('button', { name: 'Mark acknowledged' }).click();
    await page
      .getByRole('list', { name: 'Status history' })
      .getByText('checking the switch')
      .waitFor({ timeout: 15_000 });
    const id = page.url().split('/').pop()!;
    const api = (await (await fetch(`${url}/api/anomalies/${id}`)).json()) as { status: string };
    expect(api.status).toBe('acknowledged');
    await shot('5-acknowledged');

    const href = await page.getByTestId('pcap-link').getAttribute('href');
    const res = await fetch(new URL(href!, url));
    expect(res.status).toBe(200);
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(Buffer.from(bytes.subarray(0, 4)).toString('hex')).toBe('0a0d0d0a');
  }, 120_000);

  it('shows the dashboard and the session timeline', async () => {
    await page.getByRole('link', { name: 'Dashboard' }).first().click();
    await page.getByText('Total anomalies').waitFor({ timeout: 15_000 });
    await page.getByRole('img', { name: 'Anomalies by type' }).waitFor({ timeout: 15_000 });
    await page.getByRole('table', { name: /hour of day/ }).waitFor({ timeout: 15_000 });
    await shot('6-dashboard');
    await page.getByRole('link', { name: 'Sessions' }).click();
    await page.getByRole('link', { name: 'Timeline' }).click();
    await page.getByRole('img', { name: 'Anomalies by flow over time' }).waitFor({ timeout: 15_000 });
    await shot('7-timeline');
  }, 60_000);
});

/** With L1T_AUTH=on the app asks for a login; a user made with `l1t user add` signs in. */
describe.runIf(built && Boolean(chromiumPath))('the web application with authentication on', () => {
  let work: string;
  let server: ChildProcess | undefined;
  let browser: Browser | undefined;

  afterAll(async () => {
    await browser?.close();
    await stopProcess(server);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows a login form, refuses a wrong password and signs a local user in', async () => {
    work = mkdtempSync(join(tmpdir(), 'l1t-web-auth-'));
    const env = { ...process.env, L1T_DATA_DIR: join(work, 'data'), L1T_LOG_LEVEL: 'warn', L1T_AUTH: 'on' };
    const add = spawnSync(process.execPath, [CLI_BIN, 'user', 'add', 'admin', '--role', 'admin'], {
      cwd: REPO_ROOT,
      env,
      input: 'correct horse battery\n',
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(add.status, add.stderr).toBe(0);
    server = spawn(process.execPath, [CLI_BIN, 'serve', '--port', '0', '--host', '127.0.0.1'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await waitForServerUrl(server, 'l1t serve');
    expect((await fetch(`${url}/api/sessions`)).status).toBe(401);
    browser = await chromium.launch({ executablePath: chromiumPath!, args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url);
    const form = page.getByRole('form', { name: 'Sign in' });
    await form.waitFor({ timeout: 15_000 });
    await page.getByLabel('User').fill('admin');
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await form.getByRole('alert').waitFor({ timeout: 15_000 });
    await page.getByLabel('Password').fill('correct horse battery');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('No analysis sessions yet').waitFor({ timeout: 15_000 });
    expect(await page.textContent('header')).toContain('admin');
    expect(await page.textContent('body')).not.toContain('Authentication off');
    await page.screenshot({ path: join(ARTIFACTS, 'web-8-signed-in.png') });
  }, 180_000);
});
