import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '@l1t/contracts';
import { analyzeFile, fileInput, SessionRecorder } from '@l1t/pipeline';
import { openStores } from '@l1t/store';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { CHROMIUM_ARGS, REPO_ROOT, requireChromium } from '../../../../test-support/built.js';
import { createApp } from '../app.js';
import { createLogger } from '../logger.js';

/*
 * The report export (issue 16): per file and per session, self-contained HTML that opens offline (nothing
 * loaded from anywhere) and prints to PDF in Chromium with its sections on the pages.
 */
const samples = requireSharedDir('samples');
const chromiumPath = requireChromium();
const ARTIFACTS = join(REPO_ROOT, 'artifacts');
const FILES = ['s-plane_security/prod_successful_announce_attack_ptp.pcap', 'dos-attacker/up_dl_short_1mb.pcap'];

describe.runIf(samples.available)('HTML reports', () => {
  let dir: string;
  let stores: Awaited<ReturnType<typeof openStores>>;
  let app: ReturnType<typeof createApp>;
  let sessionId: string;
  const fileIds: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'l1t-report-'));
    mkdirSync(ARTIFACTS, { recursive: true });
    const config = loadConfig({ L1T_DATA_DIR: dir, L1T_LOG_LEVEL: 'silent' });
    stores = await openStores(config);
    await stores.metadata.migrate();
    await stores.anomalies.migrate();
    app = createApp({ config, stores, logger: createLogger('silent') });
    const recorder = new SessionRecorder(stores, 'night of the announce attack');
    await recorder.start();
    for (const f of FILES) {
      const result = await analyzeFile(fileInput(join(samples.path, f)), {
        sessionId: recorder.id,
        sink: recorder.sink(),
      });
      await recorder.record(result);
      fileIds.push(result.fileId);
    }
    await recorder.finish();
    sessionId = recorder.id;
  }, 180_000);
  afterAll(async () => {
    await stores?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Nothing is fetched when the report opens: no script, stylesheet, image or frame from a URL. */
  const selfContained = (html: string) => {
    expect(html).not.toMatch(/<script|<link|<img|<iframe|@import|url\(/i);
    expect(html.replaceAll('xmlns="http://www.w3.org/2000/svg"', '')).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
  };

  it('a file report: summary, flows, incidents, findings with evidence, SVG charts; self-contained', async () => {
    const r = await request(app).get(`/api/files/${fileIds[0]}/report`);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.headers['content-disposition']).toMatch(/^attachment; filename="report-.*\.html"$/);
    const html = r.text;
    selfContained(html);
    for (const h of ['<h2>Summary</h2>', '<h2>Flows</h2>', '<h2>Incidents</h2>', '<h2>Findings</h2>'])
      expect(html).toContain(h);
    expect(html).toContain('Grandmaster flapping on PTP domain 24');
    expect(html.match(/<svg /g)?.length).toBeGreaterThanOrEqual(3);
    expect(html).toContain('aria-label="Evidence"');
    const findings = (await request(app).get(`/api/anomalies?file_id=${fileIds[0]}&limit=1`)).body.total as number;
    expect(html.match(/class="finding"/g)).toHaveLength(findings);
    expect((await request(app).get('/api/files/00000000-0000-4000-8000-000000000000/report')).status).toBe(404);
  });

  it.runIf(Boolean(chromiumPath))(
    'opens offline and prints to PDF in Chromium, a file and a session',
    async () => {
      const browser = await chromium.launch({ executablePath: chromiumPath!, args: CHROMIUM_ARGS });
      try {
        for (const [name, path, headings] of [
          ['file', `/api/files/${fileIds[0]}/report`, ['Summary', 'Flows', 'Incidents', 'Findings']],
          ['session', `/api/sessions/${sessionId}/report`, ['Summary', 'Flows', 'Incidents', 'Findings']],
        ] as const) {
          const html = (await request(app).get(path)).text;
          const file = join(ARTIFACTS, `report-${name}.html`);
          writeFileSync(file, html);
          const context = await browser.newContext({ offline: true });
          const page = await context.newPage();
          const requests: string[] = [];
          page.on('request', (q) => requests.push(q.url()));
          await page.goto(`file://${file}`);
          expect(requests.filter((u) => !u.startsWith('file://'))).toEqual([]);
          await page.emulateMedia({ media: 'print' });
          const shown = await page.locator('h2, h3').allTextContents();
          for (const h of headings)
            expect(
              shown.some((s) => s.startsWith(h)),
              `${name}: ${h}`,
            ).toBe(true);
          const pdf = await page.pdf({ format: 'A4', printBackground: true });
          writeFileSync(join(ARTIFACTS, `report-${name}.pdf`), pdf);
          expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
          const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
          expect(pages, `${name} pages`).toBeGreaterThanOrEqual(2);
          // With poppler's pdftotext (Debian poppler-utils), the headings are read back from the PDF's pages.
          if (existsSync('/usr/bin/pdftotext')) {
            const text = execFileSync('/usr/bin/pdftotext', [join(ARTIFACTS, `report-${name}.pdf`), '-'], {
              encoding: 'utf8',
            });
            for (const h of headings) expect(text.split('\n'), `${name} PDF: ${h}`).toContain(h);
          }
          await context.close();
        }
      } finally {
        await browser.close();
      }
    },
    120_000,
  );
});
