/**
 * The file analysis page (issue 16) in real Chromium on real captures analysed into the embedded stores by
 * `l1t analyze`, served by `l1t serve`: fh_ks (4 flows, absolute timing), VIAVI (relative timing, zero PRBs)
 * and a TIMESAFE PTP capture (grandmaster changes). Every view renders with data, each histogram counts the
 * messages of the flow table's RX_ON_TIME + RX_EARLY + RX_LATE, the heatmap's all-zero PRBs are the flow's
 * zero PRBs of the IQ statistics; screenshots go to artifacts/ and the first paint of each page is measured.
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openPage, serveApp, stopProcess, useOwnDatabase } from '../test-support/e2e-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_BIN, REPO_ROOT, requireBuild, requireChromium } from '../test-support/built.js';
import { requireSharedDir } from '../test-support/shared.js';
import { addClippedProbe, chartsCutAtTheirEdges, removeClippedProbe } from '../test-support/chart-edges.js';

useOwnDatabase();

const built = requireBuild();
const chromiumPath = requireChromium();
const samples = requireSharedDir('samples');
const ARTIFACTS = join(REPO_ROOT, 'artifacts');
const BIG_BYTES = Number(process.env.L1T_FILE_PAGE_BIG_BYTES ?? 0);
const BITS = { du_port: 4, band_sector: 4, cc: 4, ru_port: 4 };
const uncompressed = (nrb: number) => ({
  nrb,
  eaxc_bits: BITS,
  uplane: { comp_method: 'none', iq_width: 16, comp_hdr: 'static' },
});

interface FileItem {
  id: string;
  name: string;
  session_id: string;
}

describe.runIf(built && Boolean(chromiumPath) && samples.available)('the file analysis page on real captures', () => {
  let work: string;
  let server: ChildProcess | undefined;
  let url = '';
  let browser: Browser | undefined;
  let page: Page;
  let files: FileItem[] = [];
  const firstPaint: Record<string, number> = {};

  const analyse = (file: string, profile?: object) => {
    const args = [CLI_BIN, 'analyze', join(samples.path, file), '--format', 'json'];
    if (profile) {
      const p = join(work, `${file.replace(/\W/g, '_')}.profile.json`);
      writeFileSync(p, JSON.stringify(profile));
      args.push('--profile', p);
    }
    const r = spawnSync(process.execPath, args, {
      cwd: REPO_ROOT,
      env: { ...process.env, L1T_DATA_DIR: join(work, 'data'), L1T_LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 180_000,
    });
    expect(r.status, r.stderr).toBe(0);
  };

  /** A generated capture (`l1t synth fronthaul`) analysed with the profile the generator writes. */
  const synth = (name: string, args: string[]) => {
    const out = join(work, name);
    const profile = join(work, `${name}.profile.json`);
    const s = spawnSync(
      process.execPath,
      [
        CLI_BIN,
        'synth',
        'fronthaul',
        '--out',
        out,
        '--labels',
        join(work, `${name}.labels`),
        '--profile-out',
        profile,
        ...args,
      ],
      { cwd: REPO_ROOT, encoding: 'utf8', timeout: 600_000 },
    );
    expect(s.status, s.stderr).toBe(0);
    const r = spawnSync(process.execPath, [CLI_BIN, 'analyze', out, '--profile', profile], {
      cwd: REPO_ROOT,
      env: { ...process.env, L1T_DATA_DIR: join(work, 'data'), L1T_LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 1_800_000,
    });
    expect(r.status, r.stderr).toBe(0);
    rmSync(out);
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'l1t-file-page-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    synth('du-late.pcapng', [
      '--faults',
      'rx_window_late@0.15:eaxc=0;seq_gap@0.25:count=3',
      '--nrb',
      '24',
      '--eaxc',
      'dl=0,1 ul=0',
      '--duration',
      '0.4',
    ]);
    // The page of a large capture (first paint measured): L1T_FILE_PAGE_BIG_BYTES, e.g. 1e9 (off by default).
    if (BIG_BYTES > 0) synth('big.pcapng', ['--duration', String(BIG_BYTES / 1.28e9)]);
    analyse('Utilities/fh_ks.pcap', uncompressed(51));
    analyse('Utilities/VIAVI_MIMO_DL_cap5.pcap', uncompressed(106));
    analyse('s-plane_security/prod_successful_announce_attack_ptp.pcap');
    ({ url, server } = await serveApp(join(work, 'data')));
    files = ((await (await fetch(`${url}/api/files?limit=10`)).json()) as { items: FileItem[] }).items;
    ({ browser, page } = await openPage(chromiumPath!, { viewport: { width: 1400, height: 900 } }));
  }, 2_400_000);

  afterAll(async () => {
    if (Object.keys(firstPaint).length > 0)
      writeFileSync(join(ARTIFACTS, 'file-page-first-paint.json'), JSON.stringify(firstPaint, null, 2));
    await browser?.close();
    await stopProcess(server);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const idOf = (name: string) => files.find((f) => f.name.endsWith(name))!.id;

  /** Opens the page fresh and measures its first contentful paint and the time until the flow table (or PTP) shows. */
  async function open(name: string, ready: string): Promise<void> {
    const t0 = Date.now();
    await page.goto(`${url}/files/${idOf(name)}`);
    await page.locator(ready).first().waitFor({ timeout: 20_000 });
    const ms = Date.now() - t0;
    const fcp = await page.evaluate(() => performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null);
    firstPaint[name] = Math.round(fcp ?? ms);
    firstPaint[`${name} (data shown)`] = ms;
  }

  /** Each plane/direction histogram counts what the flow table says was judged for its flows. */
  async function checkHistogramsAgainstCounters(): Promise<number> {
    const rows = await page.getByRole('table', { name: 'Flows' }).locator('tbody tr').all();
    const judged: Record<string, number> = {};
    for (const row of rows) {
      const flow = (await row.getAttribute('data-flow'))!;
      const n = async (c: string) =>
        Number(((await row.locator(`[data-counter="${c}"]`).textContent()) ?? '0').replace(/\D/g, ''));
      const [plane, dir] = flow.split('|');
      const window = `${dir}_${plane}plane`;
      judged[window] = (judged[window] ?? 0) + (await n('on_time')) + (await n('early')) + (await n('late'));
    }
    const panels = await page.locator('[data-window]').all();
    expect(panels.length).toBeGreaterThan(0);
    for (const p of panels) {
      const window = (await p.getAttribute('data-window'))!;
      expect(Number(await p.getAttribute('data-count')), window).toBe(judged[window]);
      expect(await p.locator('canvas').count()).toBeGreaterThan(0);
    }
    return panels.length;
  }

  it('fh_ks.pcap: flow table, histograms = counters, scatter, heatmap zero PRBs = IQ statistics, constellation', async () => {
    await open('fh_ks.pcap', 'table[aria-label="Flows"] tbody tr');
    const table = page.getByRole('table', { name: 'Flows' });
    expect(await table.locator('tbody tr').count()).toBe(4);
    expect(await table.textContent()).toContain('none 16');
    await page.locator('[data-window] canvas').first().waitFor({ timeout: 15_000 });
    expect(await checkHistogramsAgainstCounters()).toBe(2);
    await page.getByRole('img', { name: /Timing scatter u\|dl\|eaxc=1/ }).waitFor({ timeout: 15_000 });
    expect(Number(await page.locator('[data-points]').first().getAttribute('data-points'))).toBe(1224);
    const heat = page.locator('.heatmap');
    await heat.waitFor({ timeout: 15_000 });
    const zeroCell = await table.locator('tr[data-flow="u|dl|eaxc=1"] td').nth(13).textContent();
    expect(Number(await heat.getAttribute('data-zero'))).toBe(Number(zeroCell!.split('/')[0]!.replace(/\D/g, '')));
    await page.getByRole('img', { name: 'IQ constellation' }).waitFor({ timeout: 15_000 });
    // 28 ms of capture: the margin KPI in 10 ms buckets, 3 points (one per second would be 1)
    await page.getByRole('img', { name: 'Margin to the window over time' }).waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-kpi-points]').getAttribute('data-kpi-points')).toBe('3');
    await page.screenshot({ path: join(ARTIFACTS, 'file-page-fh_ks.png'), fullPage: true });
    // Every chart's axis values fit inside it (read from the canvas pixels); the probe proves the check sees a cut.
    const body = page.locator('body');
    await addClippedProbe(body);
    expect(await chartsCutAtTheirEdges(body)).toEqual([expect.stringMatching(/^clipped probe: left/)]);
    await removeClippedProbe(body);
    expect(await chartsCutAtTheirEdges(body)).toEqual([]);
    await page.getByRole('button', { name: 'relative' }).click();
    await page
      .getByText(/reference .* µs/)
      .first()
      .waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(ARTIFACTS, 'file-page-fh_ks-relative.png'), fullPage: true });
  }, 120_000);

  it('VIAVI_MIMO_DL_cap5.pcap: relative timing, 6 598 all-zero PRBs per eAxC in the heatmap as in the table', async () => {
    await open('VIAVI_MIMO_DL_cap5.pcap', 'table[aria-label="Flows"] tbody tr');
    await page.locator('[data-window] canvas').first().waitFor({ timeout: 15_000 });
    await checkHistogramsAgainstCounters();
    const table = page.getByRole('table', { name: 'Flows' });
    for (const eaxc of ['u|dl|eaxc=0', 'u|dl|eaxc=1']) {
      await page.getByLabel('Heatmap eAxC').selectOption(eaxc);
      await expect
        .poll(() => page.getByRole('img', { name: `PRB heatmap ${eaxc}` }).count(), { timeout: 15_000 })
        .toBe(1);
      const zeroCell = await table.locator(`tr[data-flow="${eaxc}"] td`).nth(13).textContent();
      expect(zeroCell).toContain('6,598');
      expect(Number(await page.locator('.heatmap').getAttribute('data-zero'))).toBe(6598);
    }
    expect(await page.getByText('The detector judged this capture in').textContent()).toContain('relative');
    await page.screenshot({ path: join(ARTIFACTS, 'file-page-viavi.png'), fullPage: true });
  }, 120_000);

  it('prod_successful_announce_attack_ptp.pcap: PTP view with the grandmaster timeline of both grandmasters', async () => {
    await open('prod_successful_announce_attack_ptp.pcap', '#ptp');
    await page.getByRole('img', { name: 'Grandmaster timeline' }).waitFor({ timeout: 20_000 });
    const lanes = await page.locator('.gm-lane').count();
    expect(lanes).toBeGreaterThanOrEqual(2);
    expect(await page.getByLabel('Timing findings', { exact: true }).textContent()).toMatch(/ptp_gm_change × \d+/);
    expect(await page.getByText('No O-RAN C/U-plane flows in this file.').count()).toBe(1);
    expect(await chartsCutAtTheirEdges(page.locator('body'))).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'file-page-timesafe-ptp.png'), fullPage: true });
  }, 120_000);

  it('du-late.pcapng (generated, late messages and a sequence gap): late points in the scatter, findings marked', async () => {
    await open('du-late.pcapng', 'table[aria-label="Flows"] tbody tr');
    await page.locator('[data-window] canvas').first().waitFor({ timeout: 15_000 });
    await checkHistogramsAgainstCounters();
    const late = await page
      .getByRole('table', { name: 'Flows' })
      .locator('tr[data-flow="u|dl|eaxc=0"] [data-counter="late"]')
      .textContent();
    expect(Number(late)).toBeGreaterThan(0);
    await page.getByLabel('Scatter flow').selectOption('u|dl|eaxc=0');
    const scatter = page.locator('[data-late-points]');
    await expect
      .poll(async () => Number(await scatter.getAttribute('data-late-points')), { timeout: 15_000 })
      .toBeGreaterThan(0);
    expect(Number(await scatter.getAttribute('data-markers'))).toBeGreaterThan(0);
    expect(await page.locator('[data-window="dl_uplane"]').textContent()).toMatch(/late/);
    await page.screenshot({ path: join(ARTIFACTS, 'file-page-synth-late.png'), fullPage: true });
  }, 120_000);

  it.runIf(BIG_BYTES > 0)(
    'a large generated capture: every view renders, first paint measured',
    async () => {
      const t0 = Date.now();
      await open('big.pcapng', 'table[aria-label="Flows"] tbody tr');
      await page.locator('.heatmap canvas').waitFor({ timeout: 30_000 });
      await page.locator('[data-points]').first().waitFor({ timeout: 30_000 });
      firstPaint['big.pcapng (all views shown)'] = Date.now() - t0;
      await page.screenshot({ path: join(ARTIFACTS, 'file-page-big.png'), fullPage: true });
      expect(firstPaint['big.pcapng']).toBeLessThanOrEqual(1000);
    },
    120_000,
  );

  it('opens the file page from its name in the session list, the anomalies table and a detail page; paints within 1 s', async () => {
    const file = files.find((f) => f.name.endsWith('fh_ks.pcap'))!;
    await page.goto(`${url}/sessions/${file.session_id}`);
    await page
      .getByRole('link', { name: /fh_ks\.pcap$/ })
      .first()
      .click();
    await page.getByTestId('file-title').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe(`/files/${idOf('fh_ks.pcap')}`);
    // …and from its name in the anomalies table and on a finding's detail page
    const late = files.find((f) => f.name.endsWith('du-late.pcapng'))!;
    await page.goto(`${url}/anomalies?file_id=${late.id}`);
    await page.getByRole('table', { name: 'Anomalies' }).getByRole('link', { name: 'du-late.pcapng' }).first().click();
    await page.getByTestId('file-title').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe(`/files/${late.id}`);
    const finding = (
      (await (await fetch(`${url}/api/anomalies?file_id=${late.id}&limit=1`)).json()) as { items: { id: string }[] }
    ).items[0]!;
    await page.goto(`${url}/anomalies/${finding.id}`);
    await page
      .getByRole('link', { name: /du-late\.pcapng$/ })
      .first()
      .click();
    await page.getByTestId('file-title').waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe(`/files/${late.id}`);
    for (const name of ['fh_ks.pcap', 'VIAVI_MIMO_DL_cap5.pcap', 'prod_successful_announce_attack_ptp.pcap'])
      expect(firstPaint[name], name).toBeLessThanOrEqual(1000);
  }, 60_000);
});
