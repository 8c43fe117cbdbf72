import { type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openPage, serveApp, stopProcess, useOwnDatabase } from '../test-support/e2e-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../test-support/shared.js';
import { REPO_ROOT, requireBuild, requireChromium } from '../test-support/built.js';

useOwnDatabase();

/*
 * Issue 16 in real Chromium on real captures: a batch upload is one session named by the user; the anomalies
 * table has a File column, finds a frame number and a type by part of its name, shows a PTP port id whole;
 * the production Announce attack reads as at most 3 incidents, each opened with its member findings.
 */
const built = requireBuild();
const chromiumPath = requireChromium();
const samples = requireSharedDir('samples');
const ARTIFACTS = join(REPO_ROOT, 'artifacts');
const ATTACK = 'prod_successful_announce_attack_ptp.pcap';
const DOS = 'cp_dl_short_1mb.pcap';

describe.runIf(built && Boolean(chromiumPath) && samples.available)(
  'incidents and the anomalies table in a real browser',
  () => {
    let work: string;
    let server: ChildProcess | undefined;
    let url = '';
    let browser: Browser | undefined;
    let page: Page;
    const shot = (name: string) =>
      page.screenshot({ path: join(ARTIFACTS, `web-issue16-${name}.png`), fullPage: true });
    const table = () => page.getByRole('table', { name: 'Anomalies' });
    const total = () => page.getByTestId('total').textContent();

    beforeAll(async () => {
      work = mkdtempSync(join(tmpdir(), 'l1t-web-incidents-'));
      mkdirSync(ARTIFACTS, { recursive: true });
      ({ url, server } = await serveApp(join(work, 'data')));
      ({ browser, page } = await openPage(chromiumPath!, { viewport: { width: 1440, height: 900 } }));
    }, 180_000);

    afterAll(async () => {
      await browser?.close();
      await stopProcess(server);
      if (work) rmSync(work, { recursive: true, force: true });
    });

    it('uploads two real captures as one batch: one session, named by the user', async () => {
      await page.goto(url);
      await page.getByText('No analysis sessions yet').waitFor({ timeout: 15_000 });
      await page.getByLabel('Session name').fill('announce attack night');
      await page
        .getByTestId('file-input')
        .setInputFiles([join(samples.path, 's-plane_security', ATTACK), join(samples.path, 'dos-attacker', DOS)]);
      await expect.poll(() => page.locator('.uploads li[data-phase="done"]').count(), { timeout: 150_000 }).toBe(2);
      await page.reload();
      const sessions = page.getByRole('region', { name: 'Sessions' }).getByRole('listitem');
      await expect.poll(() => sessions.count(), { timeout: 15_000 }).toBe(1);
      expect(await sessions.first().textContent()).toContain('announce attack night');
      const files = page.getByRole('table', { name: 'Files' });
      await files.waitFor({ timeout: 15_000 });
      expect(await files.textContent()).toContain(ATTACK);
      expect(await files.textContent()).toContain(DOS);
      await shot('1-one-session');
    }, 200_000);

    it('shows the File column, finds a frame number and a type by part of its name, keeps the PTP port id whole', async () => {
      await page.goto(`${url}/anomalies?sort=packet_index&order=asc`);
      await table().waitFor({ timeout: 15_000 });
      const header = await table().getByRole('columnheader').allTextContents();
      expect(header.some((h) => h.startsWith('File'))).toBe(true);
      const firstRow = table().getByRole('row').nth(1);
      await expect.poll(async () => (await firstRow.textContent()) ?? '', { timeout: 15_000 }).toMatch(/\.pcap/);

      // A frame number in the search box: the finding at that packet.
      const ptpRow = firstRow;
      const frame = (await ptpRow.getByRole('cell').nth(5).textContent())!.trim();
      expect(Number(frame)).toBeGreaterThan(0);
      await page.getByLabel('Search').fill(frame);
      await expect.poll(total, { timeout: 15_000 }).toMatch(/^[1-9]\d* anomal/);
      const rows = await table().getByRole('row').allTextContents();
      expect(rows.slice(1).every((r) => r.includes(frame))).toBe(true);
      await page.getByLabel('Search').fill('');

      // "seq" finds seq_duplicate of the O-RAN capture.
      await page.getByLabel('Type', { exact: true }).fill('seq');
      await expect.poll(total, { timeout: 15_000 }).toMatch(/^[1-9]\d* anomal/);
      await expect
        .poll(async () => (await table().getByRole('row').nth(1).textContent()) ?? '', { timeout: 15_000 })
        .toContain('seq_duplicate');
      await shot('2-type-part');

      // A PTP finding's flow cell shows the whole port identity (nothing cut by the column).
      await page.getByLabel('Type', { exact: true }).fill('ptp_gm_change');
      await expect
        .poll(async () => (await table().getByRole('row').nth(1).textContent()) ?? '', { timeout: 15_000 })
        .toContain('ptp_gm_change');
      const flowCell = table().getByRole('row').nth(1).getByRole('cell').nth(6);
      expect(await flowCell.textContent()).toMatch(/PTP 0x[0-9a-f]{16}:\d+/);
      const cut = await flowCell.evaluate((el) => el.scrollWidth > el.clientWidth + 1);
      expect(cut).toBe(false);
      await shot('3-ptp-flow');
    }, 120_000);

    it('shows the Announce attack as at most 3 incidents and opens one with its member findings', async () => {
      await page.goto(`${url}/anomalies`);
      await page.getByRole('button', { name: 'Incidents' }).click();
      const incidents = page.getByRole('table', { name: 'Incidents' });
      await incidents.waitFor({ timeout: 15_000 });
      const rows = incidents.getByRole('row').filter({ hasText: ATTACK });
      const n = await rows.count();
      expect(n).toBeGreaterThanOrEqual(1);
      expect(n).toBeLessThanOrEqual(3);
      expect(new URL(page.url()).searchParams.get('view')).toBe('incidents');
      // The count says incidents, and how many findings they group (every finding of the table).
      const findings = Number(
        ((await (await fetch(`${url}/api/anomalies?limit=1`)).json()) as { total: number }).total,
      );
      expect(await page.getByTestId('incident-total').textContent()).toMatch(
        new RegExp(`^\\d+ incidents? grouping ${findings} findings`),
      );
      expect(await page.getByTestId('total').count()).toBe(0);
      await shot('4-incidents');
      const episode = rows.filter({ hasText: 'Grandmaster flapping' }).first();
      const count = Number(await episode.getByRole('cell').nth(4).textContent());
      expect(count).toBeGreaterThan(20);
      await episode.getByRole('link').click();
      const members = page.getByRole('table', { name: 'Member findings' });
      await members.waitFor({ timeout: 15_000 });
      expect(await members.getByRole('row').count()).toBe(count + 1);
      expect(await page.getByRole('heading', { level: 2 }).textContent()).toMatch(
        /Grandmaster flapping on PTP domain 24/,
      );
      await shot('5-incident');
    }, 60_000);
  },
);
