import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { readCaptureRecords } from '../../../../packages/capture/src/index.js';
import { concatBytes, parseFaultSpec, synthFronthaul } from '../../../../packages/capture/src/synth/index.js';
import type { Anomaly } from '@l1t/contracts';
import { runCli } from '../program.js';
import { l1t } from '../test-support/run-cli.js';

/*
 * `l1t export pcap`: analyse a synthetic capture into the embedded stores, export the packets around a
 * stored anomaly, and check with Debian's tshark that the pcapng reads and holds the right frames. With
 * L1T_REQUIRE_ALL_SUITES=1 a missing tshark fails instead of skipping.
 */
const TSHARK = process.env.TSHARK ?? '/usr/bin/tshark';
const REQUIRE_ALL = process.env.L1T_REQUIRE_ALL_SUITES === '1';
const HAS_TSHARK = existsSync(TSHARK);

function epoch(ns: bigint): string {
  return `${ns / 1_000_000_000n}.${(ns % 1_000_000_000n).toString().padStart(9, '0')}`;
}

describe('l1t export pcap', () => {
  let work: string;
  let env: Record<string, string>;
  let capture: string;
  let anomalies: Anomaly[];

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'l1t-export-pcap-'));
    env = { L1T_DATA_DIR: join(work, 'data') };
    const synth = synthFronthaul(
      { durationS: 0.3, scsKhz: 15, nrb: 12, eaxc: { dl: [0, 1], ul: [0] } },
      parseFaultSpec('seq_gap@0.1:eaxc=1,count=2;seq_reorder@0.2:eaxc=0'),
      5,
    );
    capture = join(work, 'du.pcap');
    writeFileSync(capture, concatBytes([...synth]));
    const r = await l1t(['analyze', capture, '--format', 'jsonl', '--workers', '1'], env);
    expect(r.status, r.stderr).toBe(0);
    anomalies = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Anomaly);
  });

  it.runIf(REQUIRE_ALL)('has tshark when L1T_REQUIRE_ALL_SUITES=1', () => {
    expect(HAS_TSHARK, `tshark not found at ${TSHARK}`).toBe(true);
  });

  it('writes the anomaly frames ± margin as pcapng with a section comment naming the anomaly', async () => {
    const gap = anomalies.find((a) => a.type === 'seq_gap')!;
    expect(gap).toBeDefined();
    const out = join(work, 'gap.pcapng');
    const r = await l1t(['export', 'pcap', '--anomaly', gap.id, '--out', out, '--margin', '3'], env);
    expect(r.status, r.stderr).toBe(0);
    // An absence covers the last packet before the gap through the first after it.
    const first = (gap.evidence.last_packet_index as number) - 3;
    const last = gap.packet_index + 3;
    const original = [...readCaptureRecords(new Uint8Array(readFileSync(capture)), 'pcap', { copyData: true })].filter(
      (x) => x.kind === 'packet' && x.index >= first && x.index <= last,
    );
    const exported = [...readCaptureRecords(new Uint8Array(readFileSync(out)), 'pcapng', { copyData: true })];
    const section = exported.find((x) => x.kind === 'section');
    expect(section?.kind === 'section' && section.comment).toContain(`l1t anomaly ${gap.id}`);
    const packets = exported.filter((x) => x.kind === 'packet');
    expect(packets).toHaveLength(last - first + 1);
    packets.forEach((p, i) => {
      const o = original[i]!;
      if (p.kind !== 'packet' || o.kind !== 'packet') throw new Error('not a packet');
      expect(p.tsNs).toBe(o.tsNs);
      expect(Buffer.from(p.data).equals(Buffer.from(o.data))).toBe(true);
      expect(p.comment).toContain(`original frame ${o.index}`);
    });

    if (!HAS_TSHARK) return;
    const lines = execFileSync(
      TSHARK,
      ['-r', out, '-T', 'fields', '-e', 'frame.number', '-e', 'frame.time_epoch', '-e', 'frame.len'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
      .trim()
      .split('\n')
      .map((l) => l.split('\t'));
    expect(lines).toHaveLength(original.length);
    lines.forEach(([n, t, len], i) => {
      const o = original[i]!;
      if (o.kind !== 'packet') throw new Error('not a packet');
      expect(Number(n)).toBe(i + 1);
      expect(t).toBe(epoch(o.tsNs));
      expect(Number(len)).toBe(o.origLen);
    });
    const comments = execFileSync(TSHARK, ['-r', out, '-T', 'fields', '-e', 'frame.comment'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    expect(comments).toContain(`original frame ${gap.packet_index} <- seq_gap`);
    if (!existsSync('/usr/bin/capinfos')) return;
    const info = execFileSync('/usr/bin/capinfos', [out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    expect(info).toContain(gap.id);
  });

  it('writes the pcapng to standard output without --out or with --out - (for a pipe)', async () => {
    const gap = anomalies.find((a) => a.type === 'seq_gap')!;
    const toFile = join(work, 'gap-file.pcapng');
    expect((await l1t(['export', 'pcap', '--anomaly', gap.id, '--out', toFile], env)).status).toBe(0);
    for (const args of [[], ['--out', '-']]) {
      const stdout = new PassThrough();
      const chunks: Buffer[] = [];
      stdout.on('data', (c: Buffer) => chunks.push(c));
      const stderr = new PassThrough();
      stderr.resume();
      const stdin = new PassThrough();
      stdin.end();
      const io = { stdout, stderr, stdin, env: { L1T_LOG_LEVEL: 'silent', ...env } };
      expect(await runCli(['export', 'pcap', '--anomaly', gap.id, ...args], io)).toBe(0);
      expect(Buffer.concat(chunks).equals(readFileSync(toFile))).toBe(true);
    }
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    const err = new PassThrough();
    const said: Buffer[] = [];
    err.on('data', (c: Buffer) => said.push(c));
    const io = { stdout: tty, stderr: err, stdin: new PassThrough(), env: { L1T_LOG_LEVEL: 'silent', ...env } };
    expect(await runCli(['export', 'pcap', '--anomaly', gap.id], io)).toBe(2);
    expect(Buffer.concat(said).toString()).toContain('standard output is a terminal');
  });

  it('an unknown anomaly id is a usage error; --anomaly is required', async () => {
    const missing = await l1t(
      ['export', 'pcap', '--anomaly', '00000000-0000-4000-8000-000000000000', '--out', join(work, 'x.pcapng')],
      env,
    );
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain('no stored anomaly');
    expect((await l1t(['export', 'pcap', '--out', join(work, 'x.pcapng')], env)).status).toBe(2);
    expect((await l1t(['export', 'pcap'], env)).status).toBe(2);
  });

  it('a capture that changed since analysis is an input error (exit 3)', async () => {
    const reorder = anomalies.find((a) => a.type === 'seq_reorder')!;
    writeFileSync(capture, new Uint8Array(100));
    const r = await l1t(['export', 'pcap', '--anomaly', reorder.id, '--out', join(work, 'r.pcapng')], env);
    expect(r.status).toBe(3);
    expect(r.stderr).toContain('changed since it was analysed');
  });
});
