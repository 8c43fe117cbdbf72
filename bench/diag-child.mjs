/**
 * bench:diag's measured process, in one of two modes (each size and mode in a process of its own, so that its
 * peak RSS is that run's alone):
 * - `file`: analyzeFile() on one DIAG log, findings and metrics to a counting sink as a store sink takes them
 *   (its SHA-256 of the file beside the analysis, the pooled reader);
 * - `analyzer`: the DIAG analyzer alone (reader, decoders, UE detectors, KPI windows: "DIAG decode + UE
 *   detection") fed the file as analyzeFile() feeds it — 4 MiB chunks of pooledFileChunks(), a buffer reused
 *   once the analyzer has released it — and its findings and metrics to a counting sink;
 * - `analyzer-warm`: the same, measured on a second pass over the file in the same process (the first, not
 *   counted, pays the one-time JIT compilation and heap growth; its peak RSS is not that of one run).
 * Prints one JSON line with the CPU time of the run (user + system) and its wall time; in `analyzer` mode also
 * the heap still in use after a full collection once the whole file has been pushed (before finish(): what
 * the analysis holds — open windows, detector state, findings not yet closed), which is what "memory flat in
 * file size" is about (peak RSS also counts garbage the collector has not yet taken, whose amount V8's heap
 * sizing lets drift from run to run).
 * Usage: node --expose-gc bench/diag-child.mjs <packages/pipeline/dist/index.js> <file> <file|analyzer|analyzer-warm>
 * (a file, not `node -e`: the pipeline's pooled file reader starts worker threads, which cannot re-run an
 * `-e` module).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const [pipelineIndex, path, mode] = process.argv.slice(2);
const { analyzeFile, fileInput, createAnalyzer } = await import(pipelineIndex);
let anomalies = 0;
let metrics = 0;
const counting = {
  anomalies: (b) => {
    anomalies += b.length;
  },
  metrics: (b) => {
    metrics += b.length;
  },
};

/**
 * CPU-ms of the main thread and of all other threads of this process (Linux /proc: utime + stime in clock
 * ticks of 10 ms), or undefined elsewhere. The other threads are V8's platform workers — concurrent TurboFan
 * compilation and GC helpers — and libuv's pool: on the 400 MB input the fresh process's extra ~1 CPU-s over a
 * warm one was on them (issue 13: 0.9–1.0 CPU-s; with --no-concurrent-recompilation most of it moved to the
 * main thread), so the split shows how much of a run is compiling rather than analysing.
 */
function threadCpuMs() {
  try {
    let main = 0;
    let other = 0;
    for (const t of readdirSync('/proc/self/task')) {
      const s = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * 10;
      if (Number(t) === process.pid) main += ms;
      else other += ms;
    }
    return { main, other };
  } catch {
    return undefined;
  }
}

const c0 = process.cpuUsage();
let th0 = threadCpuMs();
let t0 = performance.now();
let out;
if (mode === 'file') {
  const sink = { ...counting, begin: async () => {}, drain: async () => {}, end: async () => {} };
  const r = await analyzeFile(fileInput(path), { sink });
  const d = r.summary.details;
  out = {
    status: r.status,
    records: r.summary.records,
    decoded: d.decoded_records,
    notDecoded: d.not_decoded_records,
    badFrames: d.bad_frames,
    byType: r.counts.byType,
  };
} else if (mode === 'analyzer' || mode === 'analyzer-warm') {
  // analyze-file.ts's own chunk source (not exported from the package: its dist file beside index.js)
  const { pooledFileChunks } = await import(new URL('./file-chunks.js', pathToFileURL(pipelineIndex)).href);
  const analyzer = (sink) => createAnalyzer('diag_hdlc', 'diag_hdlc', { fileName: 'bench', profile: undefined, sink });
  if (mode === 'analyzer-warm') {
    // one whole pass first, not counted: JIT compilation, the heap grown to its working size — what a process
    // that has analysed a log before (the server's worker, a watch) no longer pays for the next one
    const an = analyzer({ anomalies: () => {}, metrics: () => {} });
    for await (const chunk of pooledFileChunks(path, () => an.releasedBefore())) an.push(chunk);
    an.finish();
    const w = process.cpuUsage();
    c0.user = w.user;
    c0.system = w.system;
    th0 = threadCpuMs();
    t0 = performance.now();
  }
  const an = analyzer(counting);
  for await (const chunk of pooledFileChunks(path, () => an.releasedBefore())) an.push(chunk);
  let retainedHeapMb;
  if (typeof globalThis.gc === 'function' && mode === 'analyzer') {
    const g0 = process.cpuUsage(); // the collection is the bench's, not the analysis's: not counted
    const gth0 = threadCpuMs();
    globalThis.gc();
    retainedHeapMb = process.memoryUsage().heapUsed / 2 ** 20;
    const g = process.cpuUsage(g0);
    c0.user += g.user;
    c0.system += g.system;
    const gth = threadCpuMs();
    if (th0 && gth0 && gth) {
      th0.main += gth.main - gth0.main;
      th0.other += gth.other - gth0.other;
    }
  }
  const o = an.finish();
  anomalies += o.anomalies.length;
  metrics += o.metrics.length;
  out = { records: o.summary.records, retainedHeapMb };
} else throw new Error(`mode ${mode}: expected file, analyzer or analyzer-warm`);
const c = process.cpuUsage(c0);
const th = threadCpuMs();
process.stdout.write(
  JSON.stringify({
    ...out,
    wallS: (performance.now() - t0) / 1000,
    cpuS: (c.user + c.system) / 1e6,
    ...(th0 && th
      ? { mainThreadCpuS: (th.main - th0.main) / 1000, otherThreadsCpuS: (th.other - th0.other) / 1000 }
      : {}),
    anomalies,
    metrics,
  }) + '\n',
);
