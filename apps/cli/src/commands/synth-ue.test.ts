import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { l1t } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'l1t-synth-ue-cli-'));

describe('l1t synth ue', () => {
  it('writes a .qmdl log and its labels; l1t analyze finds exactly the injected faults', async () => {
    const out = join(dir, 'ue.qmdl');
    const labels = join(dir, 'ue.jsonl');
    const r = await l1t([
      'synth',
      'ue',
      '--out',
      out,
      '--labels',
      labels,
      '--duration',
      '6',
      '--faults',
      'rach_failure@2;bler_high@3.3',
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/DIAG log records \(qmdl\)/);
    const truth = readFileSync(labels, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; packet_index: number });
    expect(truth.map((l) => l.type)).toEqual(['rach_failure', 'bler_high']);
    const a = await l1t(['analyze', out, '--no-store', '--format', 'jsonl']);
    expect(a.status).toBe(0);
    const found = a.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; packet_index: number; end_timestamp?: string })
      .filter((x) => x.type !== undefined);
    expect(found.map((x) => x.type).sort()).toEqual(['bler_high', 'rach_failure']);
    expect(found.find((x) => x.type === 'rach_failure')!.packet_index).toBe(truth[0]!.packet_index);
  });

  it('writes .dlf records when the name says so; an unknown fault type is a usage error', async () => {
    const r = await l1t([
      'synth',
      'ue',
      '--out',
      join(dir, 'ue.dlf'),
      '--labels',
      join(dir, 'd.jsonl'),
      '--duration',
      '1',
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/\(dlf\)/);
    const bad = await l1t([
      'synth',
      'ue',
      '--out',
      join(dir, 'x.qmdl'),
      '--labels',
      join(dir, 'x.jsonl'),
      '--faults',
      'beam_drift@1',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown UE fault type "beam_drift"/);
  });

  it('writes a UE event text log when the name ends in .txt; analyze finds the injected faults', async () => {
    const out = join(dir, 'events.txt');
    const labels = join(dir, 'events.jsonl');
    const r = await l1t([
      'synth',
      'ue',
      '--out',
      out,
      '--labels',
      labels,
      '--faults',
      'attach_failure@200;abnormal_detach@300',
    ]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/UE event log, \d+ lines of 40 UEs; 2 fault labels/);
    const a = await l1t(['analyze', out, '--no-store', '--format', 'jsonl']);
    const found = a.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type?: string; packet_index: number })
      .filter((x) => x.type !== undefined);
    const truth = readFileSync(labels, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; packet_index: number });
    expect(found.map((x) => [x.type, x.packet_index])).toEqual(truth.map((x) => [x.type, x.packet_index]));
  });
});
