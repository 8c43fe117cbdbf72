import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A real ClickHouse engine (chDB) behind ClickHouse's HTTP interface on 127.0.0.1, in a child process. */
export interface ChdbHttpFixture {
  /** `http://127.0.0.1:<port>`: give it to `@clickhouse/client` or as CLICKHOUSE_URL. */
  readonly url: string;
  readonly port: number;
  /** Stops the child (its temporary data directory is removed unless one was given). */
  close(): Promise<void>;
  /** Kills the engine at once (SIGKILL: no flush, no goodbye), as a crashed or unplugged server. */
  kill(): Promise<void>;
}

const SERVER = fileURLToPath(new URL('./chdb-http-server.mjs', import.meta.url));

/**
 * Starts the chDB HTTP fixture (TEST code). Each call is its own process and data directory, so any number
 * can run beside an embedded chDB of the test process itself.
 */
export async function startChdbHttpFixture(
  opts: { dataDir?: string; port?: number; startTimeoutMs?: number } = {},
): Promise<ChdbHttpFixture> {
  const args = [
    SERVER,
    ...(opts.dataDir ? [opts.dataDir] : opts.port ? [''] : []),
    ...(opts.port ? [String(opts.port)] : []),
  ];
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(
      () => reject(new Error('chDB HTTP fixture did not start in time')),
      opts.startTimeoutMs ?? 30_000,
    );
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`chDB HTTP fixture exited with ${code} before listening`));
    });
  });
  const kill = (): Promise<void> =>
    child.exitCode !== null || child.signalCode !== null
      ? Promise.resolve()
      : new Promise((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        });
  return { url: `http://127.0.0.1:${port}`, port, close: () => stopChild(child), kill };
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
