import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Piscina } from 'piscina';
import type { DecodeOptions } from '@l1t/capture';
import { decodeRange } from './decode-range.js';
import { mergeFlowStats } from './flow-stats.js';
import { planRanges } from './plan-ranges.js';
import {
  addCounts,
  emptyCounts,
  type DecodeCounts,
  type FlowStats,
  type RangeFailure,
  type RangeResult,
  type RangeTask,
} from './range-types.js';

/*
 * Parallel decode of ONE large capture.
 *
 *   plan (reads the first blocks only) ─▶ ranges [b0,b1) [b1,b2) … ─▶ piscina workers (decode-range.ts)
 *                                                                      │ RangeResult per range
 *   merge in range order ◀─────────────────────────────────────────────┘
 *
 * Correctness does not depend on the workers' guesses. Range 0 starts at a known boundary; range i+1
 * resynchronises on its own (a chain of plausible record headers) with the context (pcapng SHB +
 * IDBs) seen at the start of the file. The merge walks the ranges in file order and accepts range
 * i+1 only when it started exactly where range i's sequential parse stopped and with the context
 * range i ended with; otherwise range i+1 is decoded again from that exact offset and context. By
 * induction the accepted ranges are exactly the sequential parse, cut at record boundaries.
 *
 * Per-flow order: results are ordered by range index and each range is in file order, so every
 * flow's packets are seen in file order. Stateful per-flow consumers merge per-flow partial state in
 * that order (flow-stats.ts mergeFlowStats: sums, first/last, seqId continuity across the boundary,
 * an order-sensitive seqId digest) — or, for detectors that need every packet, run over the ranges
 * in order.
 */

export interface ParallelDecodeOptions {
  /** Worker threads (default: the number of cores). 1 decodes on this thread. */
  workers?: number;
  decode?: Partial<DecodeOptions>;
  /** Target range size (default: the file split in 8 ranges per thread, at least 16 MiB each). */
  rangeBytes?: number;
  /** Read size of a worker (default 1 MiB). */
  chunkBytes?: number;
  /**
   * 'auto' (default): worker threads when more than one worker is asked for and the compiled worker
   * module exists (running from TypeScript sources decodes on this thread); 'off': always on this
   * thread (the ranges are still cut and merged, as with threads).
   */
  threads?: 'auto' | 'off';
  /** Worker module (default: the compiled decode-worker.js beside this module). */
  workerUrl?: URL;
}

export interface CaptureDecodeStats {
  path: string;
  format: 'pcap' | 'pcapng';
  size: number;
  counts: DecodeCounts;
  /** Per flow (eAxC × direction × plane), ordered by plane, direction, eAxC. */
  flows: FlowStats[];
  /** Epoch ns of the first and last packet as decimal strings (null without packets). */
  firstTsNs: string | null;
  lastTsNs: string | null;
  ranges: number;
  /**
   * Range decodes repeated because a worker's resynchronisation or context guess was wrong (after a
   * new pcapng section or interface, every later range is decoded again with the new context).
   */
  rerunRanges: number;
  /** Threads that decoded (1 = this thread). */
  threads: number;
  /** Bytes read by all workers (≥ size: resynchronisation windows and the tail past each range). */
  bytesRead: number;
  /** The fault that ended the decode (a corrupt record, or a file cut short: `truncated`). */
  error?: RangeFailure;
}

const DEFAULT_CHUNK = 1 << 20;
const MIN_RANGE = 16 << 20;

function defaultWorkerUrl(): URL | undefined {
  if (import.meta.url.endsWith('.ts')) return undefined; // TypeScript sources: no compiled worker
  const url = new URL('./decode-worker.js', import.meta.url);
  return existsSync(fileURLToPath(url)) ? url : undefined;
}

function sameContext(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Decodes a pcap/pcapng file in byte ranges on worker threads; see the module comment. */
export async function decodeCaptureParallel(
  path: string,
  options: ParallelDecodeOptions = {},
): Promise<CaptureDecodeStats> {
  const workers = Math.max(1, Math.floor(options.workers ?? availableParallelism()));
  const workerUrl = options.workerUrl ?? (options.threads === 'off' ? undefined : defaultWorkerUrl());
  const canThread = workers > 1 && options.threads !== 'off' && workerUrl !== undefined;
  const chunkBytes = options.chunkBytes ?? DEFAULT_CHUNK;
  const size = statSync(path).size;
  const rangeBytes = options.rangeBytes ?? (canThread ? Math.max(MIN_RANGE, Math.ceil(size / (workers * 8))) : size);
  const plan = planRanges(path, rangeBytes);
  // A file of one range is decoded here: starting a worker would cost more than it saves.
  const threaded = canThread && plan.bounds.length > 2;
  const decode = options.decode ?? {};

  // This thread decodes ranges too: `workers` threads in all, one fewer worker to start.
  // piscina is loaded only here (importing the pipeline, e.g. the CLI's start-up, does not load it)
  const pool = threaded
    ? new (await import('piscina')).Piscina({
        filename: workerUrl.href,
        minThreads: workers - 1,
        maxThreads: workers - 1,
        // Two tasks posted to each worker: it starts the next range without waiting for this thread,
        // which is busy decoding its own range (a worker runs its tasks one at a time: they are sync).
        concurrentTasksPerWorker: 2,
        idleTimeout: 1000,
      })
    : undefined;

  try {
    const tasks: RangeTask[] = [];
    for (let i = 0; i + 1 < plan.bounds.length; i++) {
      tasks.push({
        path,
        format: plan.format,
        index: i,
        start: plan.bounds[i]!,
        end: plan.bounds[i + 1]!,
        exactStart: i === 0,
        context: i === 0 ? [] : plan.context,
        interfaceCount: plan.interfaceCount,
        decode,
        chunkBytes,
      });
    }
    const results: Promise<RangeResult>[] = (await runRanges(tasks, pool, workers - 1)).map((r) => Promise.resolve(r));
    const runOne = (t: RangeTask): Promise<RangeResult> =>
      pool ? (pool.run(t) as Promise<RangeResult>) : Promise.resolve().then(() => decodeRange(t));

    const stats: CaptureDecodeStats = {
      path,
      format: plan.format,
      size: plan.size,
      counts: emptyCounts(),
      flows: [],
      firstTsNs: null,
      lastTsNs: null,
      ranges: tasks.length,
      rerunRanges: 0,
      threads: pool ? workers : 1,
      bytesRead: 0,
    };
    const accepted: FlowStats[][] = [];
    const indexBase: number[] = [];
    let first = -1n;
    let last = -1n;
    let stop = 0;
    let context: number[] = [];
    for (let i = 0; i < tasks.length; i++) {
      const t = tasks[i]!;
      let r = await results[i]!;
      stats.bytesRead += r.bytesRead;
      if (i > 0) {
        if (stop >= t.end) continue; // no record starts in this range (one record spans it)
        if (r.firstRecord !== stop || !sameContext(t.context, context)) {
          const interfaceCount = Math.max(0, context.length - 1);
          if (!sameContext(t.context, context)) {
            // A new section or interface: the later ranges most likely share this context. Decode them
            // again with it now, in parallel (they are still verified one by one below).
            for (let j = i + 1; j < tasks.length; j++) {
              tasks[j] = { ...tasks[j]!, context, interfaceCount };
              results[j] = runOne(tasks[j]!);
              results[j]!.catch(() => undefined); // awaited in order; a failure surfaces there
              stats.rerunRanges++;
            }
          }
          r = await runOne({ ...t, start: stop, exactStart: true, context, interfaceCount });
          stats.bytesRead += r.bytesRead;
          stats.rerunRanges++;
        }
      }
      indexBase.push(stats.counts.packets);
      accepted.push(r.flows);
      addCounts(stats.counts, r.counts);
      if (first < 0n && r.firstTsNs >= 0n) first = r.firstTsNs;
      if (r.lastTsNs >= 0n) last = r.lastTsNs;
      if (r.error) {
        stats.error = r.error;
        break;
      }
      stop = r.stopOffset;
      context = r.endContext;
    }
    stats.flows = mergeFlowStats(accepted, indexBase);
    if (first >= 0n) stats.firstTsNs = first.toString();
    if (last >= 0n) stats.lastTsNs = last.toString();
    return stats;
  } finally {
    await pool?.destroy();
  }
}

/**
 * Runs every range: this thread takes the next range in file order whenever it is free, and so does
 * each worker thread (two ranges in flight per worker, so a worker never waits for this thread to
 * hand it work while it is busy decoding). Results are indexed by range.
 */
async function runRanges(
  tasks: readonly RangeTask[],
  pool: Piscina | undefined,
  poolThreads: number,
): Promise<RangeResult[]> {
  const results: RangeResult[] = new Array<RangeResult>(tasks.length);
  let next = 0;
  const take = (): RangeTask | undefined => (next < tasks.length ? tasks[next++] : undefined);
  const poolLoop = async (p: Piscina): Promise<void> => {
    for (let t = take(); t !== undefined; t = take()) results[t.index] = (await p.run(t)) as RangeResult;
  };
  const localLoop = async (): Promise<void> => {
    for (let t = take(); t !== undefined; t = take()) {
      results[t.index] = decodeRange(t);
      await new Promise<void>((resolve) => setImmediate(resolve)); // let worker results in
    }
  };
  const loops: Promise<void>[] = [];
  if (pool) for (let i = 0; i < poolThreads * 2; i++) loops.push(poolLoop(pool));
  loops.push(localLoop());
  await Promise.all(loops);
  return results;
}
