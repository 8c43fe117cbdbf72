import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  concat,
  diagLogPacket,
  hdlcFrame,
  rawTs,
  scmrBody,
  scmrV4,
  weakCell,
} from '../../../../packages/capture/src/diag/test-support/diag-fixtures.js';
import { requireSharedDir } from '../../../../test-support/shared.js';
import { l1t } from '../test-support/run-cli.js';

const CELL = weakCell(7, 1);
// 2020-01-01T00:00:00Z: GPS seconds = Unix − 315964800 + 18.
const TICKS = (1577836800 - 315964800 + 18) * 800;

describe('l1t decode of DIAG logs', () => {
  it('prints one JSON line per record with diag.log_code, diag.timestamp, diag.version and the decoded fields', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'l1t-diag-'));
    const file = join(dir, 'x.qmdl');
    const stream = concat([
      hdlcFrame(diagLogPacket(0xb193, rawTs(TICKS, 0x8000), [...scmrBody(4, scmrV4(2300, CELL))])), // decoded
      hdlcFrame(diagLogPacket(0xb0ee, rawTs(TICKS + 8), [2, 0])), // no decoder: not decoded
      hdlcFrame(Uint8Array.of(0x73, 0, 0, 0)), // another DIAG command
    ]);
    writeFileSync(file, stream.subarray(0, stream.length - 2)); // the last frame is cut short
    const r = await l1t(['decode', file, '--format', 'jsonl']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/warning: offset \d+: DIAG frame is cut short/);
    const lines = r.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({
      'frame.number': 1,
      'diag.log_code': '0xB193',
      'diag.timestamp': '2020-01-01T00:00:00.000625000Z',
      'diag.version': 4,
      'diag.status': 'decoded',
      earfcn: [2300],
      pci: [314],
      rsrp: [-120.3125],
      rsrp_rx: [[-120.3125, -126.1875]],
      rsrq: [-15],
      snr_rx: [[-0.5, -0.8]],
    });
    expect(lines[1]).toEqual({
      'frame.number': 2,
      'diag.offset': expect.any(Number),
      'diag.log_code': '0xB0EE',
      'diag.timestamp': '2020-01-01T00:00:00.010000000Z',
      'diag.version': 2,
      'diag.status': 'not_decoded',
    });
    const picked = await l1t(['decode', file, '--fields', 'diag.log_code,pci']);
    expect(picked.stdout.split('\n')[0]).toBe('{"diag.log_code":"0xB193","pci":[314]}');
  });

  const samples = requireSharedDir('samples');
  it.runIf(samples.available)('decodes a real MobileInsight log: every frame is a line', async () => {
    const r = await l1t([
      'decode',
      `${samples.path}/MECProj1/diag_log_20160118_000130_867686020539332_Huawei-Nexus6P_ATT.mi2log`,
      '--fields',
      'diag.log_code,diag.status,rsrp',
    ]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(1627);
    expect(lines.filter((l) => l.includes('"0xB193","diag.status":"decoded"'))).toHaveLength(1171);
  });
});
