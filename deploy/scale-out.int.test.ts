import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestDatabase } from '../test-support/store-postgres.js';
import { startChdbHttpFixture, type ChdbHttpFixture } from '../test-support/store-clickhouse.js';
import { REPO_ROOT, requireBuild } from '../test-support/built.js';
import { REQUIRE_ALL_SUITES } from '../test-support/shared.js';

/**
 * Scale-out as deployed: the app pod receives uploads onto the shared volume (EFS on EKS) and queues one job
 * per file in PostgreSQL; separate `l1t worker` processes (the worker Deployment) claim them. Every file is
 * analysed exactly once, by whichever claimer got it, and the result is visible through the API.
 */
const SERVER_URL = process.env.DATABASE_URL;
if (!SERVER_URL && REQUIRE_ALL_SUITES) throw new Error('DATABASE_URL is not set and L1T_REQUIRE_ALL_SUITES=1');
const built = requireBuild();
const NO_CHDB = join(REPO_ROOT, 'deploy/test-support/no-chdb.cjs');
const FILES = 4;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

describe.runIf(built && SERVER_URL)('scale-out: the app queues, any number of workers claim', () => {
  let db: { url: string; drop(): Promise<void> };
  let ch: ChdbHttpFixture;
  let scratch: string;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];
  const logs = new Map<ChildProcess, string>();
  const start = (args: string[]): ChildProcess => {
    const child = spawn(process.execPath, ['--require', NO_CHDB, ...args], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    logs.set(child, '');
    child.stderr!.on('data', (c: Buffer) => logs.set(child, logs.get(child)! + c.toString('utf8')));
    children.push(child);
    return child;
  };
  const cli = (args: string[], input?: string) =>
    spawnSync(process.execPath, ['--require', NO_CHDB, 'apps/cli/bin/l1t.js', ...args], {
      cwd: REPO_ROOT,
      env,
      encoding: 'utf8',
      input,
      timeout: 120_000,
    });

  beforeAll(async () => {
    db = await createTestDatabase(SERVER_URL!);
    ch = await startChdbHttpFixture();
    scratch = mkdtempSync(join(tmpdir(), 'l1t-scale-'));
    const config = parse(readFileSync(join(REPO_ROOT, 'deploy/kubernetes/base/app-config.yaml'), 'utf8')) as {
      data: Record<string, string>;
    };
    env = {
      PATH: process.env.PATH ?? '',
      ...config.data,
      CLICKHOUSE_URL: ch.url,
      CLICKHOUSE_PASSWORD: '',
      DATABASE_URL: db.url,
      L1T_DATA_DIR: join(scratch, 'data'),
      // The shared volume: the app writes uploads here, the workers read them.
      L1T_UPLOAD_DIR: join(scratch, 'shared-uploads'),
      PORT: String(await freePort()),
      L1T_LOG_LEVEL: 'warn',
    };
    expect(cli(['migrate']).status).toBe(0);
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await ch?.close();
    await db?.drop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it(`${FILES} uploads are analysed once each by the claimers (two worker processes and the app)`, async () => {
    const user = cli(['user', 'add', 'ops', '--role', 'admin', '--token', 'scale-test'], 'a-long-enough-password\n');
    expect(user.status, user.stderr).toBe(0);
    const token = user.stdout.trim();
    const auth = { authorization: `Bearer ${token}` };

    const captures: string[] = [];
    for (let i = 0; i < FILES; i++) {
      const out = join(scratch, `capture-${i}.pcap`);
      const r = cli([
        'synth',
        'fronthaul',
        '--out',
        out,
        '--labels',
        `${out}.jsonl`,
        '--duration',
        '0.02',
        '--seed',
        String(i + 1),
        '--faults',
        'example',
      ]);
      expect(r.status, r.stderr).toBe(0);
      captures.push(out);
    }

    const workers = [
      start(['apps/cli/bin/l1t.js', 'worker', '--poll', '0.2']),
      start(['apps/cli/bin/l1t.js', 'worker', '--poll', '0.2']),
    ];
    const server = start(['apps/server/dist/main.js']);
    const base = `http://127.0.0.1:${env.PORT}`;
    for (const deadline = Date.now() + 60_000; ;) {
      if (
        await fetch(`${base}/readyz`).then(
          (r) => r.ok,
          () => false,
        )
      )
        break;
      if (server.exitCode !== null || Date.now() > deadline) throw new Error(`server not ready: ${logs.get(server)}`);
      await new Promise((r) => setTimeout(r, 200));
    }

    // Several engineers uploading at once: more jobs queued than the app pod runs itself.
    const ids = await Promise.all(
      captures.map(async (path) => {
        const form = new FormData();
        form.append('file', new Blob([readFileSync(path)]), path.split('/').pop()!);
        const res = await fetch(`${base}/api/files`, { method: 'POST', headers: auth, body: form });
        expect(res.status).toBe(202);
        return ((await res.json()) as { id: string }).id;
      }),
    );

    type FileRecord = { id: string; status: string; anomaly_count: number };
    let files: FileRecord[] = [];
    for (const deadline = Date.now() + 120_000; ;) {
      files = await Promise.all(
        ids.map(async (id) => (await (await fetch(`${base}/api/files/${id}`, { headers: auth })).json()) as FileRecord),
      );
      if (files.every((f) => f.status === 'done' || f.status === 'failed')) break;
      if (Date.now() > deadline) throw new Error(`not analysed in time: ${JSON.stringify(files)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(files.map((f) => f.status)).toEqual(Array(FILES).fill('done'));
    for (const f of files) expect(f.anomaly_count).toBeGreaterThan(0);

    // Exactly one successful attempt per job; the claimers that ran them are our processes.
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    try {
      // The file shows `done` a moment before its job row is closed: wait for the rows too.
      type JobRow = { status: string; attempts: number; locked_by: string | null };
      let rows: JobRow[] = [];
      for (const deadline = Date.now() + 15_000; ;) {
        rows = (await client.query<JobRow>('SELECT status, attempts, locked_by FROM analysis_jobs')).rows;
        if (rows.every((r) => r.status !== 'queued' && r.status !== 'running') || Date.now() > deadline) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(rows).toHaveLength(FILES);
      for (const r of rows) expect(r).toMatchObject({ status: 'done', attempts: 1 });
    } finally {
      await client.end();
    }
    const workerDone = workers.map((w) => (logs.get(w)!.match(/: file \S+ done/g) ?? []).length);
    // The app pod runs one job at a time itself; with several files queued at once the workers take the rest.
    const byWorkers = workerDone.reduce((a, b) => a + b, 0);
    expect(byWorkers).toBeGreaterThanOrEqual(1);
    expect(byWorkers).toBeLessThanOrEqual(FILES);
    console.log(`jobs done by the worker processes: ${workerDone.join(' + ')}, by the app: ${FILES - byWorkers}`);

    // Kubernetes stops workers with SIGTERM: they finish and exit 0.
    const exits = workers.map((w) => new Promise<number | null>((resolve) => w.once('exit', (code) => resolve(code))));
    for (const w of workers) w.kill('SIGTERM');
    expect(await Promise.all(exits)).toEqual([0, 0]);
  });
});
