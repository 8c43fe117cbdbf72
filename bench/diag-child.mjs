/**
 * bench:diag's measured process: analyzeFile() on one DIAG log (findings and metrics to a counting sink, as
 * a store sink takes them); prints one JSON line with the call's own CPU and wall time.
 * Usage: node bench/diag-child.mjs <packages/pipeline/dist/index.js> <file>
 * (a file, not `node -e`: the pipeline's pooled file reader starts worker threads, which cannot re-run an
 * `-e` module).
 */
import { performance } from 'node:perf_hooks';

const { analyzeFile, fileInput } = await import(process.argv[2]);
let anomalies = 0;
let metrics = 0;
const sink = {
  begin: async () => {},
  anomalies: (b) => {
    anomalies += b.length;
  },
  metrics: (b) => {
    metrics += b.length;
  },
  drain: async () => {},
  end: async () => {},
};
const c0 = process.cpuUsage();
const t0 = performance.now();
const r = await analyzeFile(fileInput(process.argv[3]), { sink });
const c = process.cpuUsage(c0);
const d = r.summary.details;
process.stdout.write(
  JSON.stringify({
    wallS: (performance.now() - t0) / 1000,
    cpuS: (c.user + c.system) / 1e6,
    status: r.status,
    records: r.summary.records,
    decoded: d.decoded_records,
    notDecoded: d.not_decoded_records,
    badFrames: d.bad_frames,
    anomalies,
    metrics,
    byType: r.counts.byType,
  }) + '\n',
);
