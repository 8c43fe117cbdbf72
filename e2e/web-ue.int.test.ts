import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openPage, serveApp, stopProcess, useOwnDatabase } from '../test-support/e2e-app.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../test-support/shared.js';
import { CLI_BIN, REPO_ROOT, requireBuild, requireChromium } from '../test-support/built.js';
import { chartsCutAtTheirEdges } from '../test-support/chart-edges.js';

useOwnDatabase();

/*
 * Issue 13 in real Chromium: a real MobileInsight log, a synthetic .qmdl with UE faults and a synthetic
 * fronthaul capture uploaded as one session; each UE log's page shows what was decoded per log code, the KPI
 * charts and the UE findings with their cell; a fronthaul finding lists the UE finding at the same moment once
 * the session's clock offset lines the two clocks up (the logs were written on unrelated clocks).
 */
const built = requireBuild();
const chromiumPath = requireChromium();
const samples = requireSharedDir('samples');
const ARTIFACTS = join(REPO_ROOT, 'artifacts');
const REAL_LOG = 'bler_sample.mi2log';

interface Row {
  id: string;
  type: string;
  source: string;
  timestamp: string;
}

describe.runIf(built && Boolean(chromiumPath) && samples.available)('the UE side in a real browser', () => {
  let work: string;
  let server: ChildProcess | undefined;
  let url = '';
  let browser: Browser | undefined;
  let page: Page;
  let ueLabels: { type: string }[];
  const files = new Map<string, string>(); // name → id
  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `web-ue-${name}.png`), fullPage: true });
  const api = async <T>(path: string, init?: RequestInit): Promise<T> => {
    const res = await fetch(`${url}${path}`, init);
    expect(res.status, `${path}: ${await res.clone().text()}`).toBe(200);
    return (await res.json()) as T;
  };

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'l1t-web-ue-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    const cli = (args: string[]) => {
      const r = spawnSync(process.execPath, [CLI_BIN, ...args], { cwd: REPO_ROOT, encoding: 'utf8', timeout: 120_000 });
      expect(r.status, r.stderr).toBe(0);
    };
    cli(['synth', 'ue', '--out', join(work, 'phone.qmdl'), '--labels', join(work, 'ue.jsonl'), '--faults', 'example']);
    ueLabels = readFileSync(join(work, 'ue.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string });
    cli([
      'synth',
      'fronthaul',
      '--out',
      join(work, 'du.pcapng'),
      '--labels',
      join(work, 'fh.jsonl'),
      '--faults',
      'seq_gap@0.3:count=3',
      '--nrb',
      '24',
      '--eaxc',
      'dl=0 ul=0',
      '--duration',
      '0.5',
    ]);
    ({ url, server } = await serveApp(join(work, 'data')));
    ({ browser, page } = await openPage(chromiumPath!, { viewport: { width: 1440, height: 900 } }));
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await stopProcess(server);
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('uploads a real .mi2log, a synthetic .qmdl and a capture as one session', async () => {
    await page.goto(url);
    await page.getByText('No analysis sessions yet').waitFor({ timeout: 15_000 });
    await page.getByLabel('Session name').fill('drive test');
    await page
      .getByTestId('file-input')
      .setInputFiles([
        join(samples.path, 'mobileinsight-core', REAL_LOG),
        join(work, 'phone.qmdl'),
        join(work, 'du.pcapng'),
      ]);
    await expect.poll(() => page.locator('.uploads li[data-phase="done"]').count(), { timeout: 180_000 }).toBe(3);
    const listed = await api<{ items: { id: string; name: string; status: string }[] }>('/api/files?limit=10');
    for (const f of listed.items) files.set(f.name, f.id);
    expect([...files.keys()].sort()).toEqual(['bler_sample.mi2log', 'du.pcapng', 'phone.qmdl']);
    expect(listed.items.every((f) => f.status === 'done')).toBe(true);
    await shot('1-session');
  }, 240_000);

  it("shows the synthetic log's decoded records, KPI charts and every injected UE finding with its cell", async () => {
    await page.goto(`${url}/files/${files.get('phone.qmdl')}`);
    const view = page.getByTestId('ue-file-view');
    await view.waitFor({ timeout: 15_000 });
    const codes = page.getByRole('table', { name: 'Log codes by version' });
    await codes.waitFor({ timeout: 15_000 });
    expect(await codes.textContent()).toContain('0xB193');
    const charts = page.getByRole('region', { name: 'UE KPIs' }).getByRole('img');
    await expect.poll(() => charts.count(), { timeout: 15_000 }).toBeGreaterThanOrEqual(5);
    expect(await page.getByRole('region', { name: 'UE KPIs' }).textContent()).toContain(
      'DL BLER over initial transmissions (%)',
    );
    const findings = page.getByRole('table', { name: 'UE findings' });
    await findings.waitFor({ timeout: 15_000 });
    const text = (await findings.textContent()) ?? '';
    for (const type of new Set(ueLabels.map((l) => l.type))) expect(text).toContain(type);
    expect(text).toContain('pci 73');
    // Axis values such as "-120.5" dBm fit their axes (read from the canvas pixels).
    expect(await chartsCutAtTheirEdges(page.getByRole('region', { name: 'UE KPIs' }))).toEqual([]);
    await shot('2-synthetic-qmdl');
  }, 60_000);

  it('detail of a UE level finding: its KPI chart in dBm with every axis value inside the chart', async () => {
    const all = await api<{ items: Row[] }>(`/api/anomalies?file_id=${files.get('phone.qmdl')}&limit=1000`);
    const level = all.items.find((a) => a.type === 'rsrp_drop' || a.type === 'rsrp_low')!;
    expect(level).toBeTruthy();
    await page.goto(`${url}/anomalies/${level.id}`);
    const chart = page.getByRole('img', { name: /^KPI .* in dBm around the anomaly/ });
    await chart.waitFor({ timeout: 15_000 });
    expect(await chartsCutAtTheirEdges(page.locator('body'))).toEqual([]);
    await shot('2b-detail-ue-rsrp');
  }, 60_000);

  it("shows the real log's per-code counts, nothing hidden: decoded + not decoded per (code, version)", async () => {
    await page.goto(`${url}/files/${files.get(REAL_LOG)}`);
    const codes = page.getByRole('table', { name: 'Log codes by version' });
    await codes.waitFor({ timeout: 15_000 });
    const summary = await api<{
      summary: { records: number; log_codes: { decoded: number; not_decoded: number; malformed: number }[] };
    }>(`/api/files/${files.get(REAL_LOG)}/summary`);
    const rows = summary.summary.log_codes;
    expect(await codes.getByRole('row').count()).toBe(rows.length + 1);
    expect(rows.reduce((n, r) => n + r.decoded, 0)).toBeGreaterThan(0);
    expect(await page.getByTestId('ue-decode-status').textContent()).toMatch(/\d/);
    await expect
      .poll(() => page.getByRole('region', { name: 'UE KPIs' }).getByRole('img').count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await shot('3-real-mi2log');
  }, 60_000);

  it('links a fronthaul finding to the UE finding at the same moment once the clock offset is set', async () => {
    const all = await api<{ items: Row[] }>('/api/anomalies?limit=1000&sort=timestamp&order=asc');
    const fh = all.items.find((a) => a.source === 'fronthaul' && a.type === 'seq_gap')!;
    const ue = all.items.find(
      (a) => a.source === 'ue' && a.type === 'bler_high' && a.id && a.timestamp.startsWith('2026-01-15'),
    )!;
    expect(fh && ue).toBeTruthy();
    await page.goto(`${url}/anomalies/${fh.id}`);
    const related = page.getByTestId('related-across-sources');
    await related.getByText(/No finding of another source/).waitFor({ timeout: 15_000 });

    // The phone's clock and the capture host's are unrelated here: line them up 3 ms apart.
    const offsetMs = Date.parse(fh.timestamp) - Date.parse(ue.timestamp) + 3;
    const session = (await api<{ items: { id: string }[] }>('/api/sessions')).items[0]!.id;
    await api(`/api/sessions/${session}/clock-offset`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ue_clock_offset_ms: offsetMs }),
    });
    await page.reload();
    const table = page.getByRole('table', { name: 'Findings of other sources' });
    await table.waitFor({ timeout: 15_000 });
    const row = table.getByRole('row').filter({ hasText: 'bler_high' });
    expect(await row.count()).toBeGreaterThanOrEqual(1);
    await shot('4-cross-source');
    await row.first().getByRole('link', { name: 'bler_high' }).click();
    await page.waitForURL(/\/anomalies\//);
    await page
      .getByTestId('related-across-sources')
      .getByRole('link', { name: 'seq_gap' })
      .first()
      .waitFor({ timeout: 15_000 });
  }, 60_000);
});
