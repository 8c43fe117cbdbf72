import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { l1t } from '../test-support/run-cli.js';

describe('l1t analyze --list-thresholds', () => {
  it('prints type, option, default, unit and description without any path, exit 0', async () => {
    const r = await l1t(['analyze', '--list-thresholds']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TYPE\s+OPTION\s+DEFAULT\s+UNIT\s+DESCRIPTION$/);
    expect(lines.some((l) => /^seq_reorder\s+horizon\s+128\s+ids\s+\S/.test(l))).toBe(true);
    expect(lines.some((l) => /^seq_gap\s+min_missing\s+1\s+ids\s+/.test(l))).toBe(true);
  });

  it('prints JSON rows with --format json', async () => {
    const r = await l1t(['analyze', '--list-thresholds', '--format', 'json']);
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as { type: string; option: string; default: unknown }[];
    expect(rows).toContainEqual(
      expect.objectContaining({ type: 'seq_reorder', option: 'horizon', default: 128, unit: 'ids' }),
    );
  });

  it('analyze without paths (and without --list-thresholds) is a usage error', async () => {
    const r = await l1t(['analyze', '--no-store']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/paths/);
  });
});

describe('profile thresholds', () => {
  const dir = mkdtempSync(join(tmpdir(), 'l1t-thresholds-'));
  const profile = (doc: unknown): string => {
    const p = join(dir, `p${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(p, JSON.stringify(doc));
    return p;
  };
  const pcap = join(dir, 'x.pcap');
  writeFileSync(pcap, new Uint8Array(0));

  it('an unknown option is a usage error (exit 2) naming the key and the known options', async () => {
    const r = await l1t([
      'analyze',
      pcap,
      '--no-store',
      '--profile',
      profile({ thresholds: { seq_gap: { min_mising: 2 } } }),
    ]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('thresholds.seq_gap.min_mising: unknown option (known: min_missing)');
  });

  it('an unknown anomaly type is a usage error naming it', async () => {
    const r = await l1t(['analyze', pcap, '--no-store', '--profile', profile({ thresholds: { seq_gapp: {} } })]);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('thresholds.seq_gapp: unknown anomaly type');
  });

  it('a value of the wrong kind or out of bounds is a usage error', async () => {
    const bad = await l1t([
      'analyze',
      pcap,
      '--no-store',
      '--profile',
      profile({ thresholds: { seq_reorder: { horizon: 'x' } } }),
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('thresholds.seq_reorder.horizon: expected a number');
    const big = await l1t([
      'analyze',
      pcap,
      '--no-store',
      '--profile',
      profile({ thresholds: { seq_reorder: { horizon: 300 } } }),
    ]);
    expect(big.status).toBe(2);
    expect(big.stderr).toContain('thresholds.seq_reorder.horizon: must be at most 128');
  });
});
