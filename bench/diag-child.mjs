/**
 * bench:diag's measured process: analyzeFile() on one DIAG log (findings and metrics to a counting sink, as
 * a store sink takes them), then the DIAG analyzer alone on the same bytes; prints one JSON line with the
 * CPU time of each (and analyzeFile's wall time).
 * Usage: node bench/diag-child.mjs <packages/pipeline/dist/index.js> <file>
 * (a file, not `node -e`: the pipeline's pooled file reader starts worker threads, which cannot re-run an
 * `-e` module).
 */
import { closeSync, openSync, readSync } from 'node:fs';
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
const wallS = (performance.now() - t0) / 1000;
const d = r.summary.details;

// The DIAG analyzer alone (reader, decoders, UE detectors, KPI windows) fed 64 KiB chunks of the file, as
// analyzeFile() feeds it, without analyzeFile's own work (the file's SHA-256 for deduplication, the pooled
// reader): what "DIAG decode + UE detection" costs.
const { createAnalyzer } = await import(process.argv[2]);
const fd = openSync(process.argv[3], 'r');
const chunk = 64 * 1024;
const a0 = process.cpuUsage();
const an = createAnalyzer('diag_hdlc', 'diag_hdlc', {
  fileName: 'bench',
  profile: undefined,
  sink: { anomalies: () => {}, metrics: () => {} },
});
for (;;) {
  const buf = new Uint8Array(chunk);
  const n = readSync(fd, buf, 0, chunk, null);
  if (n === 0) break;
  an.push(buf.subarray(0, n));
}
an.finish();
const ac = process.cpuUsage(a0);
closeSync(fd);
process.stdout.write(
  JSON.stringify({
    wallS,
    cpuS: (c.user + c.system) / 1e6,
    analyzerCpuS: (ac.user + ac.system) / 1e6,
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
