import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPcap } from '../../../packages/capture/src/test-support/pcap-builder.js';
import { runCli } from './program.js';
import type { CliIo } from './io.js';

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

function capture(env: Record<string, string>, stdin?: Uint8Array, signal?: AbortSignal): { io: CliIo; out: () => Run['stdout']; err: () => string } {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  stdout.on('data', (c: Buffer) => o.push(c));
  stderr.on('data', (c: Buffer) => e.push(c));
  const input = new PassThrough();
  input.end(stdin ?? new Uint8Array(0));
  return {
    io: { stdout, stderr, stdin: input, env: { L1T_LOG_LEVEL: 'silent', ...env }, ...(signal ? { signal } : {}) },
    out: () => Buffer.concat(o).toString('utf8'),
    err: () => Buffer.concat(e).toString('utf8'),
  };
}

async function l1t(args: string[], env: Record<string, string>, stdin?: Uint8Array): Promise<Run> {
  const c = capture(env, stdin);
  const status = await runCli(args, c.io);
  return { status, stdout: c.out(), stderr: c.err() };
}

const pcap = (n: number): Uint8Array =>
  buildPcap({
    packets: Array.from({ length: n }, (_, i) => ({ tsSec: 1_790_000_000 + i, tsFrac: 0, data: new Uint8Array(64).fill(i) })),
  });

describe('l1t analyze', () => {
  let work: string;
  let env: Record<string, string>;

  beforeAll(() => {
    work = mkdtempSync(join(tmpdir(), 'l1t-cli-'));
    env = { L1T_DATA_DIR: join(work, 'data') };
    mkdirSync(join(work, 'in/sub'), { recursive: true });
    writeFileSync(join(work, 'in/a.pcap'), pcap(3));
    writeFileSync(join(work, 'in/sub/b.capture'), pcap(5)); // the extension says nothing: content decides
    writeFileSync(join(work, 'in/sub/events.txt'), 'ue attach ok\nue detach\n');
    writeFileSync(join(work, 'random.bin'), new Uint8Array(2048).map((_, i) => (i * 7919 + 131) % 256));
  });

  afterAll(() => undefined);

  it('walks folders recursively, recognises formats by content and prints a table', async () => {
    const r = await l1t(['analyze', join(work, 'in'), '--no-store', '--format', 'table'], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/a\.pcap\s+pcap\s+done\s+3/);
    expect(r.stdout).toMatch(/b\.capture\s+pcap\s+done\s+5/);
    expect(r.stdout).toMatch(/events\.txt\s+text\s+done\s+2/);
    expect(r.stdout).toContain('not stored (--no-store)');
  });

  it('prints one JSON document with files, anomalies and summary', async () => {
    const r = await l1t(['analyze', join(work, 'in/a.pcap'), '--no-store', '--format', 'json'], env);
    const doc = JSON.parse(r.stdout);
    expect(doc.files[0]).toMatchObject({ format: 'pcap', status: 'done', summary: { records: 3 } });
    expect(doc.anomalies).toEqual([]);
    expect(doc.summary).toMatchObject({ files: 1, files_failed: 0, stored: false });
  });

  it('prints nothing but JSON lines on stdout with --format jsonl, progress on stderr', async () => {
    const r = await l1t(['analyze', join(work, 'in'), '--no-store', '--format', 'jsonl'], env);
    expect(r.status).toBe(0);
    for (const line of r.stdout.split('\n').filter(Boolean)) expect(() => JSON.parse(line)).not.toThrow();
    expect(r.stderr).toContain('[3/3]');
  });

  it('exits 3 with one located line for a missing path and for random bytes, still analysing the rest', async () => {
    const missing = await l1t(['analyze', '/no/such/path', '--no-store', '--format', 'jsonl'], env);
    expect(missing.status).toBe(3);
    expect(missing.stderr.trim()).toBe('l1t: /no/such/path: offset 0: no such file or directory');
    const random = await l1t(['analyze', join(work, 'random.bin'), join(work, 'in/a.pcap'), '--no-store', '--format', 'json'], env);
    expect(random.status).toBe(3);
    expect(random.stderr).toMatch(/^l1t: .*random\.bin: offset 0: unrecognised format/m);
    expect(JSON.parse(random.stdout).files.map((f: { status: string }) => f.status)).toEqual(['failed', 'done']);
  });

  it('exits 2 for usage errors, naming what is wrong', async () => {
    expect((await l1t(['analyze', join(work, 'in'), '--bogus'], env)).status).toBe(2);
    const fmt = await l1t(['analyze', join(work, 'in'), '--format', 'xml'], env);
    expect(fmt).toMatchObject({ status: 2 });
    expect(fmt.stderr).toContain('--format');
    writeFileSync(join(work, 'profile.json'), JSON.stringify({ nrb: 273, timing: { mod: 'absolute' } }));
    const prof = await l1t(['analyze', join(work, 'in'), '--profile', join(work, 'profile.json'), '--no-store'], env);
    expect(prof.status).toBe(2);
    expect(prof.stderr).toContain("'timing.mod'");
    const cfg = await l1t(['analyze', join(work, 'in'), '--no-store'], { ...env, PORT: 'x' });
    expect(cfg.status).toBe(2);
    expect(cfg.stderr).toContain('PORT');
  });

  it('reads one capture from standard input', async () => {
    const r = await l1t(['analyze', '-', '--no-store', '--format', 'json'], env, pcap(4));
    expect(JSON.parse(r.stdout).files[0]).toMatchObject({ name: '-', format: 'pcap', summary: { records: 4 } });
  });

  it('records sessions and files in the embedded stores, and analysing twice duplicates nothing', async () => {
    const first = await l1t(['analyze', join(work, 'in'), '--session', 'first', '--format', 'json'], env);
    expect(first.status).toBe(0);
    const second = await l1t(['analyze', join(work, 'in'), '--session', 'second', '--format', 'json'], env);
    expect(second.status).toBe(0);
    const { openStores } = await import('@l1t/store');
    const { loadConfig } = await import('@l1t/contracts');
    const stores = await openStores(loadConfig(env));
    try {
      const sessions = await stores.anomalies.listSessions(10, 0);
      expect(sessions.map((s) => s.name).sort()).toEqual(['first', 'second']);
      expect(sessions.find((s) => s.name === 'second')).toMatchObject({ status: 'done', files_processed: 3, files_failed: 0 });
      const files = await stores.metadata.listFiles({ limit: 100 });
      expect(files.total).toBe(3); // one row per content, now attached to the latest session
      const second_id = JSON.parse(second.stdout).summary.session_id;
      expect(files.items.every((f) => f.session_id === second_id)).toBe(true);
      expect(files.items.find((f) => f.name.endsWith('a.pcap'))).toMatchObject({ format: 'pcap', packet_count: 3, status: 'done' });
    } finally {
      await stores.close();
    }
  });

  it('runs queued analysis jobs with `l1t worker --once`', async () => {
    const { openStores } = await import('@l1t/store');
    const { loadConfig } = await import('@l1t/contracts');
    const { fileIdFromSha256 } = await import('@l1t/pipeline');
    const { createHash } = await import('node:crypto');
    const bytes = pcap(7);
    const path = join(work, 'queued.pcap');
    writeFileSync(path, bytes);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const id = fileIdFromSha256(sha256);
    let stores = await openStores(loadConfig(env));
    await stores.metadata.upsertFile({ id, sessionId: null, name: 'queued.pcap', path, size: bytes.length, sha256, format: 'pcap', formatDetail: null });
    await stores.metadata.enqueueJob(id, { sessionName: 'queued batch' });
    await stores.close();
    const r = await l1t(['worker', '--once'], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('1 job(s) run');
    stores = await openStores(loadConfig(env));
    try {
      expect(await stores.metadata.getFile(id)).toMatchObject({ status: 'done', packet_count: 7 });
    } finally {
      await stores.close();
    }
    expect((await l1t(['worker', '--concurrency', '0'], env)).status).toBe(2);
  });

  it('watches a folder and picks up each new file once, after it stopped growing', async () => {
    const watched = join(work, 'watched');
    mkdirSync(watched);
    const stop = new AbortController();
    const c = capture({ ...env }, undefined, stop.signal);
    const running = runCli(['analyze', watched, '--watch', '--interval', '0.1', '--no-store', '--format', 'jsonl'], c.io);
    await new Promise((r) => setTimeout(r, 300));
    writeFileSync(join(watched, 'late.pcap'), pcap(2));
    const deadline = Date.now() + 10_000;
    while (!c.err().includes('late.pcap') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 400));
    stop.abort();
    expect(await running).toBe(0);
    expect(c.err().match(/late\.pcap: pcap, 2 records/g)).toHaveLength(1);
  });
});
