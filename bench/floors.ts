/**
 * The floors under issue 14's targets, measured on the bench's own file in the same run as tshark: what any
 * Node.js analysis of that file that keeps today's contract must spend before it decodes a single packet.
 *
 *   - Node's own start-up: `node -e ''` (a fresh process; the CLI cannot start faster than this);
 *   - one read of the file: 4 MiB synchronous reads into one buffer, as the analysis and the hash worker read;
 *   - the SHA-256 of the file (its read included), as `hashFileOnWorker` computes it: the file's id and the
 *     `sha256` of every file record are that digest (reference/interfaces.md, `GET /api/files`), and the CLI
 *     prints it, so every run pays it — on another thread, but in the process's CPU-seconds.
 *
 * floor = start-up + read + SHA-256. A CPU-seconds budget (500 MB per CPU-second, tshark ÷ 20, 2 M PTP
 * packets per CPU-second) below the floor cannot be met by any decode or detector, however fast: that is
 * a fact about the target on this host, stated as such in the bench output.
 *
 * Two workers on one file: an ideal split, with no extra work and no hand-over, can at best bring the wall
 * time down to the CPU-seconds spread over the cores, so `wall(1 worker) ÷ (CPU-seconds ÷ cores)` bounds the
 * speed-up any design could reach here (the hash worker and V8's compiler threads already use the other core).
 */
import { execFile } from 'node:child_process';
import { median } from './bench-support.js';

const READ = `
const { openSync, readSync, closeSync } = require('node:fs');
const fd = openSync(process.argv[1], 'r');
const buf = Buffer.allocUnsafe(4 << 20);
let total = 0;
for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) total += n;
closeSync(fd);
`;

const SHA256 = `
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync } = require('node:fs');
const hash = createHash('sha256');
const fd = openSync(process.argv[1], 'r');
const buf = Buffer.allocUnsafe(4 << 20);
for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0; ) hash.update(buf.subarray(0, n));
closeSync(fd);
hash.digest('hex');
`;

/** Appended to each script: the process's own CPU time since it started (no /usr/bin/time needed). */
const REPORT_CPU = `\nprocess.stdout.write(JSON.stringify(process.cpuUsage()));`;

export interface Floors {
  /** CPU-s of `node -e ''`. */
  nodeStartCpuS: number;
  /** CPU-s of one read of the file, beyond Node's start. */
  readCpuS: number;
  /** CPU-s of the file's SHA-256 (its read included), beyond Node's start. */
  sha256CpuS: number;
  /** Their sum: what the CLI spends before decoding anything. */
  floorCpuS: number;
  runs: number;
}

const r3 = (v: number): number => Math.round(v * 1000) / 1000;

/** User + system CPU-seconds of a fresh `node -e SCRIPT ARGS…`, start-up included. */
function cpuOf(script: string, ...args: string[]): Promise<number> {
  return new Promise((done, fail) => {
    execFile(process.execPath, ['-e', script + REPORT_CPU, ...args], (err, stdout) => {
      if (err) return fail(err);
      const c = JSON.parse(stdout) as { user: number; system: number };
      done((c.user + c.system) / 1e6);
    });
  });
}

/** Medians of `runs` fresh processes each, interleaved so that a busy host weighs on all three alike. */
export async function measureFloors(path: string, runs = 3): Promise<Floors> {
  const start: number[] = [];
  const read: number[] = [];
  const sha: number[] = [];
  for (let i = 0; i < runs; i++) {
    start.push(await cpuOf(''));
    read.push(await cpuOf(READ, path));
    sha.push(await cpuOf(SHA256, path));
  }
  const nodeStartCpuS = median(start);
  const readCpuS = Math.max(0, median(read) - nodeStartCpuS);
  const sha256CpuS = Math.max(0, median(sha) - nodeStartCpuS);
  return {
    nodeStartCpuS: r3(nodeStartCpuS),
    readCpuS: r3(readCpuS),
    sha256CpuS: r3(sha256CpuS),
    floorCpuS: r3(nodeStartCpuS + readCpuS + sha256CpuS),
    runs,
  };
}

export interface Budget {
  target: string;
  /** CPU-seconds the target allows for this file. */
  budgetCpuS: number;
  /** budget − floor: what the target leaves for decode, detectors, the JIT and the output. */
  leftForAnalysisCpuS: number;
  /** What the CLI spent beyond the floor in this run. */
  spentBeyondFloorCpuS: number;
  /** False when the budget is at or below the floor: no analysis can meet it in this process design. */
  reachable: boolean;
}

export function budgets(
  floors: Floors,
  cliCpuS: number,
  bytes: number,
  packets: number,
  tsharkCpuS: number | undefined,
  ptpOnly: boolean,
): Budget[] {
  const list: Array<[string, number]> = [['500 MB per CPU-second', bytes / 5e8]];
  if (tsharkCpuS !== undefined) list.push(['20× tshark', tsharkCpuS / 20]);
  if (ptpOnly) list.push(['2 M packets per CPU-second', packets / 2e6]);
  return list.map(([target, budgetCpuS]) => ({
    target,
    budgetCpuS: r3(budgetCpuS),
    leftForAnalysisCpuS: r3(budgetCpuS - floors.floorCpuS),
    spentBeyondFloorCpuS: r3(cliCpuS - floors.floorCpuS),
    reachable: budgetCpuS > floors.floorCpuS,
  }));
}

/** The best speed-up of N workers over one that an ideal split of the same CPU-seconds allows on `cores`. */
export function idealSpeedupBound(wallOneS: number, cpuOneS: number, cores: number, workers: number): number {
  const spread = cpuOneS / Math.min(cores, workers);
  return Math.round((wallOneS / spread) * 100) / 100;
}
