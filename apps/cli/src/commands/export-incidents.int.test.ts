import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Incident, type Anomaly } from '@l1t/contracts';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { l1t } from '../test-support/run-cli.js';

/** `l1t export incidents`: the incidents of a file analysed into the embedded stores, with the findings' ids. */
const samples = requireSharedDir('samples');

describe.runIf(samples.available)('l1t export incidents', () => {
  it('exports the production Announce attack as at most 3 incidents holding every exported finding', async () => {
    const env = { L1T_DATA_DIR: join(mkdtempSync(join(tmpdir(), 'l1t-export-incidents-')), 'data') };
    const file = join(samples.path, 's-plane_security/prod_successful_announce_attack_ptp.pcap');
    expect((await l1t(['analyze', file, '--format', 'jsonl', '--workers', '1'], env)).status).toBe(0);
    const inc = await l1t(['export', 'incidents'], env);
    expect(inc.status, inc.stderr).toBe(0);
    const incidents = inc.stdout
      .trim()
      .split('\n')
      .map((l) => Incident.parse(JSON.parse(l)));
    expect(incidents.length).toBeGreaterThanOrEqual(1);
    expect(incidents.length).toBeLessThanOrEqual(3);
    const findings = (await l1t(['export', 'anomalies'], env)).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Anomaly);
    expect(incidents.flatMap((i) => i.finding_ids).sort()).toEqual(findings.map((a) => a.id).sort());
    const json = await l1t(['export', 'incidents', '--format', 'json'], env);
    expect(JSON.parse(json.stdout)).toEqual(incidents);
    expect((await l1t(['export', 'incidents', '--format', 'csv'], env)).status).toBe(2);
  }, 120_000);
});
