/**
 * `l1t analyze --format json` gives each file's PTP time-error view (the API's /files/:id/ptp) beside its
 * summary: here a real linuxptp log (LPTP_Analyzer/TC.txt), recognised by content whatever its name.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { l1t } from '../test-support/run-cli.js';

const samples = requireSharedDir('samples');
const work = mkdtempSync(join(tmpdir(), 'l1t-cli-ptp-'));

describe.runIf(samples.available)('l1t analyze --format json on a linuxptp log', () => {
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('prints the servo-offset view with its metrics and verdicts, and no ptp key for files without any', async () => {
    const r = await l1t(
      [
        'analyze',
        `${samples.path}/LPTP_Analyzer/TC.txt`,
        `${samples.path}/LPTP_Analyzer/LICENSE.from-repo`,
        '--no-store',
        '--format',
        'json',
        '--workers',
        '1',
      ],
      { L1T_DATA_DIR: join(work, 'data') },
    );
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    const tc = doc.files.find((f: { name: string }) => f.name.endsWith('TC.txt'));
    expect(tc.summary).toMatchObject({ text_log_kind: 'linuxptp' });
    expect(tc.ptp).toHaveLength(1);
    expect(tc.ptp[0]).toMatchObject({
      port: 'ptp4l master',
      basis: 'servo_offset',
      summary: { exchanges: 1170, max_abs_te_ns: 354 },
    });
    expect(tc.ptp[0].verdicts.find((v: { standard: string }) => v.standard === 'G.8271.1')).toMatchObject({
      pass: true,
      value_ns: 354,
    });
    const license = doc.files.find((f: { name: string }) => f.name.endsWith('LICENSE.from-repo'));
    expect(license.ptp).toBeUndefined();
    expect(license.warning).toMatch(/^text log not recognised: \d+ lines, not analysed$/);
  });
});
