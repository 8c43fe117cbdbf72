import { PassThrough } from 'node:stream';
import { runCli } from '../program.js';

export interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `l1t ARGS` in this process (the real program, in-memory streams), with `env` over a silent log. */
export async function l1t(args: string[], env: Record<string, string> = {}, stdin?: Uint8Array): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const o: Buffer[] = [];
  const e: Buffer[] = [];
  stdout.on('data', (c: Buffer) => o.push(c));
  stderr.on('data', (c: Buffer) => e.push(c));
  const input = new PassThrough();
  input.end(stdin ?? new Uint8Array(0));
  const status = await runCli(args, { stdout, stderr, stdin: input, env: { L1T_LOG_LEVEL: 'silent', ...env } });
  return { status, stdout: Buffer.concat(o).toString('utf8'), stderr: Buffer.concat(e).toString('utf8') };
}
