import type { DecodedPacket } from '@l1t/capture';
import type { MetricDraft, Profile } from '@l1t/contracts';
import { DETECTORS } from '../registry.js';
import type {
  DetectContext,
  DetectionResult,
  Detector,
  DetectorDefinition,
  Occurrence,
  ResolvedThresholds,
} from './detector.js';
import { Aggregator } from './aggregator.js';
import { PacketContextRing } from './packet-context.js';
import { ThresholdRegistry } from './thresholds.js';

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

/**
 * Creates the detection of one file. An unknown anomaly type or option in `profile.thresholds` throws a
 * {@link ThresholdError} naming the key. A detector that throws is switched off for the rest of the file
 * and named in `warnings` (one faulty detector does not lose the others' findings).
 */
export function createFronthaulDetection(options: FronthaulDetectionOptions): FronthaulDetection {
  const definitions = options.definitions ?? DETECTORS;
  const profile = options.profile;
  const thresholds = options.thresholds ?? new ThresholdRegistry(definitions).resolve(profile?.thresholds);
  const ring = new PacketContextRing(
    options.contextCapacity ?? 4096,
    options.contextBefore ?? 3,
    options.contextAfter ?? 3,
  );
  const aggregator = new Aggregator({ context: ring });
  const metrics: MetricDraft[] = [];
  const counters: Record<string, Record<string, number>> = {};
  const warnings: string[] = [];
  const ctx: DetectContext = {
    profile,
    thresholds,
    report(o: Occurrence) {
      aggregator.add(o);
    },
    metric(m: MetricDraft) {
      metrics.push(m);
    },
    count(flow: string, name: string, value: number) {
      const c = (counters[flow] ??= {});
      c[name] = (c[name] ?? 0) + value;
    },
    pinContext(packetIndex: number) {
      return ring.capture(packetIndex) as unknown as Record<string, unknown>[];
    },
  };
  const detectors: { name: string; d: Detector | undefined }[] = definitions.map((def) => ({
    name: def.name,
    d: def.create({ profile, thresholds }),
  }));
  let sinceSweep = 0;
  let finished = false;

  function fail(entry: { name: string; d: Detector | undefined }, err: unknown): void {
    entry.d = undefined;
    warnings.push(`${entry.name}: ${err instanceof Error ? err.message : String(err)}`);
  }

  return {
    thresholds,
    onPacket(p) {
      ring.push(p);
      for (let i = 0; i < detectors.length; i++) {
        const e = detectors[i]!;
        const d = e.d;
        if (d === undefined) continue;
        try {
          d.onPacket(p, ctx);
        } catch (err) {
          fail(e, err);
        }
      }
      if (++sinceSweep >= SWEEP_EVERY) {
        sinceSweep = 0;
        aggregator.advance(p.tsNs);
      }
    },
    finish() {
      if (finished) throw new Error('FronthaulDetection.finish() called twice');
      finished = true;
      for (const e of detectors) {
        if (e.d === undefined) continue;
        try {
          e.d.finish(ctx);
        } catch (err) {
          fail(e, err);
        }
      }
      const anomalies = aggregator.finish();
      ring.finish();
      const result: DetectionResult = { anomalies, metrics, counters };
      if (warnings.length > 0) result.warnings = warnings;
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
