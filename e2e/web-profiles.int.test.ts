import { type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openPage, serveApp, stopProcess, useOwnDatabase } from '../test-support/e2e-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../test-support/shared.js';
import { REPO_ROOT, requireBuild, requireChromium } from '../test-support/built.js';

useOwnDatabase();

/** Issue 16: profiles in the web app — edit and save with field-level errors, upload with one, re-analyse with one. */
const built = requireBuild();
const chromiumPath = requireChromium();
const samples = requireSharedDir('samples');
const ARTIFACTS = join(REPO_ROOT, 'artifacts');

describe.runIf(built && Boolean(chromiumPath) && samples.available)('profiles in a real browser', () => {
  let work: string;
  let server: ChildProcess | undefined;
  let url = '';
  let browser: Browser | undefined;
  let page: Page;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'l1t-web-profiles-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    ({ url, server } = await serveApp(join(work, 'data')));
    ({ browser, page } = await openPage(chromiumPath!, { viewport: { width: 1280, height: 900 } }));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await stopProcess(server);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('shows the field errors of a bad profile, saves a good one, uploads and re-analyses with it', async () => {
    await page.goto(`${url}/profiles`);
    await page.getByLabel('Profile name').fill('fh-ks');
    await page.getByLabel('Profile JSON').fill(JSON.stringify({ nrb: 0, timing: { mod: 'absolute' } }));
    await page.getByRole('button', { name: 'Save' }).click();
    const errors = page.getByRole('alert', { name: 'Profile errors' });
    await errors.waitFor({ timeout: 15_000 });
    const text = (await errors.textContent()) ?? '';
    expect(text).toContain('nrb');
    expect(text).toContain('timing.mod: unknown key');
    await page.screenshot({ path: join(ARTIFACTS, 'web-issue16-10-profile-errors.png'), fullPage: true });

    const good = {
      nrb: 51,
      eaxc_bits: { du_port: 4, band_sector: 4, cc: 4, ru_port: 4 },
      uplane: { comp_method: 'none', iq_width: 16 },
    };
    await page.getByLabel('Profile JSON').fill(JSON.stringify(good, null, 2));
    await page.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved profile fh-ks' }).waitFor({ timeout: 15_000 });
    await page.getByRole('region', { name: 'Saved profiles' }).getByRole('button', { name: 'fh-ks' }).waitFor();

    // Upload with the saved profile.
    await page.goto(url);
    await page.getByLabel('Profile', { exact: true }).selectOption('fh-ks');
    await page.getByTestId('file-input').setInputFiles(join(samples.path, 'Utilities/fh_ks.pcap'));
    await page.locator('.uploads li[data-phase="done"]').waitFor({ timeout: 120_000 });

    // Re-analyse it with the profile from the profiles page.
    await page.goto(`${url}/profiles`);
    await page.getByRole('button', { name: 'fh-ks' }).click();
    await expect.poll(() => page.getByLabel('Profile JSON').inputValue()).toContain('"nrb": 51');
    const options = await page.getByLabel('File to re-analyse').locator('option').allTextContents();
    await page.getByLabel('File to re-analyse').selectOption({ label: options.find((o) => o.includes('fh_ks.pcap'))! });
    await page.getByRole('button', { name: 'Re-analyse' }).click();
    await page
      .getByRole('status')
      .filter({ hasText: 'Re-analysis queued with profile fh-ks' })
      .waitFor({ timeout: 15_000 });
    await expect
      .poll(
        async () =>
          (
            (await (await fetch(`${url}/api/sessions`)).json()) as { items: { name: string; status: string }[] }
          ).items.find((s) => s.name.includes('with profile fh-ks'))?.status,
        {
          timeout: 120_000,
        },
      )
      .toBe('done');
    await page.screenshot({ path: join(ARTIFACTS, 'web-issue16-11-profiles.png'), fullPage: true });

    // A profile file sent with the upload: a bad one is refused with the key it gets wrong.
    const bad = join(work, 'bad-profile.json');
    writeFileSync(bad, JSON.stringify({ nrb: 0 }));
    await page.goto(url);
    await page.getByLabel('Profile file').setInputFiles(bad);
    await page.getByText('bad-profile.json').waitFor();
    await page.getByTestId('file-input').setInputFiles(join(samples.path, 'Utilities/fh_1x1.pcap'));
    const refused = page
      .getByRole('list', { name: 'Uploads' })
      .getByRole('listitem')
      .filter({ hasText: 'fh_1x1.pcap' });
    await refused.getByRole('alert').waitFor({ timeout: 30_000 });
    expect(await refused.getByRole('alert').textContent()).toMatch(/invalid profile: nrb/);
  }, 300_000);
});
