/**
 * `npm run bench:startup` — the CLI's start-up before it reads the first byte (issue 14 item 3): `l1t analyze
 * FILE --no-store --workers 1 --format jsonl` on a 3-packet capture, from spawn() to the first open() of the
 * capture (bench/first-read-mark.cjs), and to exit. Variants, interleaved run by run so that a busy host
 * weighs on all alike:
 *   - node: a script that only opens the capture (Node's own start-up: the floor);
 *   - tsc: the tsc output, apps/cli/dist/main.js (~420 ES modules);
 *   - bin: apps/cli/bin/l1t.js as a user runs it — the esbuild bundle (apps/cli/bundle.mjs) while it is fresh.
 * Medians of CPU-seconds (user + system of the process) and wall milliseconds; the 1-minute load average
 * beside them. ONE JSON document on stdout.
 *
 * Environment: L1T_BENCH_RUNS (default 11).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPcap } from '../packages/capture/src/test-support/pcap-builder.js';
import { freshBundle } from '../apps/cli/src/bundle-fresh.js';
import { median } from './bench-support.js';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env['L1T_BENCH_RUNS'] ?? 11);
const MARK = join(ROOT, 'bench/first-read-mark.cjs');

interface Run {
  cpuToFirstReadS: number;
  wallToFirstReadMs: number;
  cpuS: number;
  wallMs: number;
}

function once(script: string, capture: string, args: string[]): Promise<Run> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, ['--require', MARK, script, ...args], {
      env: { ...process.env, L1T_FIRST_READ_PATH: capture, L1T_LOG_LEVEL: 'silent' },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('exit', (code) => {
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      const first = /L1T_FIRST_READ (.*)/.exec(stderr);
      const exit = /L1T_EXIT (.*)/.exec(stderr);
      if (code !== 0 || !first || !exit) return fail(new Error(`${script} exited ${code}:\n${stderr}`));
      const f = JSON.parse(first[1]!) as { t: string; cpuUs: number };
      done({
        cpuToFirstReadS: f.cpuUs / 1e6,
        wallToFirstReadMs: Number(BigInt(f.t) - t0) / 1e6,
        cpuS: (JSON.parse(exit[1]!) as { cpuUs: number }).cpuUs / 1e6,
        wallMs,
      });
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'l1t-bench-startup-'));
  const capture = join(dir, 'a.pcap');
  const packets = Array.from({ length: 3 }, (_, i) => ({
    tsSec: 1_790_000_000 + i,
    tsFrac: 0,
    data: new Uint8Array(64),
  }));
  writeFileSync(capture, buildPcap({ packets }));
  const floor = join(dir, 'open.mjs');
  writeFileSync(floor, "import { openSync } from 'node:fs';\nopenSync(process.argv[2]);\n");
  const analyze = ['analyze', capture, '--no-store', '--workers', '1', '--format', 'jsonl'];
  const variants: [string, string, string[]][] = [
    ['node', floor, [capture]],
    ['tsc', join(ROOT, 'apps/cli/dist/main.js'), analyze],
    ['bin', join(ROOT, 'apps/cli/bin/l1t.js'), analyze],
  ];
  const bundled = freshBundle(new URL('apps/cli/dist/bundle/', `file://${ROOT}/`)) !== undefined;
  if (!bundled) process.stderr.write('bench:startup: the bundle is stale or missing: bin runs the tsc output\n');
  const uptime0 = readFileSync('/proc/loadavg', 'utf8').trim();
  const runs = new Map<string, Run[]>(variants.map(([n]) => [n, []]));
  const loads: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    for (const [name, script, args] of variants) {
      runs.get(name)!.push(await once(script, capture, args));
      loads.push(loadavg()[0]!);
    }
  }
  const summary = Object.fromEntries(
    [...runs].map(([name, rs]) => [
      name,
      {
        cpuToFirstReadS: +median(rs.map((r) => r.cpuToFirstReadS)).toFixed(3),
        wallToFirstReadMs: +median(rs.map((r) => r.wallToFirstReadMs)).toFixed(1),
        cpuS: +median(rs.map((r) => r.cpuS)).toFixed(3),
        wallMs: +median(rs.map((r) => r.wallMs)).toFixed(1),
      },
    ]),
  );
  const doc = {
    bench: 'cli-startup',
    node: process.version,
    runs: RUNS,
    binRunsBundle: bundled && freshBundle(new URL('apps/cli/dist/bundle/', `file://${ROOT}/`)) !== undefined,
    load1: { min: Math.min(...loads), median: median(loads), max: Math.max(...loads) },
    loadavgBefore: uptime0,
    loadavgAfter: readFileSync('/proc/loadavg', 'utf8').trim(),
    medians: summary,
  };
  process.stdout.write(JSON.stringify(doc, null, 2) + '\n');
}

await main();
