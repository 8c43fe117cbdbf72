/**
 * `l1t analyze --format json` writes its one document in pieces (output/json-document.ts), not as one string:
 * the text is still exactly JSON.stringify(doc, null, 2) (issue 14: peak RSS of the json output at 4 GB).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { runCli } from '../program.js';

const samples = requireSharedDir('samples');
const work = mkdtempSync(join(tmpdir(), 'l1t-cli-json-'));

describe.runIf(samples.available)('l1t analyze --format json', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints JSON.stringify(doc, null, 2) of PTP and fronthaul captures, written in pieces', async () => {
    const stdout = new PassThrough();
    const stderr = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    stderr.resume();
    const input = new PassThrough();
    input.end();
    const status = await runCli(
      [
        'analyze',
        `${samples.path}/s-plane_security/prod_successful_announce_attack_ptp.pcap`,
        `${samples.path}/s-plane_security/2024-10-08-sync_attack_1.pcap`,
        `${samples.path}/Utilities/fh_ks.pcap`,
        '--no-store',
        '--format',
        'json',
        '--workers',
        '1',
      ],
      { stdout, stderr, stdin: input, env: { L1T_LOG_LEVEL: 'silent', L1T_DATA_DIR: join(work, 'data') } },
    );
    expect(status).toBe(0);
    const text = Buffer.concat(chunks).toString('utf8');
    const doc = JSON.parse(text) as { files: { ptp?: unknown[] }[]; anomalies: { timestamp: string }[] };
    expect(doc.files).toHaveLength(3);
    expect(doc.files.filter((f) => f.ptp !== undefined).length).toBeGreaterThan(0);
    expect(doc.anomalies.length).toBeGreaterThan(20);
    expect(text).toBe(JSON.stringify(doc, null, 2) + '\n');
    // fails when the document is built as one string and written at once
    expect(Math.max(...chunks.map((c) => c.length))).toBeLessThan(text.length / 2);
  });
});
