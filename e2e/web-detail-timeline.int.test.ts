import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openPage, serveApp, stopProcess, useOwnDatabase } from '../test-support/e2e-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../test-support/shared.js';
import { CLI_BIN, REPO_ROOT, requireBuild, requireChromium } from '../test-support/built.js';

useOwnDatabase();

/*
 * Issue 16, the detail page, the timeline and the dashboard in real Chromium on real captures analysed with
 * `l1t analyze` (one session each): a U-plane capture of dos-attacker (one seq_duplicate, KPIs per flow) and
 * the production Announce attack (PTP findings, aggregated bursts).
 */
const built = requireBuild();
const chromiumPath = requireChromium();
const samples = requireSharedDir('samples');
const ARTIFACTS = join(REPO_ROOT, 'artifacts');

describe.runIf(built && Boolean(chromiumPath) && samples.available)('detail page, timeline and dashboard', () => {
  let work: string;
  let server: ChildProcess | undefined;
  let url = '';
  let browser: Browser | undefined;
  let page: Page;
  const env = () => ({ ...process.env, L1T_DATA_DIR: join(work, 'data'), L1T_LOG_LEVEL: 'warn', L1T_AUTH: 'off' });
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `web-issue16-${name}.png`), fullPage: true });
  const api = async <T>(path: string): Promise<T> => (await (await fetch(`${url}${path}`)).json()) as T;

  const analyze = (file: string, session: string) =>
    new Promise<void>((resolve, reject) => {
      const p = spawn(process.execPath, [CLI_BIN, 'analyze', file, '--session', session, '--format', 'jsonl'], {
        cwd: REPO_ROOT,
        env: env(),
        stdio: 'ignore',
      });
      p.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`analyze exited ${code}`))));
    });

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'l1t-web-detail-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    await analyze(join(samples.path, 'dos-attacker/up_dl_short_1mb.pcap'), 'u-plane dl');
    await analyze(join(samples.path, 's-plane_security/prod_successful_announce_attack_ptp.pcap'), 'announce attack');
    ({ url, server } = await serveApp(join(work, 'data'), env()));
    ({ browser, page } = await openPage(chromiumPath!, {
      viewport: { width: 1280, height: 900 },
      timezoneId: 'America/New_York',
    }));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stopProcess(server);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const sessionId = async (name: string) =>
    (await api<{ items: { id: string; name: string }[] }>('/api/sessions')).items.find((s) => s.name === name)!.id;

  it('detail of a U-plane finding: U-plane KPI with a unit, evidence inside its panel, every context column, visible streaming', async () => {
    const { items } = await api<{ items: { id: string; type: string }[] }>(
      `/api/anomalies?session_id=${await sessionId('u-plane dl')}`,
    );
    const dup = items.find((a) => a.type === 'seq_duplicate')!;
    await page.goto(`${url}/anomalies/${dup.id}`);
    // The recommendation appears progressively: caught while it is still being written.
    const rec = page.getByTestId('recommendation-text');
    await rec.waitFor({ timeout: 15_000 });
    const lengths: number[] = [];
    for (let i = 0; i < 8 && (await rec.getAttribute('data-streaming')) === 'true'; i++) {
      lengths.push(((await rec.textContent()) ?? '').length);
      await page.waitForTimeout(40);
    }
    expect(lengths.length).toBeGreaterThanOrEqual(2);
    expect(lengths.at(-1)!).toBeGreaterThan(lengths[0]!);
    await expect.poll(() => rec.getAttribute('data-streaming'), { timeout: 15_000 }).toBe('false');
    // Wrapped lines are joined: no paragraph of the answer ends mid-sentence with the next starting lower-case.
    const paragraphs = await rec.locator('p').allTextContents();
    for (let i = 1; i < paragraphs.length; i++)
      expect(`${paragraphs[i - 1]}|${paragraphs[i]}`).not.toMatch(/[a-z,]\|[a-z]/);

    const kpi = page.getByRole('combobox').filter({ hasText: 'rx_' }).first();
    const chosen = await kpi.inputValue();
    expect(chosen).toMatch(/U-plane/);
    expect(chosen).not.toMatch(/eaxc=.*eaxc=/);
    expect(await page.getByRole('img', { name: /^KPI .* in count per interval around the anomaly/ }).count()).toBe(1);

    const evidence = page.getByRole('table', { name: 'Evidence' });
    const fits = await evidence.evaluate((t) => t.scrollWidth <= (t.parentElement?.clientWidth ?? 0) + 1);
    expect(fits).toBe(true);
    const headers = await page
      .getByRole('table', { name: 'Packet context' })
      .getByRole('columnheader')
      .allTextContents();
    expect(headers).toContain('symbol_id');
    expect(headers.slice(0, 2)).toEqual(['frame', 'sequenceId']);
    await shot('6-detail-uplane');
  }, 90_000);

  it('detail of a PTP finding names the message types and shows their sequenceId', async () => {
    const { items } = await api<{ items: { id: string; type: string }[] }>(
      `/api/anomalies?session_id=${await sessionId('announce attack')}&type=ptp_sync_gap&limit=1`,
    );
    await page.goto(`${url}/anomalies/${items[0]!.id}`);
    const ctx = page.getByRole('table', { name: 'Packet context' });
    await ctx.waitFor({ timeout: 15_000 });
    const text = (await ctx.textContent()) ?? '';
    expect(text).toMatch(/Sync|Announce|Follow_Up/);
    const headers = await ctx.getByRole('columnheader').allTextContents();
    expect(headers).toContain('PTP messageType');
    expect(headers).toContain('sequenceId');
    await shot('7-detail-ptp');
  }, 60_000);

  it('timeline: legend shapes drawn, spans for aggregated findings, the x axis fitted to the data', async () => {
    await page.goto(`${url}/sessions/${await sessionId('announce attack')}/timeline`);
    const marks = page.getByTestId('timeline-marks');
    await expect.poll(() => marks.getAttribute('data-marks'), { timeout: 15_000 }).not.toBeNull();
    const drawn = JSON.parse((await marks.getAttribute('data-marks'))!) as Record<string, number>;
    const { items } = await api<{ items: { severity: string; end_timestamp?: string; timestamp: string }[] }>(
      `/api/anomalies?session_id=${await sessionId('announce attack')}&limit=1000`,
    );
    for (const sev of ['critical', 'major', 'minor', 'info'])
      expect(drawn[sev], sev).toBe(items.filter((a) => a.severity === sev).length);
    expect(drawn.spans).toBe(items.filter((a) => a.end_timestamp && a.end_timestamp > a.timestamp).length);
    expect(drawn.spans).toBeGreaterThan(0);
    const [lo, hi] = JSON.parse((await marks.getAttribute('data-x-range'))!) as [number, number];
    expect(hi - lo).toBeLessThan(3600); // the capture spans minutes, not years
    await shot('8-timeline');

    // One finding: the axis is a few milliseconds around it, not 2024–2027.
    await page.goto(`${url}/sessions/${await sessionId('u-plane dl')}/timeline`);
    await expect.poll(() => marks.getAttribute('data-x-range'), { timeout: 15_000 }).not.toBeNull();
    const [a, b] = JSON.parse((await marks.getAttribute('data-x-range'))!) as [number, number];
    expect(b - a).toBeLessThan(1);
  }, 60_000);

  it('dashboard: the trend axis says capture time, the files card is explained, top flows name their radio link', async () => {
    await page.goto(`${url}/dashboard`);
    await page.getByRole('table', { name: 'Top flows' }).waitFor({ timeout: 15_000 });
    const body = (await page.locator('main').textContent()) ?? '';
    expect(body).not.toContain('Detection rate');
    expect(body).toContain('Files with findings');
    expect(body).toContain('share of the files analysed in the last 7 days with at least one finding');
    expect(body).not.toMatch(/no data the week before/i);
    expect(body).toContain('Trend by capture time');
    expect(await page.getByRole('table', { name: 'Top flows' }).textContent()).toMatch(
      /00:11:22:33:44:55 ↔ 00:11:22:33:44:66 VLAN 1/,
    );
    await shot('9-dashboard');
  }, 60_000);
});
