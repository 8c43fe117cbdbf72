import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { l1t } from '../test-support/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'l1t-synth-ptp-log-cli-'));

interface Row {
  type: string;
  packet_index: number;
  timestamp: string;
  also?: string[];
  evidence?: Record<string, unknown>;
}

const jsonl = (text: string): Row[] =>
  text
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Row);

async function analyse(file: string): Promise<Row[]> {
  const a = await l1t(['analyze', file, '--no-store', '--format', 'jsonl']);
  expect(a.status).toBe(0);
  return jsonl(a.stdout).filter((x) => x.type !== undefined);
}

describe('l1t synth ptp-log', () => {
  it('writes a linuxptp log and its labels; l1t analyze finds exactly the injected faults at their lines', async () => {
    const out = join(dir, 'ptp.log');
    const labels = join(dir, 'ptp.jsonl');
    const r = await l1t(['synth', 'ptp-log', '--out', out, '--labels', labels, '--faults', 'example', '--seed', '4']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/linuxptp log, \d+ lines/);
    expect(readFileSync(out, 'utf8')).toMatch(/^ptp4l\[\d+\.\d{3}\]: selected \/dev\/ptp0 as PTP clock$/m);
    const truth = jsonl(readFileSync(labels, 'utf8'));
    expect(truth.map((l) => l.type)).toEqual([
      'ptp_gm_change',
      'ptp_port_fault',
      'ptp_announce_timeout',
      'ptp_servo_unlocked',
      'ptp_path_delay_jump',
      'ptp_time_error',
      'ptp_port_fault',
    ]);
    const found = await analyse(out);
    // every label: a finding of its type on its line
    for (const l of truth) expect(found.some((a) => a.type === l.type && a.packet_index === l.packet_index)).toBe(true);
    // every finding: at a label's time, of its type or one its label explains (also)
    for (const a of found)
      expect(
        truth.some((l) => l.timestamp === a.timestamp && (l.type === a.type || (l.also ?? []).includes(a.type))),
      ).toBe(true);
    // the tx timestamp timeout is three findings (timeout, send failure, FAULTY), all on the labelled second
    const tx = truth[1]!;
    expect(
      found
        .filter((a) => a.timestamp === tx.timestamp)
        .map((a) => [a.packet_index - tx.packet_index, a.evidence?.fault]),
    ).toEqual([
      [0, 'tx_timestamp_timeout'],
      [2, 'send_failed'],
      [3, 'FAULT_DETECTED'],
    ]);
  });

  it('a clean log (kind alias linuxptp, syslog form) gives no finding; a bad fault is a usage error', async () => {
    const out = join(dir, 'clean.log');
    const r = await l1t([
      'synth',
      'linuxptp',
      '--out',
      out,
      '--labels',
      join(dir, 'c.jsonl'),
      '--duration',
      '300',
      '--shape',
      'syslog',
    ]);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'c.jsonl'), 'utf8')).toBe('');
    expect(readFileSync(out, 'utf8')).toMatch(/^Jan 15 10:00:00 du-01 ptp4l\[\d+\]: \[\d+\.\d{3}\] selected/);
    expect(await analyse(out)).toEqual([]);
    const bad = await l1t([
      'synth',
      'ptp-log',
      '--out',
      join(dir, 'x.log'),
      '--labels',
      join(dir, 'x.jsonl'),
      '--faults',
      'ptp_sync_gap@100',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/unknown linuxptp log fault type "ptp_sync_gap"/);
    const late = await l1t([
      'synth',
      'ptp-log',
      '--out',
      join(dir, 'y.log'),
      '--labels',
      join(dir, 'y.jsonl'),
      '--faults',
      'ptp_time_error@590',
    ]);
    expect(late.status).toBe(2);
    expect(late.stderr).toMatch(/faults go between 40 s and 560 s/);
  });
});
