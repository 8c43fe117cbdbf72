import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { createTestDatabase } from '../test-support/store-postgres.js';
import { startChdbHttpFixture, type ChdbHttpFixture } from '../test-support/store-clickhouse.js';
import { REPO_ROOT, requireBuild } from '../test-support/built.js';
import { REQUIRE_ALL_SUITES } from '../test-support/shared.js';

/**
 * The image's CMD (`node apps/server/dist/main.js`, run from /app = the repository root) started with the
 * environment the Kubernetes manifests give it — the ConfigMap, plus the Secret's CLICKHOUSE_PASSWORD and
 * DATABASE_URL — against a real PostgreSQL and a real ClickHouse engine, without chDB installed.
 */
const SERVER_URL = process.env.DATABASE_URL;
if (!SERVER_URL && REQUIRE_ALL_SUITES) throw new Error('DATABASE_URL is not set and L1T_REQUIRE_ALL_SUITES=1');
const built = requireBuild();
const NO_CHDB = join(REPO_ROOT, 'deploy/test-support/no-chdb.cjs');

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

/** The l1-app-config ConfigMap of the base manifests. */
function manifestEnv(): Record<string, string> {
  const cm = parse(readFileSync(join(REPO_ROOT, 'deploy/kubernetes/base/app-config.yaml'), 'utf8')) as {
    data: Record<string, string>;
  };
  return cm.data;
}

describe.runIf(built && SERVER_URL)('production entrypoint with the manifests’ environment', () => {
  let db: { url: string; drop(): Promise<void> };
  let ch: ChdbHttpFixture;
  let server: ChildProcess | undefined;
  let base = '';
  let stderr = '';
  let env: Record<string, string>;
  const dirs: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase(SERVER_URL!);
    ch = await startChdbHttpFixture();
    const scratch = mkdtempSync(join(tmpdir(), 'l1t-entry-'));
    dirs.push(scratch);
    const port = await freePort();
    env = {
      PATH: process.env.PATH ?? '',
      ...manifestEnv(),
      // What the cluster provides differently: the database endpoints, the pod's volumes, a free port.
      CLICKHOUSE_URL: ch.url,
      CLICKHOUSE_PASSWORD: '',
      DATABASE_URL: db.url,
      L1T_DATA_DIR: join(scratch, 'data'),
      L1T_UPLOAD_DIR: join(scratch, 'uploads'),
      PORT: String(port),
      L1T_LOG_LEVEL: 'warn',
    };
    server = spawn(process.execPath, ['--require', NO_CHDB, 'apps/server/dist/main.js'], {
      cwd: REPO_ROOT,
      env,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    server.stderr!.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}: ${stderr}`);
      const ok = await fetch(`${base}/readyz`).then(
        (r) => r.status === 200,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`not ready within 60 s: ${stderr}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  });

  afterAll(async () => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    await ch?.close();
    await db?.drop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('is ready (both stores answer), live, exposes metrics, and requires authentication on the API', async () => {
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', clickhouse: 'ok', postgres: 'ok' });
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/metrics`)).status).toBe(200);
    const sessions = await fetch(`${base}/api/sessions`);
    expect(sessions.status).toBe(401);
    expect(((await sessions.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
  });

  it('the migration Job and a worker run with the same environment (l1t migrate; l1t worker --once)', () => {
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, ['--require', NO_CHDB, 'apps/cli/bin/l1t.js', ...args], {
        cwd: REPO_ROOT,
        env,
        encoding: 'utf8',
        timeout: 60_000,
      });
    const migrate = cli('migrate');
    expect(migrate.stderr).toMatch(
      /PostgreSQL \(DATABASE_URL=.*\): up to date\nClickHouse \(CLICKHOUSE_URL=.*\): up to date/,
    );
    expect(migrate.status).toBe(0);
    const worker = cli('worker', '--once');
    expect(worker.stderr).toMatch(/0 job\(s\) run, queue empty/);
    expect(worker.status).toBe(0);
  });

  it('stops cleanly on SIGTERM (exit 0), as Kubernetes stops it', async () => {
    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
    server!.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});

describe.runIf(built)('the default image has no embedded engine', () => {
  it('without CLICKHOUSE_URL the server says that chDB is not installed and exits 1', () => {
    const dir = mkdtempSync(join(tmpdir(), 'l1t-entry-'));
    try {
      const r = spawnSync(process.execPath, ['--require', NO_CHDB, 'apps/server/dist/main.js'], {
        cwd: REPO_ROOT,
        env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', L1T_DATA_DIR: dir, PORT: '1' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      expect(r.stderr).toMatch(
        /^l1t-server: .*embedded ClickHouse engine \(chdb\) is not installed: set CLICKHOUSE_URL/m,
      );
      expect(r.status).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
