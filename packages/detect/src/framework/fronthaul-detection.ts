import type { DecodedPacket } from '@l1t/capture';
import type { AnomalyDraft, MetricDraft, Profile } from '@l1t/contracts';
import { DETECTORS } from '../registry.js';
import type { DetectionResult, DetectionSink, DetectorDefinition, Occurrence, ResolvedThresholds } from './detector.js';
import { Aggregator } from './aggregator.js';
import { DetectorDriver, type DriverContext, type DriverEntry } from './detector-driver.js';
import { DEFAULT_FLOW_IDLE_EVICT_NS, DEFAULT_MAX_FLOWS } from './flow-table.js';
import { PacketContextRing } from './packet-context.js';
import { ThresholdRegistry } from './thresholds.js';
import { FileViewCollector } from '../views/file-view-collector.js';

export interface FronthaulDetectionOptions {
  profile: Profile | undefined;
  /** Already resolved thresholds; default: resolved from `profile.thresholds` over `definitions`. */
  thresholds?: ResolvedThresholds;
  /** Detector modules to run; default {@link DETECTORS}. */
  definitions?: readonly DetectorDefinition[];
  /** Packets kept for `packet_context` lookups (default 4096) and shown before/after (default 3/3). */
  contextCapacity?: number;
  contextBefore?: number;
  contextAfter?: number;
  /**
   * Streaming: closed findings and metrics are handed over in batches while the file is read, and
   * `finish()` returns empty `anomalies`/`metrics`. Without a sink they are collected and returned.
   */
  sink?: DetectionSink;
  /** Collect the file analysis page's views (default true; `false` saves their cost, e.g. in benchmarks). */
  views?: boolean;
  /**
   * With the views, draw their PRB heatmaps (default true). `false` when the views are not kept and only
   * their timing summary is read (the capture analysis of `l1t analyze --no-store`): the heatmaps are the
   * views' main per-message cost (every PRB of a flow's first 10^6, then a sample).
   */
  heatmaps?: boolean;
}

/** Every registered detector over one file's packets, with aggregation, severity and packet context. */
export interface FronthaulDetection {
  readonly thresholds: ResolvedThresholds;
  /** One decoded packet, in file order (the object may be reused by the caller after the call). */
  onPacket(p: DecodedPacket): void;
  /** End of file: pending findings, closed bursts, counters. Call once. */
  finish(): DetectionResult;
}

/** How often (in packets) open bursts are checked for closing when no report arrives. */
const SWEEP_EVERY = 1024;
/** Metrics handed to a sink at once. */
const METRIC_BATCH = 1000;

/**
 * Creates the detection of one file. An unknown anomaly type or option in `profile.thresholds` throws a
 * {@link ThresholdError} naming the key. A detector that throws is switched off for the rest of the file
 * and named in `warnings` (one faulty detector does not lose the others' findings).
 *
 * Packets go to detectors with `onPacket`; O-RAN messages (every message of a concatenated PDU) go through
 * the {@link FronthaulStage} to detectors with `onMessage`/`onSlot`/`onFlowEvicted`.
 */
export function createFronthaulDetection(options: FronthaulDetectionOptions): FronthaulDetection {
  const definitions = options.definitions ?? DETECTORS;
  const profile = options.profile;
  const thresholds = options.thresholds ?? new ThresholdRegistry(definitions).resolve(profile?.thresholds);
  const sink = options.sink;
  const limits = profile?.limits;
  const ring = new PacketContextRing(
    options.contextCapacity ?? 4096,
    options.contextBefore ?? 3,
    options.contextAfter ?? 3,
  );
  const aggregator = new Aggregator({ context: ring, maxOpen: limits?.max_open_findings });
  const metrics: MetricDraft[] = [];
  const counters: Record<string, Record<string, number>> = {};
  const warnings: string[] = [];
  const base: DriverContext = {
    profile,
    thresholds,
    report(o: Occurrence) {
      aggregator.add(o);
    },
    occurrenceRun(key, make, values) {
      return aggregator.run(key, make, values);
    },
    metric(m: MetricDraft) {
      metrics.push(m);
      if (sink !== undefined && metrics.length >= METRIC_BATCH) flushMetrics();
    },
    warn(message: string) {
      if (!warnings.includes(message)) warnings.push(message);
    },
    count(flow: string, name: string, value: number) {
      const c = (counters[flow] ??= {});
      c[name] = (c[name] ?? 0) + value;
    },
    pinContext(packetIndex: number) {
      return ring.capture(packetIndex) as unknown as Record<string, unknown>[];
    },
  };
  const views = options.views === false ? undefined : new FileViewCollector(profile?.nrb, options.heatmaps !== false);
  const entries: DriverEntry[] = definitions.map((def) => ({
    name: def.name,
    d: def.create({ profile, thresholds, ...(views ? { views } : {}) }),
  }));
  if (views) entries.push({ name: 'views/file', d: views });
  const driver = new DetectorDriver(
    entries,
    base,
    (e, err) => warnings.push(`${e.name}: ${err instanceof Error ? err.message : String(err)}`),
    {
      maxFlows: limits?.max_flows ?? DEFAULT_MAX_FLOWS,
      flowIdleEvictNs:
        limits?.flow_idle_evict_ms !== undefined
          ? BigInt(Math.round(limits.flow_idle_evict_ms * 1e6))
          : DEFAULT_FLOW_IDLE_EVICT_NS,
    },
  );
  const stage = driver.stage;
  let sinceSweep = 0;
  let finished = false;

  function flushMetrics(): void {
    if (metrics.length === 0) return;
    // A copy is handed over and the buffer emptied in place, not replaced by a new `[]`: an empty literal
    // starts as an array of small ints, and metric()'s compiled push, specialised to it, deoptimised at the
    // first metric after each batch (issue 14).
    const batch = metrics.slice();
    metrics.length = 0;
    sink!.metrics(batch);
  }

  function flushAnomalies(batch: AnomalyDraft[]): void {
    if (batch.length > 0) sink!.anomalies(batch);
  }

  return {
    thresholds,
    onPacket(p) {
      ring.push(p);
      driver.onPacket(p);
      if (++sinceSweep >= SWEEP_EVERY) {
        sinceSweep = 0;
        aggregator.advance(p.tsNs);
        if (sink !== undefined) flushAnomalies(aggregator.drainClosed());
      }
    },
    finish() {
      if (finished) throw new Error('FronthaulDetection.finish() called twice');
      finished = true;
      driver.finish();
      let anomalies = aggregator.finish();
      ring.finish();
      const flows = stage.flows;
      if (flows.untrackedMessages > 0)
        warnings.push(
          `flow table full (${flows.maxFlows} flows, profile limits.max_flows): ${flows.untrackedMessages} O-RAN messages of further flows not analysed`,
        );
      if (flows.evictions > 0)
        warnings.push(`flow table full: ${flows.evictions} idle flows evicted to make room (their state was closed)`);
      if (aggregator.forcedCloses > 0)
        warnings.push(
          `open findings limit reached (profile limits.max_open_findings): ${aggregator.forcedCloses} findings closed early`,
        );
      if (sink !== undefined) {
        flushAnomalies(anomalies);
        flushMetrics();
        anomalies = [];
      }
      const result: DetectionResult = { anomalies, metrics, counters };
      if (warnings.length > 0) result.warnings = warnings;
      if (views) result.views = views.result(counters);
      return result;
    },
  };
}

/** Runs the detection over packets already decoded (tests, tools): `onPacket` for each, then `finish`. */
export function runDetectors(packets: Iterable<DecodedPacket>, options: FronthaulDetectionOptions): DetectionResult {
  const det = createFronthaulDetection(options);
  for (const p of packets) det.onPacket(p);
  return det.finish();
}
