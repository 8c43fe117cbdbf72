import { readFileSync } from 'node:fs';
import { resourceUsage } from 'node:process';
import { decodeCaptureParallel } from './parallel-decode.js';

/*
 * Process entry used by `npm run bench:decode` (bench/decode.ts): decodes one capture with per-flow
 * exponent statistics and prints ONE JSON line on stdout with the stats, the wall time and the peak
 * memory of this process — worker threads included (they share the process: VmHWM / maxRSS cover
 * them). Run compiled so worker threads are used:
 *
 *   node packages/pipeline/dist/parallel/decode-stats-main.js FILE [--workers N] [--decode JSON]
 */

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** Peak resident set of this process in bytes (Linux VmHWM), else resourceUsage().maxRSS. */
function peakRssBytes(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return resourceUsage().maxRSS * 1024;
}

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file || file.startsWith('--')) throw new Error('usage: decode-stats-main FILE [--workers N] [--decode JSON]');
  const workers = Number(arg('--workers') ?? '1');
  const decode = JSON.parse(arg('--decode') ?? '{}') as Record<string, unknown>;
  let sampledRss = process.memoryUsage.rss();
  const timer = setInterval(() => {
    sampledRss = Math.max(sampledRss, process.memoryUsage.rss());
  }, 20);
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const stats = await decodeCaptureParallel(file, { workers, decode });
  const wallNs = Number(process.hrtime.bigint() - t0);
  clearInterval(timer);
  const cpu = process.cpuUsage(cpu0);
  sampledRss = Math.max(sampledRss, process.memoryUsage.rss());
  process.stdout.write(
    JSON.stringify({
      wallMs: wallNs / 1e6,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      peakRssBytes: peakRssBytes(),
      sampledPeakRssBytes: sampledRss,
      stats,
    }) + '\n',
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`decode-stats-main: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
