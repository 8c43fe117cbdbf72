import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildPcap } from '../../../packages/capture/src/test-support/pcap-builder.js';
import { runCli } from './program.js';
import { l1t } from './test-support/run-cli.js';

/*
 * What a RAN engineer met on the command line (issue 16): `decode | head` died with an EPIPE stack trace,
 * unknown `--fields` were silently dropped, a failed file's reason was printed twice and the table cut file
 * and type names.
 */
const pcap = (n: number): Uint8Array =>
  buildPcap({
    packets: Array.from({ length: n }, (_, i) => ({
      tsSec: 1_790_000_000 + i,
      tsFrac: 0,
      data: new Uint8Array(64).fill(i),
    })),
  });

const BIN = new URL('../bin/l1t.js', import.meta.url).pathname;
const BUILT = existsSync(new URL('../dist/main.js', import.meta.url).pathname);

describe('l1t command-line defects', () => {
  let work: string;
  let env: Record<string, string>;
  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'l1t-cli-defects-'));
    env = { L1T_DATA_DIR: join(work, 'data') };
    writeFileSync(join(work, 'many.pcap'), pcap(20_000));
    writeFileSync(
      join(work, 'random.bin'),
      new Uint8Array(2048).map((_, i) => (i * 7919 + 131) % 256),
    );
    mkdirSync(join(work, 'long'));
    writeFileSync(join(work, 'long', 'a-capture-name-longer-than-forty-characters-du1-ru3.pcap'), pcap(2));
  });

  it('stops quietly with status 0 when the reader of stdout goes away (decode | head)', async () => {
    let writes = 0;
    // A pipe whose reader left after the first chunk: every later write fails with EPIPE, as a real pipe does.
    const stdout = new Writable({
      write(_chunk, _enc, cb) {
        writes++;
        if (writes === 1) cb();
        else cb(Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
      },
      highWaterMark: 1,
    });
    const errs: string[] = [];
    const stderr = new Writable({ write: (c, _e, cb) => (errs.push(String(c)), cb()) });
    const status = await runCli(['decode', join(work, 'many.pcap')], { stdout, stderr, stdin: process.stdin, env });
    expect(status).toBe(0);
    expect(errs.join('')).toBe('');
    expect(writes).toBeLessThan(5); // it stopped instead of decoding the rest into a closed pipe
  });

  it.runIf(BUILT)('the built command piped into head exits 0 without a stack trace', () => {
    const head = spawnSync(
      'bash',
      ['-c', `node ${BIN} decode ${join(work, 'many.pcap')} | head -n 1; echo \${PIPESTATUS[0]}`],
      {
        encoding: 'utf8',
      },
    );
    const [first, status] = head.stdout.trim().split('\n');
    expect(first).toContain('"frame.number":1');
    expect(head.stderr).not.toContain('EPIPE');
    expect(status).toBe('0');
  });

  it('refuses unknown --fields as tshark does (usage error naming them)', async () => {
    const r = await l1t(['decode', join(work, 'many.pcap'), '--fields', 'frame.number,bogus.field,ecpri.nope'], env);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('bogus.field, ecpri.nope');
    expect(r.stdout).toBe('');
    const ok = await l1t(['decode', join(work, 'many.pcap'), '--fields', 'frame.number,frame.len'], env);
    expect(ok.status).toBe(0);
    expect(JSON.parse(ok.stdout.split('\n')[0]!)).toEqual({ 'frame.number': 1, 'frame.len': 64 });
  });

  it('prints the reason a file could not be read once', async () => {
    const r = await l1t(['analyze', join(work, 'random.bin'), '--no-store', '--format', 'jsonl'], env);
    expect(r.status).toBe(3);
    expect(r.stderr.match(/unrecognised format/g)).toHaveLength(1);
    expect(r.stderr).toMatch(/random\.bin: failed \(reported above\)/);
  });

  it('the table keeps long file names whole', async () => {
    const r = await l1t(['analyze', join(work, 'long'), '--no-store', '--format', 'table'], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/a-capture-name-longer-than-forty-characters-du1-ru3\.pcap\s+pcap\s+done\s+2/);
    expect(r.stdout).not.toContain('…');
  });
});
